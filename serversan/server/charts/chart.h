// The charts' front door for the bot, the alerts and the web: a request in, a PNG and its
// caption out. Reads the store (chart_source.h), draws (render.h), encodes in memory (png.h).
// An empty range is a "No data yet" picture, never an error; errors are the store's.
#pragma once

#include <string>

#include "serversan/core/result.h"
#include "serversan/server/charts/caption.h"
#include "serversan/server/charts/chart_source.h"
#include "serversan/server/charts/render.h"

namespace serversan::charts {

struct Chart {
	Picture picture;
	std::vector<LayerStats> stats; // for the caption; empty when there is no data
	bool empty = false;
};

Result<Chart> make_chart(store::Store& store, const ChartRequest& request);

// A sparkline for an alert message: 600x150 pixels at 2x (300x75 on a phone) by default.
inline constexpr ImageSize kSparklineSize{600, 150, 2};
Result<Picture> make_sparkline(store::Store& store, const SparklineRequest& request,
                               Theme theme = Theme::light, const ImageSize& size = kSparklineSize);

} // namespace serversan::charts
