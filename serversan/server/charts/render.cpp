#include "serversan/server/charts/render.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "serversan/server/charts/frame.h"
#include "serversan/server/charts/plot.h"
#include "serversan/server/charts/png.h"
#include "serversan/server/charts/text.h"
#include "serversan/server/charts/theme.h"

namespace serversan::charts {

namespace {

using SurfacePtr = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;

struct Canvas {
	cairo_surface_t* surface = nullptr; // owned by the thread's cache
	std::unique_ptr<cairo_t, decltype(&cairo_destroy)> cr{nullptr, cairo_destroy};
};

// The thread's last surfaces (two sizes: a chart and a sparkline), reused: a fresh 1280x720
// surface is 3.6 MB of new pages, and faulting them in cost about a tenth of a chart's time.
// Every picture paints its whole background first, so nothing of the previous one shows.
cairo_surface_t* surface_of(int width, int height) {
	thread_local std::vector<SurfacePtr> cache;
	for (const SurfacePtr& s : cache)
		if (cairo_image_surface_get_width(s.get()) == width &&
		    cairo_image_surface_get_height(s.get()) == height)
			return s.get();
	if (cache.size() >= 2)
		cache.erase(cache.begin());
	// RGB24: no alpha channel, which a chart does not need.
	cache.emplace_back(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height), cairo_surface_destroy);
	return cache.back().get();
}

Result<Canvas> canvas(const ImageSize& size, const Palette& p) {
	if (size.width < 16 || size.height < 16 || size.width > 4096 || size.height > 4096 || !(size.scale > 0))
		return Err("chart size out of range");
	Canvas c;
	c.surface = surface_of(size.width, size.height);
	c.cr.reset(cairo_create(c.surface));
	if (cairo_status(c.cr.get()) != CAIRO_STATUS_SUCCESS)
		return Err(std::string("cairo: ") + cairo_status_to_string(cairo_status(c.cr.get())));
	cairo_set_source_rgb(c.cr.get(), p.background.r, p.background.g, p.background.b);
	cairo_paint(c.cr.get());
	return c;
}

// A canvas of the theme's background, drawn on by draw(cr, palette) -> PlotGeometry, as a PNG.
template <typename Draw>
Result<Picture> paint(Theme theme, const ImageSize& size, Draw draw) {
	const Palette& p = palette(theme);
	auto c = canvas(size, p);
	if (!c)
		return c.error();
	PlotGeometry g = draw(c->cr.get(), p);
	if (cairo_status(c->cr.get()) != CAIRO_STATUS_SUCCESS)
		return Err(std::string("cairo: ") + cairo_status_to_string(cairo_status(c->cr.get())));
	auto png = encode_png(c->surface);
	if (!png)
		return png.error();
	return Picture{std::move(*png), size.width, size.height, g};
}

// A little headroom above the highest value, so that a peak or a reference line at the top of
// the scale is not drawn on the plot's edge.
ValueAxis axis_for(const ChartData& data, int max_ticks) {
	ValueRange r = data_range(data);
	return value_axis(data.unit, r.lo, r.hi + (r.hi - r.lo) * 0.06, max_ticks);
}

} // namespace

Result<Picture> render_chart(const ChartData& data, Theme theme, const ImageSize& size) {
	return paint(theme, size, [&](cairo_t* cr, const Palette& p) {
		double unit = size.scale;
		double top = draw_header(cr, data, p, size.width, unit);
		int max_ticks = std::clamp(static_cast<int>((size.height - top) / (45 * unit)), 2, 8);
		ValueAxis axis = axis_for(data, max_ticks);
		PlotGeometry g = plot_geometry(cr, data, axis, top, size.width, size.height, unit);
		if (data.empty()) {
			draw_no_data(cr, data, g, p, unit);
		} else {
			draw_axes(cr, data, axis, g, p, unit);
			draw_plot(cr, data, g, p, unit);
		}
		return g;
	});
}

Result<Picture> render_sparkline(const ChartData& data, Theme theme, const ImageSize& size) {
	return paint(theme, size, [&](cairo_t* cr, const Palette& p) {
		double unit = size.scale;
		ValueAxis axis = axis_for(data, 2);
		PlotGeometry g;
		double pad = 4 * unit;
		g.left = pad, g.right = size.width - pad, g.top = 18 * unit, g.bottom = size.height - pad;
		g.set_ranges(data.from_ms, data.to_ms, axis.ticks.lo, axis.ticks.hi);
		cairo_set_source_rgb(cr, p.grid.r, p.grid.g, p.grid.b);
		cairo_set_line_width(cr, std::max(1.0, std::round(unit)));
		cairo_move_to(cr, g.left, std::round(g.bottom) + 0.5);
		cairo_line_to(cr, g.right, std::round(g.bottom) + 0.5);
		cairo_stroke(cr);
		draw_plot(cr, data, g, p, unit);
		// Labels: what it is and the threshold on the left, the newest value on the right.
		std::string now_label;
		for (const Layer& l : data.layers)
			if (!l.series.points.empty())
				now_label = format_value(data.unit, l.series.points.back().avg);
		if (now_label.empty())
			now_label = drawable_text(data.no_data);
		set_font(cr, 11 * unit, Weight::bold, now_label);
		double now_w = text_width(cr, now_label);
		cairo_set_source_rgb(cr, p.text.r, p.text.g, p.text.b);
		cairo_move_to(cr, g.right - now_w, 13 * unit);
		cairo_show_text(cr, now_label.c_str());
		std::string scale_label = drawable_text(data.title);
		if (!data.threshold_label.empty())
			scale_label += " · " + drawable_text(data.threshold_label);
		set_font(cr, 10 * unit, Weight::normal, scale_label);
		cairo_set_source_rgb(cr, p.muted.r, p.muted.g, p.muted.b);
		cairo_move_to(cr, g.left, 13 * unit);
		cairo_show_text(cr, fit_text(cr, scale_label, g.right - g.left - now_w - 12 * unit).c_str());
		return g;
	});
}

} // namespace serversan::charts
