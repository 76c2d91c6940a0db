// The time series: metric extraction, the device blob, roll-up arithmetic, roll-ups and tier
// choice on a moved clock, late reports, and the chart read path.
#include <random>
#include <set>

#include <gtest/gtest.h>

#include "serversan/core/clock.h"
#include "serversan/server/store/device_blob.h"
#include "serversan/server/store/metrics.h"
#include "serversan/server/store/rollup_math.h"
#include "serversan/server/store/store.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::store;
using serversan::testing::TempDir;

namespace {

constexpr int64_t T0 = 1'764'000'000'000; // on a whole hour (UTC)

// Report i of a series: CPU busy cycles 0, 10, ..., 90 %; eth0 receives 100 * i bytes/s.
Report series_report(uint64_t seq, int64_t time_ms, int i) {
	Report r = serversan::testing::sample_report(seq, time_ms);
	double busy = (i % 10) * 10.0;
	r.cpu.total = {};
	r.cpu.total.user = busy;
	r.cpu.total.idle = 100.0 - busy;
	NetInterface lo;
	lo.name = "lo";
	lo.rx_bytes_per_s = 1e6;
	NetInterface eth;
	eth.name = "eth0";
	eth.rx_bytes_per_s = 100.0 * i;
	eth.tx_bytes_per_s = 5.0;
	eth.rx_errors = 1;
	eth.tx_errors = 2;
	eth.ipv4 = "10.0.0.1";
	r.interfaces = {lo, eth};
	r.disks.push_back({"vda", 1000.0, 2000.0, 1.5, 2.5, 12.5});
	r.temperatures.push_back({"coretemp/Package id 0", 40.0 + i % 3});
	return r;
}

struct SeriesFixture : ::testing::Test {
	TempDir dir;
	std::unique_ptr<Store> store;
	uint64_t id = 0;
	uint64_t seq = 0;

	void SetUp() override {
		store = open_sqlite_store(dir.file("s.db")).value();
		id = store->create_server(std::nullopt, "web", SigningKey{}, T0 - kHourMs).value();
	}
	// Reports every minute for `minutes` minutes from `start`, value index from `first_i`.
	void feed(int64_t start, int minutes, int first_i = 0, uint64_t server = 0) {
		ReportBatch b;
		b.stream = "0123456789abcdef";
		b.agent_version = "0.2.0";
		for (int m = 0; m < minutes; ++m)
			b.reports.push_back(series_report(++seq, start + m * kMinuteMs, first_i + m));
		ASSERT_TRUE(store->append({{server ? server : id, b, start}}).ok());
	}
	void roll(int64_t now, RollupLimits limits = {}) {
		for (int i = 0; i < 10000; ++i) {
			auto p = store->rollup(now, limits);
			ASSERT_TRUE(p.ok()) << p.error().message;
			if (!p->more)
				return;
		}
		FAIL() << "roll-ups never finished";
	}
	Series get(const std::string& metric, int64_t from, int64_t to, std::optional<Tier> tier,
	           const std::string& device = "", int64_t now = T0 + 4 * kHourMs) {
		SeriesQuery q;
		q.server_id = id;
		q.metric = metric;
		q.device = device;
		q.from_ms = from;
		q.to_ms = to;
		q.now_ms = now;
		q.tier = tier;
		auto s = store->series(q);
		EXPECT_TRUE(s.ok()) << s.error().message;
		return s.ok() ? *s : Series{};
	}
};

} // namespace

TEST(StoreMetrics, MainValuesLeaveAbsentValuesAbsent) {
	Report r;
	r.seq = 1;
	r.time_ms = T0;
	MainValues v = main_values(r);
	for (const auto& x : v)
		EXPECT_FALSE(x);
	r = series_report(1, T0, 3);
	v = main_values(r);
	EXPECT_DOUBLE_EQ(*v[0], 30.0);                  // cpu busy
	EXPECT_DOUBLE_EQ(*v[18], 300.0);                // net rx: eth0 only, lo left out
	EXPECT_DOUBLE_EQ(*v[14], 100.0 * (1ull << 30)); // fs used
	EXPECT_DOUBLE_EQ(*v[23], 40.0);                 // hottest sensor
	const MetricInfo* m = find_metric("mem.percent");
	ASSERT_TRUE(m);
	EXPECT_DOUBLE_EQ(*metric_value(*m, r), 12.5); // 3 GiB of 24 GiB
	EXPECT_DOUBLE_EQ(*metric_value(*find_metric("net.errors"), r, "eth0"), 3.0);
	EXPECT_FALSE(metric_value(*find_metric("net.errors"), r, "nope"));
	EXPECT_FALSE(find_metric("cpu.nonsense"));
}

TEST(StoreMetrics, CatalogNamesAreUniqueAndConsistent) {
	std::set<std::string_view> names;
	for (const MetricInfo& m : metric_catalog()) {
		EXPECT_TRUE(names.insert(m.name).second) << m.name;
		EXPECT_TRUE(m.column >= 0 || m.slot >= 0) << m.name;
		EXPECT_LT(m.column, static_cast<int>(kMainColumnCount));
		EXPECT_LT(m.slot, static_cast<int>(kDeviceSlots));
		EXPECT_EQ(m.slot >= 0, m.kind.has_value()) << m.name;
	}
}

TEST(DeviceBlob, RoundTripsAndMatchesTheSampleView) {
	Report r = series_report(1, T0, 7);
	Filesystem f;
	f.mount = "/data";
	f.total = (uint64_t{1} << 53) - 1; // largest exact integer
	f.used = 12345;
	r.filesystems.push_back(f);
	std::string a, b;
	encode_devices(r, a);
	encode_devices(device_samples(r), b);
	EXPECT_EQ(a, b);
	auto back = decode_devices({reinterpret_cast<const uint8_t*>(a.data()), a.size()}).value();
	auto want = device_samples(r);
	ASSERT_EQ(back.size(), want.size());
	for (size_t i = 0; i < want.size(); ++i) {
		EXPECT_EQ(back[i].kind, want[i].kind);
		EXPECT_EQ(back[i].name, want[i].name);
		for (size_t s = 0; s < kDeviceSlots; ++s) {
			ASSERT_EQ(back[i].values[s].has_value(), want[i].values[s].has_value()) << want[i].name << s;
			if (want[i].values[s]) { // float32 for rates: a chart cannot tell the difference
				EXPECT_NEAR(*back[i].values[s], *want[i].values[s], std::abs(*want[i].values[s]) * 1e-6);
			}
		}
	}
	ASSERT_EQ(back[1].name, "/data");
	EXPECT_EQ(*back[1].values[1], static_cast<double>((uint64_t{1} << 53) - 1)); // bytes stay exact
	EXPECT_LT(a.size(), 200u);                                                   // six devices
}

TEST(DeviceBlob, AnyDamageIsAnErrorNeverACrash) {
	std::string blob;
	encode_devices(series_report(1, T0, 1), blob);
	auto span = [](const std::string& s) {
		return std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size());
	};
	for (size_t cut = 1; cut < blob.size(); ++cut) {
		std::string t = blob.substr(0, cut);
		auto r = decode_devices(span(t));
		if (r.ok()) { // a cut exactly between two devices is a valid shorter blob
			EXPECT_LT(r->size(), 6u);
		}
	}
	std::mt19937 rng(42);
	for (int i = 0; i < 2000; ++i) {
		std::string t = blob;
		t[rng() % t.size()] = static_cast<char>(rng());
		(void)decode_devices(span(t));
	}
	EXPECT_FALSE(decode_devices(span(std::string("\x07garbage"))).ok());
	EXPECT_TRUE(decode_devices({}).value().empty());
}

TEST(RollupMath, WeightedBucketsEqualTheRawValues) {
	Agg raw, five[2], hour;
	double values[] = {3, 9, 1, 4, 7, 2, 8, 6, 5, 0};
	for (int i = 0; i < 10; ++i) {
		raw.add(values[i]);
		five[i / 6].add(values[i]); // buckets of 6 and 4 values
	}
	for (const Agg& f : five) {
		Stat s = *f.get();
		hour.add(s.min, s.avg, s.max, f.n());
	}
	EXPECT_EQ(*raw.get(), *hour.get());
	EXPECT_DOUBLE_EQ(hour.get()->avg, 4.5);
	EXPECT_FALSE(Agg{}.get());
	EXPECT_EQ(bucket_start(T0 + 299'999, 300'000), T0);
	EXPECT_EQ(bucket_start(-1, 300'000), -300'000);
}

TEST_F(SeriesFixture, RollupsHoldMinAvgMaxOfTheRawValues) {
	feed(T0, 180);
	roll(T0 + 3 * kHourMs + 10 * kMinuteMs);

	Series m5 = get("cpu.busy", T0, T0 + 3 * kHourMs, Tier::m5);
	EXPECT_EQ(m5.tier, Tier::m5);
	EXPECT_EQ(m5.step_ms, 5 * kMinuteMs);
	ASSERT_EQ(m5.points.size(), 36u);
	EXPECT_EQ(m5.points[0], (SeriesPoint{T0, 0, 20, 40}));
	EXPECT_EQ(m5.points[1], (SeriesPoint{T0 + 5 * kMinuteMs, 50, 70, 90}));

	Series h1 = get("cpu.busy", T0, T0 + 3 * kHourMs, Tier::h1);
	ASSERT_EQ(h1.points.size(), 3u);
	for (const SeriesPoint& p : h1.points) {
		EXPECT_DOUBLE_EQ(p.min, 0);
		EXPECT_DOUBLE_EQ(p.avg, 45);
		EXPECT_DOUBLE_EQ(p.max, 90);
	}

	// One device: eth0 receives 100 * i bytes/s; lo is not in the server-wide sum.
	Series eth = get("net.rx", T0, T0 + kHourMs, Tier::m5, "eth0");
	ASSERT_EQ(eth.points.size(), 12u);
	EXPECT_EQ(eth.points[0], (SeriesPoint{T0, 0, 200, 400}));
	Series all = get("net.rx", T0, T0 + kHourMs, Tier::m5);
	EXPECT_EQ(all.points[0], eth.points[0]);
	Series eth_h = get("net.rx", T0, T0 + kHourMs, Tier::h1, "eth0");
	ASSERT_EQ(eth_h.points.size(), 1u);
	EXPECT_EQ(eth_h.points[0], (SeriesPoint{T0, 0, 2950, 5900}));

	// A derived percentage and a per-device one.
	Series mem = get("mem.percent", T0, T0 + kHourMs, Tier::h1);
	ASSERT_EQ(mem.points.size(), 1u);
	EXPECT_DOUBLE_EQ(mem.points[0].avg, 12.5);
	Series fs = get("fs.percent", T0, T0 + kHourMs, Tier::m5, "/");
	ASSERT_FALSE(fs.points.empty());
	EXPECT_DOUBLE_EQ(fs.points[0].avg, 40.0);
	Series temp = get("temp", T0, T0 + kHourMs, Tier::h1, "coretemp/Package id 0");
	ASSERT_EQ(temp.points.size(), 1u);
	EXPECT_EQ(temp.points[0].min, 40);
	EXPECT_EQ(temp.points[0].max, 42);

	// Raw reads give each sample.
	Series raw = get("cpu.busy", T0, T0 + 10 * kMinuteMs, Tier::raw);
	ASSERT_EQ(raw.points.size(), 10u);
	EXPECT_EQ(raw.points[3], (SeriesPoint{T0 + 3 * kMinuteMs, 30, 30, 30}));
	Series raw_dev = get("disk.busy", T0, T0 + 10 * kMinuteMs, Tier::raw, "vda");
	ASSERT_EQ(raw_dev.points.size(), 10u);
	EXPECT_DOUBLE_EQ(raw_dev.points[0].avg, 12.5);
}

TEST_F(SeriesFixture, SmallStepsGiveTheSameRollups) {
	uint64_t other = store->create_server(std::nullopt, "db", SigningKey{}, T0).value();
	feed(T0, 120);
	feed(T0, 120, 0, other);
	RollupLimits tiny;
	tiny.servers_per_step = 1;
	tiny.rows_per_step = 1;
	tiny.dirty_per_step = 1;
	roll(T0 + 2 * kHourMs + 10 * kMinuteMs, tiny);
	Series a = get("cpu.busy", T0, T0 + 2 * kHourMs, Tier::m5);
	id = other;
	Series b = get("cpu.busy", T0, T0 + 2 * kHourMs, Tier::m5);
	EXPECT_EQ(a.points.size(), 24u);
	EXPECT_EQ(a.points, b.points);
}

TEST_F(SeriesFixture, TheTierFitsTheRangeAndTheRetention) {
	feed(T0, 60);
	int64_t now = T0 + 40 * kDayMs;
	EXPECT_EQ(get("cpu.busy", now - 6 * kHourMs, now, std::nullopt, "", now).tier, Tier::raw);
	EXPECT_EQ(get("cpu.busy", now - kDayMs, now, std::nullopt, "", now).tier, Tier::m5);
	EXPECT_EQ(get("cpu.busy", now - 30 * kDayMs, now, std::nullopt, "", now).tier, Tier::h1);
	// Three hours, but 10 days ago: raw is gone by then (7 days), the 5-minute tier has it.
	EXPECT_EQ(get("cpu.busy", now - 10 * kDayMs, now - 10 * kDayMs + 3 * kHourMs, std::nullopt, "", now).tier,
	          Tier::m5);
	// A wider chart asks for finer data.
	SeriesQuery q;
	q.server_id = id;
	q.metric = "cpu.busy";
	q.from_ms = now - 2 * kDayMs;
	q.to_ms = now;
	q.now_ms = now;
	q.max_points = 500; // 576 five-minute buckets do not fit
	EXPECT_EQ(store->series(q).value().tier, Tier::h1);
	q.from_ms = now - kDayMs;
	EXPECT_EQ(store->series(q).value().tier, Tier::m5);
}

TEST_F(SeriesFixture, TheNewestPartComesFromTheFinerTierOnTheFly) {
	feed(T0, 100);
	// Rolled up to T0 + 95 min (the bucket ending 2 minutes before now is not closed yet).
	roll(T0 + 100 * kMinuteMs);
	Series m5 = get("cpu.busy", T0, T0 + 100 * kMinuteMs, Tier::m5);
	ASSERT_EQ(m5.points.size(), 20u);
	EXPECT_EQ(m5.points.back(), (SeriesPoint{T0 + 95 * kMinuteMs, 50, 70, 90}));
	// The hour tier has the first hour stored and the rest built from 5-minute rows and raw.
	Series h1 = get("cpu.busy", T0, T0 + 100 * kMinuteMs, Tier::h1);
	ASSERT_EQ(h1.points.size(), 2u);
	EXPECT_EQ(h1.points[1], (SeriesPoint{T0 + kHourMs, 0, 45, 90}));
	// Nothing rolled up at all yet: everything from raw.
	feed(T0 + 100 * kMinuteMs, 20, 100);
	Series fresh = get("cpu.busy", T0 + 100 * kMinuteMs, T0 + 120 * kMinuteMs, Tier::m5);
	ASSERT_EQ(fresh.points.size(), 4u);
	EXPECT_EQ(fresh.points[0], (SeriesPoint{T0 + 100 * kMinuteMs, 0, 20, 40}));
}

TEST_F(SeriesFixture, ALateReportIsRolledUpAgain) {
	feed(T0, 120);
	roll(T0 + 2 * kHourMs + 10 * kMinuteMs);
	EXPECT_EQ(get("cpu.busy", T0, T0 + 5 * kMinuteMs, Tier::m5).points[0].max, 40);
	// An agent's backfill: a new sequence number, an old sample time, CPU at 100 %.
	ReportBatch b;
	b.stream = "0123456789abcdef";
	b.agent_version = "0.2.0";
	Report late = series_report(++seq, T0 + 2 * kMinuteMs + 30'000, 0);
	late.cpu.total.user = 100;
	late.cpu.total.idle = 0;
	b.reports.push_back(late);
	ASSERT_TRUE(store->append({{id, b, T0 + 3 * kHourMs}}).ok());
	roll(T0 + 2 * kHourMs + 11 * kMinuteMs);
	Series m5 = get("cpu.busy", T0, T0 + 5 * kMinuteMs, Tier::m5);
	ASSERT_EQ(m5.points.size(), 1u);
	EXPECT_EQ(m5.points[0].max, 100);
	// Tiers keep a share to 0.01 (metrics.h, main_column_step).
	EXPECT_NEAR(m5.points[0].avg, (0 + 10 + 20 + 30 + 40 + 100) / 6.0, 0.005);
	Series h1 = get("cpu.busy", T0, T0 + kHourMs, Tier::h1);
	ASSERT_EQ(h1.points.size(), 1u);
	EXPECT_EQ(h1.points[0].max, 100);
}

TEST_F(SeriesFixture, DenseRawSamplesAreGroupedToTheChartWidth) {
	ReportBatch b;
	b.stream = "0123456789abcdef";
	b.agent_version = "0.2.0";
	for (int i = 0; i < 360; ++i) // every 10 s for an hour
		b.reports.push_back(series_report(++seq, T0 + i * 10'000, i));
	ASSERT_TRUE(store->append({{id, b, T0}}).ok());
	SeriesQuery q;
	q.server_id = id;
	q.metric = "cpu.busy";
	q.from_ms = T0;
	q.to_ms = T0 + kHourMs;
	q.now_ms = T0 + kHourMs;
	q.max_points = 60;
	Series s = store->series(q).value();
	EXPECT_EQ(s.tier, Tier::raw);
	EXPECT_EQ(s.step_ms, kMinuteMs);
	ASSERT_EQ(s.points.size(), 60u);
	EXPECT_EQ(s.points[0], (SeriesPoint{T0, 0, 25, 50}));
}

TEST_F(SeriesFixture, BadQueriesAreClearErrors) {
	SeriesQuery q;
	q.server_id = id;
	q.from_ms = T0;
	q.to_ms = T0 + kHourMs;
	q.metric = "cpu.nope";
	EXPECT_NE(store->series(q).error().message.find("unknown metric"), std::string::npos);
	q.metric = "cpu.busy";
	q.device = "eth0";
	EXPECT_NE(store->series(q).error().message.find("no per-device values"), std::string::npos);
	q.metric = "net.drops";
	q.device = "";
	EXPECT_NE(store->series(q).error().message.find("needs a device"), std::string::npos);
	q.metric = "cpu.busy";
	q.to_ms = q.from_ms;
	EXPECT_TRUE(store->series(q).value().points.empty());
	q.server_id = 999; // unknown server: simply no data
	q.to_ms = T0 + kHourMs;
	EXPECT_TRUE(store->series(q).value().points.empty());
}

TEST_F(SeriesFixture, DevicesAndTheLatestReport) {
	feed(T0, 10);
	auto devices = store->list_devices(id).value();
	std::vector<std::string> names;
	for (const auto& d : devices)
		names.push_back(d.kind + ":" + d.name);
	EXPECT_EQ(names, (std::vector<std::string>{"fs:/", "disk:vda", "net:eth0", "net:lo",
	                                           "temp:coretemp/Package id 0"}));
	roll(T0 + 20 * kMinuteMs);
	EXPECT_EQ(store->list_devices(id).value().size(), 5u);

	// The latest report keeps the newest of each slow section, whichever report carried it.
	ReportBatch b;
	b.stream = "0123456789abcdef";
	b.agent_version = "0.2.0";
	Report with = series_report(++seq, T0 + 30 * kMinuteMs, 1);
	with.top_cpu = std::vector<ProcessEntry>{{42, "postgres", "pg", 50.0, 1000}};
	with.tcp_states = std::vector<TcpStateCount>{{"established", 7}};
	with.host = HostFacts{};
	with.host->hostname = "web-01";
	with.host->cpu_logical = 4;
	Report without = series_report(++seq, T0 + 31 * kMinuteMs, 2);
	b.reports = {with, without};
	ASSERT_TRUE(store->append({{id, b, T0 + 31 * kMinuteMs}}).ok());
	auto latest = store->latest(id).value();
	ASSERT_TRUE(latest);
	EXPECT_EQ(latest->report.seq, without.seq);
	ASSERT_TRUE(latest->report.top_cpu);
	EXPECT_EQ(latest->report.top_cpu->front().name, "postgres");
	EXPECT_EQ(latest->top_cpu_ms, T0 + 30 * kMinuteMs);
	EXPECT_FALSE(latest->report.top_memory);
	EXPECT_EQ(latest->report.tcp_states->front().count, 7u);
	auto server = store->find_server(id).value();
	ASSERT_TRUE(server->host);
	EXPECT_EQ(server->host->hostname, "web-01");
	EXPECT_EQ(server->host->cpu_logical, 4u);
	EXPECT_EQ(server->agent_version, "0.2.0");
	EXPECT_EQ(server->last_seen_ms, T0 + 31 * kMinuteMs);
	// An older report arriving later does not replace the newest.
	b.reports = {series_report(++seq, T0 + 5 * kMinuteMs, 3)};
	ASSERT_TRUE(store->append({{id, b, T0 + 32 * kMinuteMs}}).ok());
	EXPECT_EQ(store->latest(id).value()->report.seq, without.seq);
	EXPECT_FALSE(store->latest(999).value());
}

// latest_of: many servers in one read, each as latest() but without the slow sections; a server
// that never reported (or does not exist) is empty in its place. alert_states_of and
// server_tags_of: by server, only the servers asked for.
TEST_F(SeriesFixture, ManyServersAtOnce) {
	uint64_t other = store->create_server(std::nullopt, "db", SigningKey{}, T0).value();
	uint64_t silent = store->create_server(std::nullopt, "new", SigningKey{}, T0).value();
	feed(T0, 10);
	feed(T0, 3, 0, other);
	ReportBatch b;
	b.stream = "0123456789abcdef";
	Report with = series_report(++seq, T0 + 30 * kMinuteMs, 1);
	with.top_cpu = std::vector<ProcessEntry>{{42, "postgres", "pg", 50.0, 1000}};
	b.reports = {with};
	ASSERT_TRUE(store->append({{id, b, T0 + 30 * kMinuteMs}}).ok());

	std::vector<uint64_t> ids{other, 999, id, silent};
	auto many = store->latest_of(ids).value();
	ASSERT_EQ(many.size(), 4u);
	ASSERT_TRUE(many[0] && many[2]);
	EXPECT_FALSE(many[1]);
	EXPECT_FALSE(many[3]);
	auto one = store->latest(id).value();
	EXPECT_EQ(many[2]->report.seq, one->report.seq);
	EXPECT_EQ(many[2]->report.cpu.total.user, one->report.cpu.total.user);
	EXPECT_EQ(many[2]->report.filesystems.size(), one->report.filesystems.size());
	EXPECT_TRUE(one->report.top_cpu);
	EXPECT_FALSE(many[2]->report.top_cpu); // the slow sections are the detail's
	EXPECT_EQ(many[0]->report.seq, store->latest(other).value()->report.seq);
	EXPECT_TRUE(store->latest_of({}).value().empty());

	AlertState a{0, id, "", "firing", T0, 97.0};
	a.metric = "cpu.busy";
	AlertState c = a;
	c.server_id = other;
	c.state = "ok";
	AlertState d = a;
	d.server_id = silent;
	for (const auto& x : {a, c, d})
		ASSERT_TRUE(store->put_alert_state(x).ok());
	auto states = store->alert_states_of(std::vector<uint64_t>{other, id}).value();
	ASSERT_EQ(states.size(), 2u);
	EXPECT_EQ(states[0].server_id, other);
	EXPECT_EQ(states[0].state, "ok");
	EXPECT_EQ(states[1].server_id, id);
	EXPECT_EQ(states[1].state, "firing");

	ASSERT_TRUE(store->set_server_tags(id, {"web", "eu"}).value());
	ASSERT_TRUE(store->set_server_tags(silent, {"x"}).value());
	EXPECT_EQ(store->server_tags_of(std::vector<uint64_t>{other, id}).value(),
	          (std::vector<ServerTag>{{id, "eu"}, {id, "web"}}));
}

TEST_F(SeriesFixture, TheLatestReportIsTheNewestSampleOverAnOlderSnapshot) {
	for (int m = 0; m < 10; ++m) // one report a minute: a full snapshot at 0 and 5 minutes
		feed(T0 + m * kMinuteMs, 1, m);
	auto latest = store->latest(id).value();
	ASSERT_TRUE(latest);
	EXPECT_EQ(latest->snapshot_ms, T0 + 5 * kMinuteMs);
	const Report& r = latest->report;
	EXPECT_EQ(r.time_ms, T0 + 9 * kMinuteMs);
	EXPECT_EQ(r.seq, 10u);
	EXPECT_EQ(r.uptime_s, 3600u + 4 * 60); // moved on from the snapshot
	EXPECT_EQ(r.cpu.total.user, 90.0);     // the newest sample's values...
	EXPECT_EQ(r.cpu.total.idle, 10.0);
	ASSERT_EQ(r.interfaces.size(), 2u);
	EXPECT_EQ(r.interfaces[1].name, "eth0");
	EXPECT_EQ(r.interfaces[1].rx_bytes_per_s, 900.0);
	EXPECT_EQ(r.interfaces[1].ipv4, "10.0.0.1"); // ...and what only the snapshot keeps
	EXPECT_EQ(r.filesystems.at(0).device, "/dev/vda1");
	EXPECT_EQ(r.memory.used, 3ull << 30);
	// Exactly what main_values() would give for the newest report.
	EXPECT_EQ(main_values(r), main_values(series_report(10, T0 + 9 * kMinuteMs, 9)));
}
