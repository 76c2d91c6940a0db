// Issue 21: a chart from a real SQLite store, PNG encoding included (goals: a 30-day chart in
// 20 ms or less, a sparkline in 3 ms or less), and the PNG sizes (Telegram's photo limit is
// 10 MB). The store holds 30 days of every-minute reports for SERVERS servers
// (test/unit/charts/lively_report.h: a daily rhythm, a nightly backup, an offline hour), rolled
// up as the jobs role does, in $SERVERSAN_BENCH_DIR (default /tmp). Figures, not assertions.
//   bench_charts [SERVERS=3] [RUNS=30] [EXAMPLES_DIR]
// With EXAMPLES_DIR, writes the example pictures of docs/charts.md there.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "bench/store_bench_data.h"
#include "serversan/server/charts/chart.h"
#include "serversan/server/charts/png.h"
#include "serversan/server/store/store.h"
#include "test/unit/charts/lively_report.h"

using namespace serversan;
using namespace serversan::charts;
using Steady = std::chrono::steady_clock;

namespace {

constexpr int64_t kMin = 60'000, kHour = 60 * kMin, kDay = 24 * kHour;
constexpr int64_t T0 = 1'764'000'000'000 + 7 * kHour; // 2025-11-24 23:00 UTC (07:00 in Shanghai)

double ms_since(Steady::time_point t) {
	return std::chrono::duration<double, std::milli>(Steady::now() - t).count();
}

// This thread's CPU time: on a shared machine the wall clock also counts the time other
// processes had the core, so both are printed.
double cpu_ms() {
	timespec ts{};
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

struct Figures {
	double median = 0, p95 = 0, cpu_median = 0;
	size_t png_bytes = 0;
};

template <typename F>
Figures measure(int runs, F make) {
	std::vector<double> v, c;
	size_t bytes = 0;
	for (int i = 0; i < runs; ++i) {
		auto t = Steady::now();
		double c0 = cpu_ms();
		bytes = make();
		c.push_back(cpu_ms() - c0);
		v.push_back(ms_since(t));
	}
	std::sort(v.begin(), v.end());
	std::sort(c.begin(), c.end());
	return {v[v.size() / 2], v[v.size() * 95 / 100], c[c.size() / 2], bytes};
}

void print(const std::string& what, const Figures& f) {
	std::printf("%-22s %6.2f ms %6.2f ms %6.2f ms %7.1f KB\n", what.c_str(), f.median, f.p95, f.cpu_median,
	            static_cast<double>(f.png_bytes) / 1000.0);
}

// 30 days of reports every minute up to T0, none for an hour two days ago.
uint64_t fill(store::Store& db, uint64_t id, size_t salt) {
	uint64_t seq = 1;
	store::IngestBatch b{id, {}, T0, std::nullopt};
	b.batch.stream = fmt::format("{:016x}", salt + 1);
	b.batch.agent_version = "0.1.0";
	uint64_t n = 0;
	for (int64_t t = T0 - 30 * kDay; t < T0; t += kMin, ++seq) {
		if (t >= T0 - 2 * kDay && t < T0 - 2 * kDay + kHour)
			continue;
		b.batch.reports.push_back(testing::lively_report(seq + salt * 7919, t));
		if (b.batch.reports.size() == 2000 || t + kMin >= T0) {
			b.received_ms = t;
			db.append({b}).value();
			n += b.batch.reports.size();
			b.batch.reports.clear();
		}
	}
	return n;
}

} // namespace

int main(int argc, char** argv) {
	size_t servers = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 3;
	int runs = argc > 2 ? std::atoi(argv[2]) : 30;
	std::string examples = argc > 3 ? argv[3] : "";
	auto dir = bench::bench_dir();
	auto db = store::open_sqlite_store((dir / "serversan.db").string()).value();
	auto t = Steady::now();
	uint64_t reports = 0, id = 0;
	for (size_t i = 0; i < std::max<size_t>(servers, 1); ++i) {
		uint64_t s = db->create_server(1, fmt::format("web-{}", i + 1), SigningKey{}, T0 - 31 * kDay).value();
		id = id ? id : s;
		reports += fill(*db, s, i);
	}
	double fill_ms = ms_since(t);
	t = Steady::now();
	while (db->rollup(T0, {}).value().more) {
	}
	std::printf("store: %zu servers, %llu reports in %.1f s, rolled up in %.1f s (%s)\n", servers,
	            static_cast<unsigned long long>(reports), fill_ms / 1000, ms_since(t) / 1000, dir.c_str());

	auto request = [&](ChartKind kind, ChartRange range, Theme theme = Theme::light) {
		ChartRequest r;
		r.server_id = id;
		r.server_name = "web-1";
		r.kind = kind;
		r.range = range;
		r.time_zone = "Asia/Shanghai";
		r.theme = theme;
		r.now_ms = T0;
		return r;
	};
	std::printf("%-22s %9s %9s %9s %10s\n", "chart (1280x720)", "median", "p95", "CPU", "PNG");
	for (ChartRange range : kChartRanges)
		for (ChartKind kind : kChartKinds) {
			if (range != ChartRange::d30 && kind != ChartKind::cpu)
				continue; // every kind at 30 days, the other ranges once
			Figures f = measure(
			    runs, [&] { return make_chart(*db, request(kind, range)).value().picture.png.size(); });
			print(fmt::format("{} {}", chart_kind_name(kind), chart_range_name(range)), f);
		}
	// Where a 30-day CPU chart's time goes: the store's reads, then drawing and encoding.
	{
		auto data = load_chart(*db, request(ChartKind::cpu, ChartRange::d30)).value();
		Figures load = measure(runs, [&] {
			return load_chart(*db, request(ChartKind::cpu, ChartRange::d30)).value().layers.size();
		});
		Figures draw = measure(runs, [&] { return render_chart(data, Theme::light, {}).value().png.size(); });
		cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1280, 720);
		Figures blank = measure(runs, [&] { return encode_png(s).value().size(); });
		// What cairo's own writer (libpng, zlib's default level, every filter tried) takes for it.
		Figures cairo_png = measure(runs, [&] {
			std::string out;
			cairo_surface_write_to_png_stream(
			    s,
			    [](void* c, const unsigned char* d, unsigned int n) {
				    static_cast<std::string*>(c)->append(reinterpret_cast<const char*>(d), n);
				    return CAIRO_STATUS_SUCCESS;
			    },
			    &out);
			return out.size();
		});
		cairo_surface_destroy(s);
		std::printf("  cpu 30d (CPU time): store reads %.2f ms, drawing + PNG %.2f ms\n", load.cpu_median,
		            draw.cpu_median);
		std::printf(
		    "  PNG of a blank 1280x720 (CPU time): ours %.2f ms, cairo_surface_write_to_png_stream %.2f ms\n",
		    blank.cpu_median, cairo_png.cpu_median);
	}
	SparklineRequest sr;
	sr.server_id = id;
	sr.metric = "cpu.busy";
	sr.title = "CPU · web-1";
	sr.threshold = 80;
	sr.now_ms = T0;
	Figures f = measure(runs * 10, [&] { return make_sparkline(*db, sr).value().png.size(); });
	print("sparkline 600x150", f);

	if (!examples.empty()) {
		auto write = [&](const std::string& name, const std::string& png) {
			std::ofstream(examples + "/" + name + ".png", std::ios::binary) << png;
		};
		struct Example {
			ChartKind kind;
			ChartRange range;
			Theme theme;
		};
		for (Example e : {Example{ChartKind::cpu, ChartRange::h24, Theme::light},
		                  {ChartKind::memory, ChartRange::d7, Theme::dark},
		                  {ChartKind::disk, ChartRange::d30, Theme::light},
		                  {ChartKind::io, ChartRange::h24, Theme::dark},
		                  {ChartKind::network, ChartRange::h6, Theme::light},
		                  {ChartKind::load, ChartRange::h24, Theme::dark},
		                  {ChartKind::temp, ChartRange::d7, Theme::light}})
			write(fmt::format("{}-{}", chart_kind_name(e.kind), chart_range_name(e.range)),
			      make_chart(*db, request(e.kind, e.range, e.theme)).value().picture.png);
		write("sparkline", make_sparkline(*db, sr).value().png);
		ChartRequest empty = request(ChartKind::cpu, ChartRange::h24, Theme::dark);
		empty.server_id = db->create_server(1, "new-server", SigningKey{}, T0).value();
		empty.server_name = "new-server";
		write("no-data", make_chart(*db, empty).value().picture.png);
		std::printf("examples written to %s\n", examples.c_str());
	}
	std::filesystem::remove_all(dir);
	return 0;
}
