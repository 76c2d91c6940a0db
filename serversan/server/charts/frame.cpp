#include "serversan/server/charts/frame.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "serversan/server/charts/text.h"
#include "serversan/server/charts/time_axis.h"

namespace serversan::charts {

namespace {

constexpr double kPad = 14;     // logical pixels around the picture
constexpr double kTitle = 17;   // title font size
constexpr double kLabel = 11.5; // axis and legend font size

void set_color(cairo_t* cr, Rgb c, double alpha = 1) {
	cairo_set_source_rgba(cr, c.r, c.g, c.b, alpha);
}

void show(cairo_t* cr, double x, double y, const std::string& s) {
	cairo_move_to(cr, x, y);
	cairo_show_text(cr, s.c_str());
}

} // namespace

double draw_header(cairo_t* cr, const ChartData& data, const Palette& p, double width, double unit) {
	double pad = kPad * unit;
	// Right: "last 24 h · UTC+8" in grey; left: "<server> · CPU" in bold, the server name clipped
	// to what is left, so a long or odd name can never push the chart out of the picture.
	std::string right = drawable_text(data.range_label + " · " + zone_label(data.time_zone, data.to_ms));
	set_font(cr, kLabel * unit, Weight::normal, right);
	double right_w = text_width(cr, right);
	set_color(cr, p.muted);
	show(cr, width - pad - right_w, pad + kTitle * unit * 0.8, right);

	std::string tail = " · " + drawable_text(data.title);
	set_font(cr, kTitle * unit, Weight::bold, data.server_name + tail);
	double room = width - 2 * pad - right_w - 16 * unit;
	std::string tail_fit = fit_text(cr, tail, room * 0.6);
	std::string name =
	    fit_text(cr, drawable_text(data.server_name), std::max(0.0, room - text_width(cr, tail_fit)));
	set_color(cr, p.text);
	show(cr, pad, pad + kTitle * unit * 0.8, name + tail_fit);

	// Legend: a swatch and a label per layer and reference line, wrapped onto a second row if
	// needed; what fits in two rows is shown.
	double y = pad + kTitle * unit + 12 * unit;
	double x = pad;
	int row = 0;
	set_font(cr, kLabel * unit);
	auto item = [&](const std::string& raw, Rgb c, bool dashed) {
		std::string label = drawable_text(raw);
		set_font(cr, kLabel * unit, Weight::normal, label);
		double w = 14 * unit + text_width(cr, label);
		if (x + w > width - pad && x > pad) {
			if (row == 1)
				return;
			++row;
			x = pad;
			y += (kLabel + 6) * unit;
		}
		set_color(cr, c);
		if (dashed) {
			cairo_set_line_width(cr, 2 * unit);
			double dash[] = {3 * unit, 2 * unit};
			cairo_set_dash(cr, dash, 2, 0);
			cairo_move_to(cr, x, y - 4 * unit);
			cairo_line_to(cr, x + 10 * unit, y - 4 * unit);
			cairo_stroke(cr);
			cairo_set_dash(cr, nullptr, 0, 0);
		} else {
			cairo_rectangle(cr, x, y - 9 * unit, 10 * unit, 10 * unit);
			cairo_fill(cr);
		}
		set_color(cr, p.text);
		show(cr, x + 14 * unit, y, fit_text(cr, label, width - 2 * pad - 14 * unit));
		x += w + 14 * unit;
	};
	if (!data.empty()) { // a legend of nothing would only confuse
		for (const Layer& l : data.layers)
			item(l.label, p.series[l.color % kSeriesColors], false);
		for (const RefLine& r : data.refs)
			item(r.label, p.series[r.color % kSeriesColors], true);
	}
	return y + 10 * unit;
}

PlotGeometry plot_geometry(cairo_t* cr, const ChartData& data, const ValueAxis& axis, double top,
                           double width, double height, double unit) {
	set_font(cr, kLabel * unit);
	double label_w = 0;
	if (!data.empty()) // without data there are no axis labels to make room for
		for (const std::string& l : axis.labels)
			label_w = std::max(label_w, text_width(cr, l) + 8 * unit);
	PlotGeometry g;
	// Whole pixels: grid lines on pixel centres stay sharp.
	g.left = std::round(kPad * unit + label_w);
	g.right = std::round(width - kPad * unit);
	g.top = std::round(top + 4 * unit);
	g.bottom = std::round(height - (kPad + kLabel + 6) * unit);
	g.set_ranges(data.from_ms, data.to_ms, axis.ticks.lo, axis.ticks.hi);
	return g;
}

void draw_axes(cairo_t* cr, const ChartData& data, const ValueAxis& axis, const PlotGeometry& g,
               const Palette& p, double unit) {
	set_font(cr, kLabel * unit);
	cairo_set_line_width(cr, std::max(1.0, std::round(unit)));
	for (size_t i = 0; i < axis.ticks.values.size(); ++i) {
		double y = std::round(g.y(axis.ticks.values[i])) + 0.5;
		set_color(cr, i == 0 ? p.axis : p.grid);
		cairo_move_to(cr, g.left, y);
		cairo_line_to(cr, g.right, y);
		cairo_stroke(cr);
		set_color(cr, p.muted);
		const std::string& l = axis.labels[i];
		show(cr, g.left - 6 * unit - text_width(cr, l), y + 4 * unit, l);
	}
	int max_ticks = std::max(2, static_cast<int>((g.right - g.left) / (70 * unit)));
	double last_end = -1e9;
	for (const TimeTick& t :
	     time_ticks(data.from_ms, data.to_ms, data.time_zone, max_ticks, data.date_words)) {
		double x = std::round(g.x(t.ms)) + 0.5;
		set_color(cr, t.day ? p.axis : p.grid);
		cairo_move_to(cr, x, g.top);
		cairo_line_to(cr, x, g.bottom);
		cairo_stroke(cr);
		double w = text_width(cr, t.label);
		double lx = std::clamp(x - w / 2, g.left, g.right - w);
		if (lx < last_end + 8 * unit)
			continue; // labels never overlap
		set_color(cr, t.day ? p.text : p.muted);
		show(cr, lx, g.bottom + (kLabel + 4) * unit, t.label);
		last_end = lx + w;
	}
}

void draw_no_data(cairo_t* cr, const ChartData& data, const PlotGeometry& g, const Palette& p, double unit) {
	set_color(cr, p.grid);
	cairo_set_line_width(cr, std::max(1.0, std::round(unit)));
	cairo_rectangle(cr, g.left + 0.5, g.top + 0.5, g.right - g.left - 1, g.bottom - g.top - 1);
	cairo_stroke(cr);
	double cx = (g.left + g.right) / 2, cy = (g.top + g.bottom) / 2;
	std::string head = drawable_text(data.no_data);
	set_font(cr, 20 * unit, Weight::bold, head);
	set_color(cr, p.muted);
	show(cr, cx - text_width(cr, head) / 2, cy, head);
	std::string sub = drawable_text(data.no_data_detail);
	set_font(cr, kLabel * unit, Weight::normal, sub);
	show(cr, cx - text_width(cr, sub) / 2, cy + 22 * unit, sub);
}

} // namespace serversan::charts
