#include "serversan/server/charts/caption.h"

#include <algorithm>
#include <limits>

namespace serversan::charts {

std::vector<LayerStats> layer_stats(const ChartData& data) {
	std::vector<LayerStats> out;
	for (const Layer& l : data.layers) {
		if (l.series.points.empty())
			continue;
		double lo = std::numeric_limits<double>::infinity(), hi = -lo, sum = 0;
		for (const store::SeriesPoint& p : l.series.points) {
			lo = std::min(lo, p.min);
			hi = std::max(hi, p.max);
			sum += p.avg;
		}
		double avg = sum / static_cast<double>(l.series.points.size());
		out.push_back({l.label, format_value(data.unit, lo), format_value(data.unit, avg),
		               format_value(data.unit, hi)});
	}
	return out;
}

std::string caption_text(const ChartData& data) {
	std::string out;
	for (const LayerStats& s : layer_stats(data)) {
		if (!out.empty())
			out += '\n';
		if (!s.label.empty())
			out += s.label + ": ";
		out += "min " + s.min + " · avg " + s.avg + " · max " + s.max;
	}
	return out;
}

} // namespace serversan::charts
