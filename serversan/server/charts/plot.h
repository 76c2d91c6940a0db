// The data area: offline periods shaded, stacked areas, min/max bands, lines, reference and
// threshold lines, clipped to the plot rectangle. Coordinates are the PNG's pixels (the caller
// scales line widths by ImageSize::scale through `unit`).
#pragma once

#include <cairo.h>

#include "serversan/server/charts/chart_data.h"
#include "serversan/server/charts/geometry.h"
#include "serversan/server/charts/theme.h"

namespace serversan::charts {

// The highest and lowest values the layers reach (stacked layers summed), refs and threshold
// included; {0, 0} if there is nothing.
struct ValueRange {
	double lo = 0, hi = 0;
};
ValueRange data_range(const ChartData& data);

// unit: pixels per logical pixel (line widths, dash lengths, label sizes).
void draw_plot(cairo_t* cr, const ChartData& data, const PlotGeometry& g, const Palette& p, double unit);

} // namespace serversan::charts
