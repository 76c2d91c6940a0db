// The numbers under a chart: min, average and max of each layer over the range (the bucket
// minima and maxima where the tier has them, so a short spike inside an hour still counts).
// The bot puts them in the photo's caption; the words around them are the bot's catalogue's.
#pragma once

#include <string>
#include <vector>

#include "serversan/server/charts/chart_data.h"

namespace serversan::charts {

struct LayerStats {
	std::string label;
	std::string min, avg, max; // formatted in the chart's unit: "1.2 GiB", "45%"
};

// Layers without points are left out.
std::vector<LayerStats> layer_stats(const ChartData& data);
// One line per layer: "user: min 0.5% · avg 4.1% · max 38%".
std::string caption_text(const ChartData& data);

} // namespace serversan::charts
