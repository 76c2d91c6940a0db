// Everything around the data: the title (server name clipped to fit, chart, range and zone), the
// legend, the value and time axes with their grid, and the "No data yet" picture. Sizes are in
// logical pixels times `unit` (ImageSize::scale), so text reads the same at any density.
#pragma once

#include <cairo.h>

#include "serversan/server/charts/chart_data.h"
#include "serversan/server/charts/geometry.h"
#include "serversan/server/charts/theme.h"
#include "serversan/server/charts/value_axis.h"

namespace serversan::charts {

// Draws the title and legend and returns the y (pixels) below them.
double draw_header(cairo_t* cr, const ChartData& data, const Palette& p, double width, double unit);
// The plot rectangle below `top` that leaves room for the axis labels, with the data mapped.
PlotGeometry plot_geometry(cairo_t* cr, const ChartData& data, const ValueAxis& axis, double top,
                           double width, double height, double unit);
// Grid lines and labels of both axes.
void draw_axes(cairo_t* cr, const ChartData& data, const ValueAxis& axis, const PlotGeometry& g,
               const Palette& p, double unit);
// The plot area of a chart without data: a frame and a short explanation.
void draw_no_data(cairo_t* cr, const ChartData& data, const PlotGeometry& g, const Palette& p, double unit);

} // namespace serversan::charts
