// What a chart shows, independent of where it came from: named layers of store::Series, the
// axis unit and the time window. The store source (chart_source.h) builds one from a request;
// tests and the sparkline build their own.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "serversan/server/charts/time_axis.h"
#include "serversan/server/charts/value_axis.h"
#include "serversan/server/store/store.h"

namespace serversan::charts {

enum class LayerStyle {
	line,    // the average as a line, with a min/max band where the tier has one
	area,    // the same, filled down to zero (memory used)
	stacked, // filled on top of the stacked layers before it (CPU user, system, iowait, steal)
};

struct Layer {
	std::string label;
	store::Series series;
	LayerStyle style = LayerStyle::line;
	size_t color = 0; // index into the theme's series colours
};

// A horizontal reference: the core count on a load chart, the RAM size on a memory chart.
struct RefLine {
	std::string label;
	double value = 0;
	size_t color = 0;
};

struct ChartData {
	std::string server_name; // as typed by its owner; made drawable and clipped when drawn
	std::string title;       // "CPU", "Network · eth0"
	std::string range_label; // "last 24 h"
	std::string time_zone;   // IANA name of the time axis
	Unit unit = Unit::plain;
	int64_t from_ms = 0, to_ms = 0;
	std::vector<Layer> layers;
	std::vector<RefLine> refs;
	std::optional<double> threshold; // an alert's threshold (the sparkline), drawn dashed
	std::string threshold_label;     // "limit 80%"
	// Words drawn on the plot, in the reader's language (words.h).
	std::string offline_label = "offline";
	DateWords date_words; // the time axis's dates
	std::string no_data = "No data yet", no_data_detail = "Nothing was reported in this range.";

	bool empty() const {
		for (const Layer& l : layers)
			if (!l.series.points.empty())
				return false;
		return true;
	}
};

// A series' point stands for its bucket: drawn at the bucket's middle (raw samples: at their
// time), so 5-minute and hourly charts line up with the same data at a finer tier.
inline int64_t point_time(const store::Series& s, const store::SeriesPoint& p) {
	return p.ts_ms + s.step_ms / 2;
}

// The spacing of a series' points: the bucket width, or for raw samples the median distance
// between them (the agent's interval; 60 s if there are too few to tell).
int64_t series_step_ms(const store::Series& s);
// Points further apart than this are not joined: the server was offline (or its agent stopped)
// between them. A few steps, so one late or lost report does not cut the line.
inline int64_t gap_ms(int64_t step_ms) {
	return 3 * step_ms + step_ms / 2;
}

} // namespace serversan::charts
