// The arithmetic of roll-ups, shared by every engine and by the chart read path (which
// aggregates the not-yet-rolled-up tail of a range the same way the job does).
//
// A bucket keeps min, avg and max of a value and n, the number of inputs. Raw values enter with
// weight 1; a finer bucket enters with its own min/avg/max and weight n, so the hour built from
// twelve 5-minute buckets has exactly the min, max and mean of the raw values beneath it (the mean
// is weighted by reports, which is exact when a value is present in every report of a bucket).
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>

namespace serversan::store {

struct Stat {
	double min = 0, avg = 0, max = 0;
	bool operator==(const Stat&) const = default;
};

class Agg {
public:
	void add(double v) { add(v, v, v, 1); }
	void add(double mn, double avg, double mx, int64_t weight) {
		if (weight <= 0)
			return;
		min_ = std::min(min_, mn);
		max_ = std::max(max_, mx);
		sum_ += avg * static_cast<double>(weight);
		n_ += weight;
	}
	void add(const std::optional<double>& v) {
		if (v)
			add(*v);
	}
	int64_t n() const { return n_; }
	std::optional<Stat> get() const {
		if (n_ == 0)
			return std::nullopt;
		return Stat{min_, sum_ / static_cast<double>(n_), max_};
	}

private:
	double min_ = std::numeric_limits<double>::infinity();
	double max_ = -std::numeric_limits<double>::infinity();
	double sum_ = 0;
	int64_t n_ = 0;
};

// The start of the bucket of width `width` holding ts (UTC-aligned; also right for ts < 0).
inline int64_t bucket_start(int64_t ts, int64_t width) {
	int64_t q = ts / width;
	if (ts % width < 0)
		--q;
	return q * width;
}

} // namespace serversan::store
