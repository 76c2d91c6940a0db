#include "serversan/server/charts/plot.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>

#include "serversan/server/charts/text.h"

namespace serversan::charts {

namespace {

// One layer ready to draw, at most one point per `column` pixels (the store gives up to two per
// pixel; more than one per logical pixel only costs drawing time): at each time the line
// (a stacked layer's: the top of the stack so far), and the min/max band.
struct Track {
	std::vector<int64_t> t; // point_time(), the first of the column
	std::vector<double> line, lo, hi;
	int64_t gap = 0; // points further apart are not joined
	const Layer* layer = nullptr;
};

std::vector<Track> tracks(const ChartData& data, const PlotGeometry& g, double column) {
	std::vector<Track> out;
	std::map<int64_t, double> stack_top; // the stacked layers so far, by time
	for (const Layer& l : data.layers) {
		Track tr;
		tr.layer = &l;
		// Merged columns put points up to a column's time further apart.
		int64_t column_ms =
		    column > 0
		        ? static_cast<int64_t>(column / (g.right - g.left) * static_cast<double>(g.to_ms - g.from_ms))
		        : 0;
		tr.gap = gap_ms(series_step_ms(l.series)) + column_ms;
		int64_t last_col = INT64_MIN;
		size_t merged = 0; // points in the current column
		for (const store::SeriesPoint& p : l.series.points) {
			int64_t t = point_time(l.series, p);
			double v = p.avg, lo = p.min, hi = p.max;
			if (l.style == LayerStyle::stacked) {
				double& top = stack_top[t];
				top += std::max(0.0, p.avg);
				v = lo = hi = top;
			}
			int64_t col = column > 0 ? static_cast<int64_t>(std::floor(g.x(t) / column)) : INT64_MIN + 1;
			if (column > 0 && col == last_col && !tr.t.empty() && t - tr.t.back() <= tr.gap) {
				++merged;
				tr.line.back() += (v - tr.line.back()) / static_cast<double>(merged);
				tr.lo.back() = std::min(tr.lo.back(), lo);
				tr.hi.back() = std::max(tr.hi.back(), hi);
				continue;
			}
			last_col = col;
			merged = 1;
			tr.t.push_back(t);
			tr.line.push_back(v);
			tr.lo.push_back(lo);
			tr.hi.push_back(hi);
		}
		out.push_back(std::move(tr));
	}
	return out;
}

// [begin, end) index ranges of points joined by lines.
std::vector<std::pair<size_t, size_t>> segments(const Track& tr) {
	std::vector<std::pair<size_t, size_t>> out;
	size_t begin = 0;
	for (size_t i = 1; i <= tr.t.size(); ++i)
		if (i == tr.t.size() || tr.t[i] - tr.t[i - 1] > tr.gap) {
			out.emplace_back(begin, i);
			begin = i;
		}
	return out;
}

void set_color(cairo_t* cr, Rgb c, double alpha = 1) {
	cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

// The region between lower and upper over one segment (a lone point: a bar one unit wide).
void fill_between(cairo_t* cr, const PlotGeometry& g, const Track& tr, size_t b, size_t e,
                  const std::vector<double>& lower, const std::vector<double>& upper, double unit) {
	if (e - b == 1) {
		double x = g.x(tr.t[b]);
		cairo_rectangle(cr, x - unit, g.y(upper[b]), 2 * unit, g.y(lower[b]) - g.y(upper[b]));
		cairo_fill(cr);
		return;
	}
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST); // as stroke_line
	cairo_move_to(cr, g.x(tr.t[b]), g.y(upper[b]));
	for (size_t i = b + 1; i < e; ++i)
		cairo_line_to(cr, g.x(tr.t[i]), g.y(upper[i]));
	for (size_t i = e; i-- > b;)
		cairo_line_to(cr, g.x(tr.t[i]), g.y(lower[i]));
	cairo_close_path(cr);
	cairo_fill(cr);
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
}

void stroke_line(cairo_t* cr, const PlotGeometry& g, const Track& tr, size_t b, size_t e, double unit) {
	if (e - b == 1) {
		cairo_arc(cr, g.x(tr.t[b]), g.y(tr.line[b]), 1.6 * unit, 0, 2 * M_PI);
		cairo_fill(cr);
		return;
	}
	// Cairo's fast anti-aliasing: a third less drawing time and a third smaller PNG on a 30-day
	// chart; at 2x density the edges look the same on a phone.
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_FAST);
	cairo_move_to(cr, g.x(tr.t[b]), g.y(tr.line[b]));
	for (size_t i = b + 1; i < e; ++i)
		cairo_line_to(cr, g.x(tr.t[i]), g.y(tr.line[i]));
	cairo_stroke(cr);
	cairo_set_antialias(cr, CAIRO_ANTIALIAS_DEFAULT);
}

// Offline periods: where no layer has a point for longer than a gap, including the time from the
// last report to the chart's right edge. Not before the first point: the server may simply be
// newer than the range.
void shade_offline(cairo_t* cr, const ChartData& data, const std::vector<Track>& trs, const PlotGeometry& g,
                   const Palette& p, double unit) {
	std::vector<int64_t> all;
	int64_t gap = 0;
	for (const Track& tr : trs) {
		all.insert(all.end(), tr.t.begin(), tr.t.end());
		gap = std::max(gap, tr.gap);
	}
	if (all.empty())
		return;
	std::sort(all.begin(), all.end());
	std::vector<std::pair<int64_t, int64_t>> off;
	for (size_t i = 1; i < all.size(); ++i)
		if (all[i] - all[i - 1] > gap)
			off.emplace_back(all[i - 1], all[i]);
	if (data.to_ms - all.back() > gap)
		off.emplace_back(all.back(), data.to_ms);
	std::string label = drawable_text(data.offline_label);
	set_font(cr, 10 * unit, Weight::normal, label);
	for (auto [a, b] : off) {
		double x0 = std::max(g.x(a), g.left), x1 = std::min(g.x(b), g.right);
		if (x1 <= x0)
			continue;
		set_color(cr, p.offline, 0.16);
		cairo_rectangle(cr, x0, g.top, x1 - x0, g.bottom - g.top);
		cairo_fill(cr);
		double w = text_width(cr, label);
		if (x1 - x0 > w + 8 * unit) {
			set_color(cr, p.muted);
			cairo_move_to(cr, (x0 + x1 - w) / 2, g.top + 14 * unit);
			cairo_show_text(cr, label.c_str());
		}
	}
}

void draw_hline(cairo_t* cr, const PlotGeometry& g, double v, Rgb c, Rgb background, const std::string& label,
                double unit) {
	double y = std::round(g.y(v)) + 0.5;
	if (y < g.top - 1 || y > g.bottom + 1)
		return;
	set_color(cr, c);
	double dash[] = {6 * unit, 4 * unit};
	cairo_set_dash(cr, dash, 2, 0);
	cairo_set_line_width(cr, 1.4 * unit);
	cairo_move_to(cr, g.left, y);
	cairo_line_to(cr, g.right, y);
	cairo_stroke(cr);
	cairo_set_dash(cr, nullptr, 0, 0);
	if (label.empty())
		return;
	// On a plate of the background colour, so that the data under it never makes it unreadable.
	set_font(cr, 10.5 * unit, Weight::normal, label);
	double w = text_width(cr, label);
	double x = g.right - w - 8 * unit, base = y - 5 * unit;
	set_color(cr, background, 0.85);
	cairo_rectangle(cr, x - 4 * unit, base - 11 * unit, w + 8 * unit, 14 * unit);
	cairo_fill(cr);
	set_color(cr, c);
	cairo_move_to(cr, x, base);
	cairo_show_text(cr, label.c_str());
}

} // namespace

ValueRange data_range(const ChartData& data) {
	bool any = false;
	ValueRange r{0, 0};
	auto take = [&](double v) {
		if (!std::isfinite(v))
			return;
		r.lo = any ? std::min(r.lo, v) : v;
		r.hi = any ? std::max(r.hi, v) : v;
		any = true;
	};
	for (const Track& tr : tracks(data, PlotGeometry{}, 0))
		for (size_t i = 0; i < tr.t.size(); ++i)
			take(tr.lo[i]), take(tr.hi[i]), take(tr.line[i]);
	if (!any)
		return r;
	for (const RefLine& ref : data.refs)
		take(ref.value);
	if (data.threshold)
		take(*data.threshold);
	return r;
}

void draw_plot(cairo_t* cr, const ChartData& data, const PlotGeometry& g, const Palette& p, double unit) {
	std::vector<Track> trs = tracks(data, g, unit);
	cairo_save(cr);
	cairo_rectangle(cr, g.left, g.top, g.right - g.left, g.bottom - g.top);
	cairo_clip(cr);
	shade_offline(cr, data, trs, g, p, unit);
	// Bevel joins: round ones on a jagged 700-point line cost the stroker several times more and
	// look the same at this width.
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_BEVEL);
	cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
	auto blend = [&](Rgb c, double a) {
		return Rgb{c.r * a + p.background.r * (1 - a), c.g * a + p.background.g * (1 - a),
		           c.b * a + p.background.b * (1 - a)};
	};
	// Stacked layers: each filled from zero to its top, the highest first, so each shows between
	// its own top and the next one's; opaque, which is cheaper to draw than translucent layers
	// and looks the same as translucent over the background.
	for (auto it = trs.rbegin(); it != trs.rend(); ++it) {
		if (it->layer->style != LayerStyle::stacked)
			continue;
		std::vector<double> zero(it->t.size(), 0);
		set_color(cr, blend(p.series[it->layer->color % kSeriesColors], p.area_alpha));
		for (auto [b, e] : segments(*it))
			fill_between(cr, g, *it, b, e, zero, it->line, unit);
	}
	// Then the other fills (area, min/max band), so that no fill covers another layer's line.
	for (const Track& tr : trs) {
		if (tr.layer->style == LayerStyle::stacked)
			continue;
		Rgb c = p.series[tr.layer->color % kSeriesColors];
		std::vector<double> zero(tr.t.size(), 0);
		for (auto [b, e] : segments(tr)) {
			if (tr.layer->style == LayerStyle::area) {
				set_color(cr, c, p.band_alpha * 0.8);
				fill_between(cr, g, tr, b, e, zero, tr.line, unit);
			}
			if (tr.layer->series.step_ms > 0) { // min/max band: raw samples have none
				set_color(cr, c, p.band_alpha);
				fill_between(cr, g, tr, b, e, tr.lo, tr.hi, unit);
			}
		}
	}
	for (const Track& tr : trs) {
		if (tr.layer->style == LayerStyle::stacked)
			continue; // the fills' edges are the lines: stroking them too doubled the drawing time
		set_color(cr, p.series[tr.layer->color % kSeriesColors]);
		cairo_set_line_width(cr, 1.8 * unit);
		for (auto [b, e] : segments(tr))
			stroke_line(cr, g, tr, b, e, unit);
	}
	for (const RefLine& ref : data.refs)
		draw_hline(cr, g, ref.value, p.series[ref.color % kSeriesColors], p.background, ref.label, unit);
	if (data.threshold)
		draw_hline(cr, g, *data.threshold, p.threshold, p.background, "", unit);
	cairo_restore(cr);
}

} // namespace serversan::charts
