// The threshold evaluator of one alert (rule, server, device): pure, clocked by sample times,
// never by a clock. States ok -> pending -> firing -> ok (resolved).
//
//  - Window: the samples of the last for_ms, (t - for_ms, t] with t the newest sample. The
//    condition is decided on their average, and only once the window holds enough samples:
//    at least for_ms / interval / 1.2 (Beszel's rule), interval being the server's report
//    interval. for_ms = 0 decides on each sample alone.
//  - Fires when the decided average breaches the threshold (op ">": above, "<": below).
//    pending means "the newest sample breaches, the window has not decided yet".
//  - Hysteresis: a firing alert resolves only when the decided average is past the clear level
//    (below it for ">", above it for "<"); not decided (too few samples, e.g. after a gap or a
//    restart) keeps it firing.
//  - A sample not newer than the newest seen is ignored (a duplicate or a late retry).
// docs/alerts.md ("Evaluation") has the reasons.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "serversan/server/store/store.h"

namespace serversan::alerts {

enum class Phase { ok, pending, firing };
std::string_view phase_name(Phase p); // "ok", "pending", "firing" (AlertState.state)
std::optional<Phase> phase_from_name(std::string_view name);

struct Condition {
	bool above = true; // op ">"; false: "<"
	double threshold = 0;
	double clear = 0; // clear_level(rule)
	int64_t for_ms = 0;
};
Condition condition_of(const store::AlertRule& rule);

struct Sample {
	int64_t ts_ms = 0;
	double value = 0;
};

// The window's samples live in one vector (live part from head; compacted when head passes half)
// with a running sum: one allocation per alert and no walk over the window per sample, which
// matters at 50,000 alerts whose windows are cold in the cache at every report.
class Window {
public:
	void push(Sample s);
	void drop_front();
	size_t size() const { return buf_.size() - head_; }
	bool empty() const { return size() == 0; }
	const Sample& front() const { return buf_[head_]; }
	const Sample& back() const { return buf_.back(); }
	double average() const { return sum_ / static_cast<double>(size()); }
	void clear();

private:
	std::vector<Sample> buf_;
	size_t head_ = 0;
	double sum_ = 0;
};

struct WindowState {
	Phase phase = Phase::ok;
	int64_t since_ms = 0; // pending: the first breaching sample; firing: when the breach began
	int64_t last_ms = 0;  // the newest sample evaluated; 0: none
	Window samples;
};

enum class Transition { none, pending, fired, resolved, cancelled /* pending -> ok */ };

struct Step {
	Transition transition = Transition::none;
	bool decided = false;          // the window held enough samples
	std::optional<double> average; // of the window, when decided
	size_t samples = 0;            // in the window
};

// The fewest samples a window of for_ms must hold to decide, at this report interval.
size_t samples_needed(int64_t for_ms, int64_t interval_ms);

Step evaluate(WindowState& s, const Condition& c, Sample sample, int64_t interval_ms);

} // namespace serversan::alerts
