// The picture: the PNG decodes at the size asked for, data lands on the pixels it should, a gap
// stays a gap and is shaded, an empty chart says so, and a hostile server name stays inside.
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "serversan/server/charts/render.h"
#include "serversan/server/charts/text.h"
#include "serversan/server/charts/theme.h"
#include "test/unit/charts/png_reader.h"

using namespace serversan;
using namespace serversan::charts;
using serversan::testing::DecodedPng;
using serversan::testing::near;
using serversan::testing::Pixel;
using serversan::testing::to_pixel;

namespace {

constexpr int64_t kMin = 60'000, kHour = 60 * kMin;
constexpr int64_t T0 = 1'764'000'000'000;

// Raw samples every minute over the last hour before T0, value v(i); minutes in [gap_from,
// gap_to) are missing.
store::Series raw_series(double (*v)(int), int gap_from = -1, int gap_to = -1) {
	store::Series s;
	s.tier = store::Tier::raw;
	for (int i = 0; i < 60; ++i) {
		if (i >= gap_from && i < gap_to)
			continue;
		double x = v(i);
		s.points.push_back({T0 - kHour + i * kMin, x, x, x});
	}
	return s;
}

ChartData one_line(store::Series s, Unit unit = Unit::percent) {
	ChartData d;
	d.server_name = "web-1";
	d.title = "CPU";
	d.range_label = "last hour";
	d.time_zone = "UTC";
	d.unit = unit;
	d.from_ms = T0 - kHour;
	d.to_ms = T0;
	d.layers.push_back({"busy", std::move(s), LayerStyle::line, 0});
	return d;
}

// Writes the picture to $SERVERSAN_CHART_DIR/<name>.png when set, to look at it.
void keep(const std::string& name, const Picture& p) {
	if (const char* dir = std::getenv("SERVERSAN_CHART_DIR"))
		std::ofstream(std::string(dir) + "/" + name + ".png", std::ios::binary) << p.png;
}

double saw(int i) {
	return 10 + (i % 20) * 4; // 10 .. 86 %
}

} // namespace

TEST(ChartsRender, PngDecodesAtTheStatedSize) {
	for (Theme theme : {Theme::light, Theme::dark})
		for (ImageSize size : {ImageSize{1280, 720, 2}, ImageSize{640, 360, 1}, ImageSize{600, 150, 2}}) {
			auto pic = render_chart(one_line(raw_series(saw)), theme, size);
			ASSERT_TRUE(pic.ok()) << pic.error().message;
			DecodedPng png(pic->png);
			ASSERT_TRUE(png.ok());
			EXPECT_EQ(png.width(), size.width);
			EXPECT_EQ(png.height(), size.height);
			EXPECT_EQ(pic->png.substr(1, 3), "PNG");
		}
	EXPECT_FALSE(render_chart(one_line(raw_series(saw)), Theme::light, {0, 720, 2}).ok());
}

TEST(ChartsRender, PointsLandWhereTheDataSays) {
	for (Theme theme : {Theme::light, Theme::dark}) {
		auto pic = render_chart(one_line(raw_series(saw)), theme, {1280, 720, 2});
		ASSERT_TRUE(pic.ok());
		keep(theme == Theme::light ? "render_saw_light" : "render_saw_dark", *pic);
		DecodedPng png(pic->png);
		const PlotGeometry& g = pic->plot;
		Pixel line = to_pixel(palette(theme).series[0]);
		Pixel bg = to_pixel(palette(theme).background);
		// The plot spans the picture sensibly.
		EXPECT_GT(g.right - g.left, 1000);
		EXPECT_GT(g.bottom - g.top, 450);
		EXPECT_EQ(g.v_lo, 0);
		EXPECT_EQ(g.v_hi, 100);
		// Every sample's pixel is the line's colour; 20 % of the height above it is not.
		for (int i = 2; i < 58; i += 3) {
			double x = g.x(T0 - kHour + i * kMin), y = g.y(saw(i));
			EXPECT_TRUE(near(png.at(x, y), line)) << "sample " << i;
			EXPECT_FALSE(near(png.at(x, y - 0.2 * (g.bottom - g.top)), line)) << "sample " << i;
		}
		// Outside the plot (the right margin) there is only the background.
		EXPECT_TRUE(near(png.at(g.right + 5, (g.top + g.bottom) / 2), bg, 0));
	}
}

TEST(ChartsRender, AGapIsAGapAndIsShaded) {
	auto flat = [](int) { return 50.0; };
	auto pic = render_chart(one_line(raw_series(flat, 20, 40)), Theme::light, {1280, 720, 2});
	ASSERT_TRUE(pic.ok());
	keep("render_gap", *pic);
	DecodedPng png(pic->png);
	const PlotGeometry& g = pic->plot;
	Pixel line = to_pixel(palette(Theme::light).series[0]);
	Pixel bg = to_pixel(palette(Theme::light).background);
	double y = g.y(50);
	EXPECT_TRUE(near(png.at(g.x(T0 - kHour + 10 * kMin), y), line));
	EXPECT_TRUE(near(png.at(g.x(T0 - kHour + 50 * kMin), y), line));
	// Inside the gap: no line in the whole column, and the column is shaded (not background).
	double gx = g.x(T0 - kHour + 30 * kMin) + 3;
	for (double yy = g.top + 20; yy < g.bottom - 2; yy += 2)
		EXPECT_FALSE(near(png.at(gx, yy), line, 40)) << yy;
	Pixel shade = png.at(gx, y);
	EXPECT_FALSE(near(shade, bg, 2));
	// Where data is, between grid lines, the plot is background.
	EXPECT_TRUE(near(png.at(g.x(T0 - kHour + 10 * kMin) + 7, y + 31), bg, 0));
	// One lost report is not a gap: the line is continuous across it.
	auto one = render_chart(one_line(raw_series(flat, 30, 31)), Theme::light, {1280, 720, 2});
	ASSERT_TRUE(one.ok());
	DecodedPng png1(one->png);
	EXPECT_TRUE(near(png1.at(one->plot.x(T0 - kHour + 30 * kMin), one->plot.y(50)), line));
}

TEST(ChartsRender, TrailingSilenceIsShadedAsOffline) {
	auto flat = [](int) { return 50.0; };
	auto pic = render_chart(one_line(raw_series(flat, 45, 60)), Theme::light, {1280, 720, 2});
	ASSERT_TRUE(pic.ok());
	DecodedPng png(pic->png);
	const PlotGeometry& g = pic->plot;
	Pixel bg = to_pixel(palette(Theme::light).background);
	EXPECT_FALSE(near(png.at(g.x(T0 - 5 * kMin), g.y(25)), bg, 2));
	EXPECT_TRUE(near(png.at(g.x(T0 - kHour + 20 * kMin) + 7, g.y(25) + 3), bg, 0));
}

TEST(ChartsRender, StackedAreasSumUp) {
	ChartData d = one_line(raw_series([](int) { return 20.0; }));
	d.layers[0].style = LayerStyle::stacked;
	d.layers[0].label = "user";
	d.layers.push_back({"system", raw_series([](int) { return 40.0; }), LayerStyle::stacked, 1});
	auto pic = render_chart(d, Theme::light, {1280, 720, 2});
	ASSERT_TRUE(pic.ok());
	keep("render_stacked", *pic);
	DecodedPng png(pic->png);
	const PlotGeometry& g = pic->plot;
	const Palette& p = palette(Theme::light);
	double x = g.x(T0 - 30 * kMin);
	auto blend = [&](Rgb c) {
		return to_pixel({c.r * p.area_alpha + p.background.r * (1 - p.area_alpha),
		                 c.g * p.area_alpha + p.background.g * (1 - p.area_alpha),
		                 c.b * p.area_alpha + p.background.b * (1 - p.area_alpha)});
	};
	EXPECT_TRUE(near(png.at(x + 3, g.y(10)), blend(p.series[0])));
	EXPECT_TRUE(near(png.at(x + 3, g.y(40)), blend(p.series[1]))); // system sits on user: 20..60
	EXPECT_TRUE(near(png.at(x + 3, g.y(70)), to_pixel(p.background), 0));
}

TEST(ChartsRender, EmptySeriesSaysNoDataYet) {
	ChartData d = one_line(store::Series{});
	auto pic = render_chart(d, Theme::dark, {1280, 720, 2});
	ASSERT_TRUE(pic.ok());
	keep("render_empty", *pic);
	DecodedPng png(pic->png);
	ASSERT_TRUE(png.ok());
	// Text in the middle of the plot, and no series colour anywhere in it.
	const PlotGeometry& g = pic->plot;
	Pixel bg = to_pixel(palette(Theme::dark).background);
	Pixel line = to_pixel(palette(Theme::dark).series[0]);
	int text = 0;
	for (double x = g.left + 2; x < g.right - 2; x += 1) {
		for (double y = g.top + 2; y < g.bottom - 2; y += 3) {
			Pixel px = png.at(x, y);
			ASSERT_FALSE(near(px, line, 6));
			text += !near(px, bg, 8);
		}
	}
	EXPECT_GT(text, 200);
}

TEST(ChartsRender, HostileServerNameIsClippedToTheTitle) {
	ChartData d = one_line(raw_series(saw));
	d.server_name = std::string(3000, 'W') + "\xff\xfe\x01\n\t\u202e\xe2\x80" + std::string(500, 'M');
	auto pic = render_chart(d, Theme::light, {1280, 720, 2});
	ASSERT_TRUE(pic.ok()) << pic.error().message;
	keep("render_hostile", *pic);
	DecodedPng png(pic->png);
	ASSERT_TRUE(png.ok());
	// The title row's right part shows the range ("last hour · UTC"), and the margins stay clear.
	Pixel bg = to_pixel(palette(Theme::light).background);
	for (int y = 0; y < 60; ++y) {
		EXPECT_TRUE(near(png.at(2, y), bg, 0));
		EXPECT_TRUE(near(png.at(1279 - 2, y), bg, 0));
	}
	// The data is still drawn.
	EXPECT_TRUE(near(png.at(pic->plot.x(T0 - kHour + 5 * kMin), pic->plot.y(saw(5))),
	                 to_pixel(palette(Theme::light).series[0])));
}

// Every character of text has a glyph in the font set_font picks for it (index 0 is the
// "missing glyph" box).
bool drawn_with_real_glyphs(const std::string& text) {
	cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10, 10);
	cairo_t* cr = cairo_create(s);
	set_font(cr, 20, Weight::bold, text);
	cairo_glyph_t* glyphs = nullptr;
	int n = 0;
	cairo_status_t st = cairo_scaled_font_text_to_glyphs(cairo_get_scaled_font(cr), 0, 0, text.c_str(),
	                                                     static_cast<int>(text.size()), &glyphs, &n, nullptr,
	                                                     nullptr, nullptr);
	bool ok = st == CAIRO_STATUS_SUCCESS && n > 0;
	for (int i = 0; ok && i < n; ++i)
		ok = glyphs[i].index != 0;
	cairo_glyph_free(glyphs);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	return ok;
}

TEST(ChartsText, ChineseAndLatinNamesHaveRealGlyphs) {
	EXPECT_TRUE(drawn_with_real_glyphs("web-01 · CPU"));
	EXPECT_TRUE(drawn_with_real_glyphs("主机-北京 · CPU"));
	EXPECT_TRUE(drawn_with_real_glyphs("東京サーバー"));
	EXPECT_TRUE(needs_cjk_font("主机"));
	EXPECT_FALSE(needs_cjk_font("web-01 · Ünïcode ±°C"));
	ChartData d = one_line(raw_series(saw));
	d.server_name = "主机-北京";
	auto pic = render_chart(d, Theme::dark, {1280, 720, 2});
	ASSERT_TRUE(pic.ok());
	keep("render_chinese", *pic);
}

TEST(ChartsText, DrawableTextIsValidUtf8WithoutControls) {
	EXPECT_EQ(drawable_text("web-1"), "web-1");
	EXPECT_EQ(drawable_text("a\nb\tc\x7f"), "abc");
	EXPECT_EQ(drawable_text("x\xff"), "x\xef\xbf\xbd");
	EXPECT_EQ(drawable_text("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");                 // overlong '/'
	EXPECT_EQ(drawable_text("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); // surrogate
	EXPECT_EQ(drawable_text("\u202eevil"), "evil");
	EXPECT_EQ(drawable_text("服务器"), "服务器");

	cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 10, 10);
	cairo_t* cr = cairo_create(s);
	set_font(cr, 20);
	std::string fitted = fit_text(cr, "服务器-" + std::string(200, 'x'), 150);
	EXPECT_LE(text_width(cr, fitted), 150);
	EXPECT_EQ(fitted.substr(fitted.size() - 3), "…");
	EXPECT_EQ(fitted.substr(0, 9), "服务器");
	EXPECT_EQ(fit_text(cr, "short", 150), "short");
	EXPECT_EQ(cairo_status(cr), CAIRO_STATUS_SUCCESS);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
}
