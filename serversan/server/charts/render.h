// ChartData -> a PNG picture: header, axes, data, in one theme at one size. Pure: no store, no
// clock, so tests draw known data and read the pixels back through `plot`.
#pragma once

#include <string>

#include "serversan/core/result.h"
#include "serversan/server/charts/chart_data.h"
#include "serversan/server/charts/chart_request.h"
#include "serversan/server/charts/geometry.h"

namespace serversan::charts {

struct Picture {
	std::string png;
	int width = 0, height = 0;
	PlotGeometry plot; // where the data went (pixels)
};

// The full chart (title, legend, axes); "No data yet" when no layer has a point.
Result<Picture> render_chart(const ChartData& data, Theme theme, const ImageSize& size);
// The sparkline: the data and the threshold only, no title, legend or time labels; the newest
// value in the top right corner.
Result<Picture> render_sparkline(const ChartData& data, Theme theme, const ImageSize& size);

} // namespace serversan::charts
