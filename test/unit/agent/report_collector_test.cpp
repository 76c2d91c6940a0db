// ReportCollector: assembling a report from all collectors, CPU deltas across rounds, host
// facts sent once, the slow-section cadence and requests, and the real-host check that what
// --print would show matches /proc.
#include <gtest/gtest.h>

#include "serversan/agent/collectors/addresses.h"
#include "serversan/agent/collectors/tcp_states.h"
#include "serversan/agent/collectors/text.h"
#include "serversan/agent/report_collector.h"
#include "serversan/core/report_encode.h"

using namespace serversan;
using namespace serversan::agent;

namespace {

const std::string kVm = std::string(SERVERSAN_FIXTURES) + "/proc/vm-debian12";

ReportCollector::Sources fixture_sources(std::chrono::steady_clock::time_point* now, int* sleeps = nullptr,
                                         int* tcp_dumps = nullptr) {
	ReportCollector::Sources s;
	s.uname = [] { return UnameInfo{"web-1", "6.1.0-18-amd64", "x86_64"}; };
	s.statfs = [](const std::string&) -> std::optional<FsStat> {
		return FsStat{1, 4096, 100, 50, 40, 10, 5};
	};
	s.monotonic = [now] { return *now; };
	s.cpuid_vendor = [] { return std::string(); };
	s.ipv4 = [](std::vector<AddressEntry>& out) -> Result<void> {
		out.clear();
		return Ok();
	};
	s.tcp_states = [tcp_dumps]() -> Result<TcpStateCounts> {
		if (tcp_dumps)
			++*tcp_dumps;
		TcpStateCounts c;
		c.by_state[10] = 4;
		return c;
	};
	s.sleep = [sleeps, now](double seconds) {
		if (sleeps)
			++*sleeps;
		*now += std::chrono::duration_cast<std::chrono::steady_clock::duration>(
		    std::chrono::duration<double>(seconds));
	};
	s.ticks_per_s = 100;
	s.page_size = 4096;
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
	// mountinfo's device numbers: /, /boot/efi, /var/lib/docker, /mnt/gone (the bind mount of /
	// under /srv is the same filesystem as /).
	ASSERT_EQ(first.filesystems.size(), 4u);

	// The same /proc/stat again, 2 s later: an interval, but no ticks so no shares.
	now += std::chrono::seconds(2);
	Report second = collector.collect();
	EXPECT_EQ(second.interval_s, 2.0);
	EXPECT_EQ(second.cpu.total.user, std::nullopt);
	EXPECT_EQ(second.cpu.context_switches_per_s, 0.0);
	EXPECT_FALSE(second.host.has_value());    // unchanged facts are not repeated
	EXPECT_FALSE(second.top_cpu.has_value()); // the slow sections came with the first report only

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

TEST(ReportCollector, SlowSectionsFollowTheirCadence) {
	ManualClock clock;
	std::chrono::steady_clock::time_point now{};
	int sleeps = 0, dumps = 0;
	ReportCollector::Options options;
	options.slow_interval_s = 300;
	ReportCollector collector(HostPaths::under(kVm), clock, options, fixture_sources(&now, &sleeps, &dumps));
	collector.prime();
	// Reports every 60 s: the slow sections come with the first one and then every 300 s (a
	// pass is due half an interval early rather than a whole interval late).
	std::vector<int> with_slow;
	for (int i = 0; i < 12; ++i) {
		now += std::chrono::seconds(60);
		Report r = collector.collect();
		EXPECT_EQ(r.top_cpu.has_value(), r.tcp_states.has_value());
		EXPECT_EQ(r.top_cpu.has_value(), r.top_memory.has_value());
		if (r.top_cpu) {
			with_slow.push_back(i);
			EXPECT_EQ(r.processes.zombie, 0u);
			ASSERT_EQ(r.tcp_states->size(), 11u);
			EXPECT_EQ((*r.tcp_states)[9], (TcpStateCount{"listen", 4}));
		} else {
			EXPECT_EQ(r.processes.zombie, std::nullopt); // measured by the per-process pass only
			EXPECT_EQ(r.processes.total, 2u);            // counted every round
		}
	}
	EXPECT_EQ(with_slow, (std::vector<int>{0, 5, 10}));
	EXPECT_EQ(dumps, 3);
	EXPECT_EQ(sleeps, 0); // prime() took the processes' baseline
}

TEST(ReportCollector, RequestedSlowSectionsComeInTheNextReport) {
	ManualClock clock;
	std::chrono::steady_clock::time_point now{};
	int sleeps = 0, dumps = 0;
	ReportCollector::Options options;
	options.slow_interval_s = 0; // off: only on request
	ReportCollector collector(HostPaths::under(kVm), clock, options, fixture_sources(&now, &sleeps, &dumps));
	collector.prime();
	now += std::chrono::seconds(10);
	Report plain = collector.collect();
	EXPECT_FALSE(plain.top_cpu || plain.top_memory || plain.tcp_states);

	collector.request_slow_sections(true, false); // "top_processes" only
	now += std::chrono::seconds(10);
	Report top = collector.collect();
	ASSERT_TRUE(top.top_cpu.has_value());
	ASSERT_EQ(top.top_cpu->size(), 2u);
	// The request took the baseline, so CPU % covers the 10 s since (the fixture's files do not
	// change: 0 %).
	EXPECT_EQ((*top.top_cpu)[0].cpu_percent, 0.0);
	EXPECT_FALSE(top.tcp_states.has_value());
	EXPECT_EQ(dumps, 0);

	collector.request_slow_sections(false, true); // "tcp_states" only
	now += std::chrono::seconds(10);
	Report tcp = collector.collect();
	EXPECT_FALSE(tcp.top_cpu.has_value());
	EXPECT_TRUE(tcp.tcp_states.has_value());
	now += std::chrono::seconds(10);
	Report after = collector.collect();
	EXPECT_FALSE(after.top_cpu || after.tcp_states); // a request is served once
	EXPECT_EQ(sleeps, 0);
}

TEST(ReportCollector, SlowPassWithoutBaselineTakesAShortPrimingSample) {
	ManualClock clock;
	std::chrono::steady_clock::time_point now{};
	int sleeps = 0;
	ReportCollector::Options options;
	options.slow_priming_s = 0.25;
	ReportCollector collector(HostPaths::under(kVm), clock, options, fixture_sources(&now, &sleeps));
	Report r = collector.collect(); // not primed: the pass samples for 0.25 s first
	EXPECT_EQ(sleeps, 1);
	ASSERT_TRUE(r.top_cpu.has_value());
	EXPECT_EQ((*r.top_cpu)[0].cpu_percent, 0.0);
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
