// Charts from a real SQLite store: every kind of chart over reports with an offline hour, the
// roll-up tiers for longer ranges, a server without data, and the alerts' sparkline.
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "serversan/server/charts/chart.h"
#include "serversan/server/charts/theme.h"
#include "test/unit/charts/lively_report.h"
#include "test/unit/charts/png_reader.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::charts;
using serversan::testing::DecodedPng;
using serversan::testing::near;
using serversan::testing::to_pixel;

namespace {

constexpr int64_t kMin = 60'000, kHour = 60 * kMin, kDay = 24 * kHour;
constexpr int64_t T0 = 1'764'000'000'000; // 2025-11-24 16:00 UTC

struct ChartsStore : ::testing::Test {
	serversan::testing::TempDir dir;
	std::unique_ptr<store::Store> db;
	uint64_t id = 0;

	void SetUp() override {
		db = store::open_sqlite_store(dir.file("s.db")).value();
		id = db->create_server(100, "web-1", SigningKey{}, T0 - 3 * kDay).value();
		// Two days of reports every minute up to T0, but none for an hour (14:00-15:00) before.
		ReportBatch b;
		b.stream = "0123456789abcdef";
		b.agent_version = "0.1.0";
		uint64_t seq = 1;
		for (int64_t t = T0 - 2 * kDay; t < T0; t += kMin, ++seq) {
			if (t >= T0 - 2 * kHour && t < T0 - kHour)
				continue;
			b.reports.push_back(serversan::testing::lively_report(seq, t));
			if (b.reports.size() == 500) {
				flush(b, t);
			}
		}
		flush(b, T0);
		store::RollupLimits limits;
		for (int i = 0; i < 100; ++i)
			if (!db->rollup(T0, limits).value().more)
				break;
	}
	void flush(ReportBatch& b, int64_t now) {
		if (b.reports.empty())
			return;
		ASSERT_TRUE(db->append({{id, b, now, std::nullopt}}).ok());
		b.reports.clear();
	}
	ChartRequest request(ChartKind kind, ChartRange range, Theme theme = Theme::light) {
		ChartRequest r;
		r.server_id = id;
		r.server_name = "web-1";
		r.kind = kind;
		r.range = range;
		r.time_zone = "Asia/Shanghai";
		r.theme = theme;
		r.now_ms = T0;
		return r;
	}
};

void keep(const std::string& name, const Picture& p) {
	if (const char* dir = std::getenv("SERVERSAN_CHART_DIR"))
		std::ofstream(std::string(dir) + "/" + name + ".png", std::ios::binary) << p.png;
}

} // namespace

TEST_F(ChartsStore, EveryKindDrawsFromTheStore) {
	for (ChartKind kind : kChartKinds)
		for (Theme theme : {Theme::light, Theme::dark}) {
			auto chart = make_chart(*db, request(kind, ChartRange::h6, theme));
			ASSERT_TRUE(chart.ok()) << chart.error().message;
			keep(fmt::format("store_{}_{}", chart_kind_name(kind), theme == Theme::light ? "light" : "dark"),
			     chart->picture);
			EXPECT_FALSE(chart->empty) << chart_kind_name(kind);
			EXPECT_FALSE(chart->stats.empty()) << chart_kind_name(kind);
			DecodedPng png(chart->picture.png);
			ASSERT_TRUE(png.ok());
			EXPECT_EQ(png.width(), 1280);
			EXPECT_EQ(png.height(), 720);
			EXPECT_LT(chart->picture.png.size(), 400'000u) << chart_kind_name(kind);
			// The offline hour is shaded: the middle of it is neither background nor data.
			const PlotGeometry& g = chart->picture.plot;
			auto px = png.at(g.x(T0 - 90 * kMin), g.top + (g.bottom - g.top) * 0.6);
			EXPECT_FALSE(near(px, to_pixel(palette(theme).background), 2)) << chart_kind_name(kind);
		}
}

TEST_F(ChartsStore, LayersAndCaptionsSayWhatTheChartShows) {
	auto cpu = load_chart(*db, request(ChartKind::cpu, ChartRange::h24));
	ASSERT_TRUE(cpu.ok());
	ASSERT_EQ(cpu->layers.size(), 4u);
	EXPECT_EQ(cpu->layers[0].label, "user");
	EXPECT_EQ(cpu->layers[3].label, "steal");
	EXPECT_EQ(cpu->unit, Unit::percent);
	auto load = load_chart(*db, request(ChartKind::load, ChartRange::h24));
	ASSERT_TRUE(load.ok());
	ASSERT_EQ(load->refs.size(), 1u);
	EXPECT_EQ(load->refs[0].label, "4 cores");
	auto mem = load_chart(*db, request(ChartKind::memory, ChartRange::h24));
	ASSERT_TRUE(mem.ok());
	ASSERT_EQ(mem->refs.size(), 1u);
	EXPECT_EQ(mem->refs[0].label, "RAM 16.0 GiB");
	EXPECT_EQ(mem->unit, Unit::bytes);
	auto disk = load_chart(*db, request(ChartKind::disk, ChartRange::h24));
	ASSERT_TRUE(disk.ok());
	ASSERT_EQ(disk->layers.size(), 2u);
	EXPECT_EQ(disk->layers[0].label, "/");
	EXPECT_EQ(disk->layers[1].label, "/srv/data");
	auto net = load_chart(*db, request(ChartKind::network, ChartRange::h1));
	ASSERT_TRUE(net.ok());
	EXPECT_EQ(net->unit, Unit::bytes_per_s);
	std::string caption = caption_text(*net);
	EXPECT_NE(caption.find("in: min "), std::string::npos) << caption;
	EXPECT_NE(caption.find("MiB/s"), std::string::npos) << caption;
	// Longer ranges read the roll-ups, with their min/max.
	auto week = load_chart(*db, request(ChartKind::cpu, ChartRange::d7));
	ASSERT_TRUE(week.ok());
	EXPECT_NE(week->layers[0].series.tier, store::Tier::raw);
	auto month = make_chart(*db, request(ChartKind::network, ChartRange::d30));
	ASSERT_TRUE(month.ok());
	EXPECT_FALSE(month->empty);
}

TEST_F(ChartsStore, AServerWithoutDataGetsANoDataPicture) {
	uint64_t fresh = db->create_server(100, "new", SigningKey{}, T0).value();
	ChartRequest r = request(ChartKind::cpu, ChartRange::h24);
	r.server_id = fresh;
	auto chart = make_chart(*db, r);
	ASSERT_TRUE(chart.ok());
	EXPECT_TRUE(chart->empty);
	EXPECT_TRUE(chart->stats.empty());
	EXPECT_TRUE(DecodedPng(chart->picture.png).ok());
	r.kind = ChartKind::disk; // no devices at all
	auto disk = make_chart(*db, r);
	ASSERT_TRUE(disk.ok());
	EXPECT_TRUE(disk->empty);
}

TEST_F(ChartsStore, SparklineDrawsTheLastHourAndTheThreshold) {
	SparklineRequest r;
	r.server_id = id;
	r.metric = "cpu.busy";
	r.title = "CPU · web-1";
	r.threshold = 80;
	r.now_ms = T0;
	for (Theme theme : {Theme::light, Theme::dark}) {
		auto pic = make_sparkline(*db, r, theme);
		ASSERT_TRUE(pic.ok()) << pic.error().message;
		keep(theme == Theme::light ? "sparkline_light" : "sparkline_dark", *pic);
		DecodedPng png(pic->png);
		ASSERT_TRUE(png.ok());
		EXPECT_EQ(png.width(), 600);
		EXPECT_EQ(png.height(), 150);
		// The threshold's dashes: red pixels on its line across the width.
		int red = 0;
		for (int x = 10; x < 590; ++x)
			red += near(png.at(x, std::round(pic->plot.y(80)) + 0.5), to_pixel(palette(theme).threshold), 30);
		EXPECT_GT(red, 200);
	}
}
