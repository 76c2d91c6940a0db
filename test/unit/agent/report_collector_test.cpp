// ReportCollector: assembling a report from all collectors, CPU deltas across rounds, host
// facts sent once, and the real-host check that what --print would show matches /proc.
#include <gtest/gtest.h>

#include "serversan/agent/collectors/text.h"
#include "serversan/agent/report_collector.h"
#include "serversan/core/report_encode.h"

using namespace serversan;
using namespace serversan::agent;

namespace {

const std::string kVm = std::string(SERVERSAN_FIXTURES) + "/proc/vm-debian12";

ReportCollector::Sources fixture_sources(std::chrono::steady_clock::time_point* now) {
	ReportCollector::Sources s;
	s.uname = [] { return UnameInfo{"web-1", "6.1.0-18-amd64", "x86_64"}; };
	s.statfs = [](const std::string&) -> std::optional<FsStat> {
		return FsStat{1, 4096, 100, 50, 40, 10, 5};
	};
	s.monotonic = [now] { return *now; };
	return s;
}

} // namespace

TEST(ReportCollector, FixtureReport) {
	ManualClock clock;
	std::chrono::steady_clock::time_point now{};
	ReportCollector collector(HostPaths::under(kVm), clock, fixture_sources(&now));

	// Not primed: no CPU shares and no interval, everything else present.
	Report first = collector.collect();
	EXPECT_EQ(first.time_ms, clock.unix_millis());
	EXPECT_EQ(first.interval_s, std::nullopt);
	EXPECT_EQ(first.cpu.total, CpuTimes{});
	EXPECT_EQ(first.memory.total, 4025628u * 1024);
	EXPECT_EQ(first.load.load1, 0.52);
	EXPECT_EQ(first.uptime_s, 86523u);
	EXPECT_EQ(first.processes.blocked, 1u);
	EXPECT_EQ(first.processes.running, 3u);
	EXPECT_EQ(first.processes.total, 2u);
	ASSERT_TRUE(first.host.has_value());
	EXPECT_EQ(first.host->hostname, "web-1");
	ASSERT_EQ(first.filesystems.size(), 1u); // every fake mount shares device 1

	// The same /proc/stat again, 2 s later: an interval, but no ticks so no shares.
	now += std::chrono::seconds(2);
	Report second = collector.collect();
	EXPECT_EQ(second.interval_s, 2.0);
	EXPECT_EQ(second.cpu.total.user, std::nullopt);
	EXPECT_EQ(second.cpu.context_switches_per_s, 0.0);
	EXPECT_FALSE(second.host.has_value()); // unchanged facts are not repeated

	collector.resend_host();
	EXPECT_TRUE(collector.collect().host.has_value());
}

TEST(ReportCollector, MissingTreeGivesAnEmptyReportNotACrash) {
	ManualClock clock;
	std::chrono::steady_clock::time_point now{};
	ReportCollector collector(HostPaths::under(std::string(SERVERSAN_FIXTURES) + "/proc/none"), clock,
	                          fixture_sources(&now));
	collector.prime();
	now += std::chrono::seconds(1);
	Report r = collector.collect();
	EXPECT_EQ(r.memory, Memory{});
	EXPECT_EQ(r.load, Load{});
	EXPECT_EQ(r.cpu, Cpu{});
	EXPECT_EQ(r.uptime_s, std::nullopt);
	EXPECT_TRUE(r.filesystems.empty());
	ASSERT_TRUE(r.host.has_value()); // uname still answers
	EXPECT_EQ(r.host->os_name, "");
	EXPECT_FALSE(encode_batch(ReportBatch{1, "0123456789abcdef", "0.1.0", {r}}).empty());
}

// What `serversan-agent --print --count 1` prints, without spawning it: the real host's report.
TEST(ReportCollector, RealHostMemoryMatchesProcMeminfo) {
	ReportCollector collector(HostPaths{}, SystemClock::instance());
	collector.prime();
	Report r = collector.collect();

	auto meminfo = read_text_file("/proc/meminfo");
	ASSERT_TRUE(meminfo.ok());
	size_t at = meminfo->find("MemTotal:");
	ASSERT_NE(at, std::string::npos);
	uint64_t kb = std::stoull(meminfo->substr(at + 9));
	ASSERT_TRUE(r.memory.total.has_value());
	EXPECT_EQ(*r.memory.total, kb * 1024);

	ReportBatch batch{1, "0123456789abcdef", SERVERSAN_VERSION, {r}};
	batch.reports[0].seq = 1;
	std::string json = encode_batch(batch);
	EXPECT_NE(json.find(fmt::format("\"memory\":{{\"total\":{}", kb * 1024)), std::string::npos) << json;
	EXPECT_TRUE(r.host.has_value());
	EXPECT_TRUE(r.interval_s.has_value());
	EXPECT_FALSE(r.cpu.cores.empty());
	EXPECT_FALSE(r.filesystems.empty());
}
