// The report JSON codec: encode/decode round trips, the golden protocol sample, encoder
// sanitising, and one precise error per kind of invalid input.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "serversan/core/report.h"
#include "serversan/core/report_decode.h"
#include "serversan/core/report_encode.h"
#include "serversan/core/report_time.h"

namespace serversan {
namespace {

const std::string kFixture = std::string(SERVERSAN_FIXTURES) + "/protocol/report-batch-example.json";

CpuTimes times(double user, double system, double iowait, double idle) {
	CpuTimes t;
	t.user = user;
	t.nice = 0;
	t.system = system;
	t.iowait = iowait;
	t.irq = 0;
	t.softirq = 0.25;
	t.steal = 0.5;
	t.idle = idle;
	return t;
}

ProcessEntry process(uint32_t pid, std::string name, std::string user, double cpu, uint64_t rss) {
	return ProcessEntry{pid, std::move(name), std::move(user), cpu, rss};
}

// The batch of test/fixtures/protocol/report-batch-example.json: a 4-core KVM guest, the first
// report after the agent started (host facts) and the next one (slow sections).
ReportBatch golden_batch() {
	ReportBatch b;
	b.stream = "3f9a1c0b7d2e4f68";
	b.agent_version = "0.1.0";

	Report r;
	r.seq = 1;
	r.time_ms = 1718012340000;
	r.interval_s = 10;
	r.uptime_s = 864123;
	HostFacts& h = r.host.emplace();
	h.hostname = "web-01";
	h.os_name = "Debian GNU/Linux";
	h.os_version = "12";
	h.kernel = "6.1.0-21-amd64";
	h.arch = "x86_64";
	h.cpu_model = "Intel Xeon Processor (Skylake, IBRS)";
	h.virtualization = "kvm";
	h.agent_version = "0.1.0";
	h.cpu_logical = 4;
	h.cpu_physical = 4;
	h.cpu_mhz = 2099.998;
	h.boot_time = 1717148217;
	r.cpu.total = times(12.5, 3.25, 0.75, 82.75);
	r.cpu.cores = {times(20.1, 4.2, 1.1, 73.85), times(10.3, 3.1, 0.6, 85.25), times(9.8, 2.9, 0.7, 85.85),
	               times(9.8, 2.8, 0.6, 86.05)};
	r.cpu.context_switches_per_s = 2345.6;
	r.cpu.interrupts_per_s = 1187.3;
	r.load = Load{0.42, 0.37, 0.31};
	r.memory = Memory{8335179776, 3232960512, 5102219264, 1229586432, 152043520, 3901448192, 1073737728, 0};
	r.processes = ProcessCounts{187, 2, 0, 0, 412};
	r.sockets = Sockets{38, 45, 112, 0, 4, 2, 3456, 9223372036854775807u};
	r.sessions = 1;
	r.filesystems = {
	    Filesystem{"/", "/dev/vda1", "ext4", 82045247488, 23456788480, 55124508672, 5242880, 298765},
	    Filesystem{"/boot/efi", "/dev/vda15", "vfat", 129718272, 6207488, 123510784, {}, {}},
	};
	r.disks = {DiskIo{"vda", 10922.67, 372053.33, 1.2, 38.45, 2.1}};
	r.interfaces = {
	    NetInterface{"eth0", 48211.9, 129874.2, 401.7, 356.2, 0, 0, 3, 0, 91348221952, 310244871168,
	                 "10.0.0.12", "2001:db8::12"},
	};
	b.reports.push_back(r);

	Report s;
	s.seq = 2;
	s.time_ms = 1718012350000;
	s.interval_s = 10;
	s.uptime_s = 864133;
	s.cpu.total = times(31.25, 6.5, 1.5, 60);
	s.cpu.cores = {times(60.2, 9.1, 2.2, 27.75), times(22.4, 6.3, 1.3, 69.25), times(21.1, 5.4, 1.2, 71.55),
	               times(21.3, 5.2, 1.3, 71.45)};
	s.cpu.context_switches_per_s = 4120.8;
	s.cpu.interrupts_per_s = 2031.5;
	s.load = Load{0.61, 0.41, 0.32};
	s.memory = Memory{8335179776, 3269148672, 5066031104, 1193398272, 152043520, 3901448192, 1073737728, 0};
	s.processes = ProcessCounts{189, 3, 0, 0, 417};
	s.sockets = Sockets{41, 48, 109, 0, 4, 2, 3488, 9223372036854775807u};
	s.sessions = 1;
	s.filesystems = {
	    Filesystem{"/", "/dev/vda1", "ext4", 82045247488, 23457103872, 55124193280, 5242880, 298771},
	    Filesystem{"/boot/efi", "/dev/vda15", "vfat", 129718272, 6207488, 123510784, {}, {}},
	};
	s.disks = {DiskIo{"vda", 0, 1015808, 0, 61.3, 4.7}};
	s.interfaces = {
	    NetInterface{"eth0", 95310.5, 402118.7, 790.4, 701.9, 0, 0, 0, 0, 91349175057, 310248892355,
	                 "10.0.0.12", "2001:db8::12"},
	};
	s.top_cpu = std::vector<ProcessEntry>{process(1432, "postgres", "postgres", 48.5, 412876800),
	                                      process(987, "nginx", "www-data", 12.1, 18337792),
	                                      process(2210, "node", "app", 7.8, 268435456)};
	s.top_memory = std::vector<ProcessEntry>{process(1432, "postgres", "postgres", 48.5, 412876800),
	                                         process(2210, "node", "app", 7.8, 268435456),
	                                         process(611, "dockerd", "root", 0.4, 98566144)};
	s.tcp_states =
	    std::vector<TcpStateCount>{{"established", 41}, {"listen", 7}, {"time_wait", 109}, {"close_wait", 1}};
	b.reports.push_back(s);
	return b;
}

// Every field of every struct set, including the ones the golden sample leaves out.
ReportBatch full_batch() {
	ReportBatch b = golden_batch();
	Report& r = b.reports[0];
	r.temperatures = {Temperature{"coretemp/Package id 0", 54.5}, Temperature{"acpitz/temp1", -12.25}};
	r.top_cpu = std::vector<ProcessEntry>{process(1, "systemd", "root", 0.1, 12582912)};
	r.top_memory = std::vector<ProcessEntry>{}; // measured, none
	r.tcp_states = std::vector<TcpStateCount>{{"listen", 3}};
	r.spool_dropped = 17;
	r.filesystems[1].inodes_total = 0;
	r.filesystems[1].inodes_used = 0;
	r.host->hostname = "h\xC3\xA9te-\xF0\x9F\x98\x80 \"quoted\" back\\slash\ttab";
	r.cpu.total.nice = 0.125;
	r.top_cpu->front().cpu_percent = 380.5;          // four cores busy
	r.interfaces[0].rx_bytes_per_s = kMaxExactValue; // the largest a rate may be (2^53)
	r.interfaces[0].tx_bytes_per_s = 1e15;           // written with an exponent, not as an integer
	r.interfaces[1].rx_bytes_per_s = 5e-324;
	b.reports[1].spool_dropped = 18;
	return b;
}

ReportBatch minimal_batch() {
	ReportBatch b;
	b.stream = "0123456789abcdef";
	b.agent_version = "0.1.0";
	Report r;
	r.seq = 1;
	r.time_ms = 1718000000000;
	b.reports.push_back(r);
	return b;
}

std::string read_file(const std::string& path) {
	std::ifstream in(path, std::ios::binary);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

// Fails the test by exception (gtest reports it) so that callers can index into the result.
ReportBatch decode_ok(std::string_view json, DecodeStats* stats = nullptr) {
	auto r = decode_batch(json, stats);
	if (!r.ok()) {
		throw std::runtime_error(r.error().message + "\n" + std::string(json.substr(0, 400)));
	}
	return std::move(r).value();
}

std::string decode_error(std::string_view json) {
	auto r = decode_batch(json);
	EXPECT_FALSE(r.ok()) << json.substr(0, 400);
	return r.ok() ? std::string("<decoded>") : r.error().message;
}

// A one-report batch whose report ends with `extra` (a ",..." member list, or "").
std::string with_report(std::string_view extra) {
	return R"({"protocol":1,"stream":"0123456789abcdef","agent_version":"0.1.0","reports":[{"seq":1,"time_ms":1718000000000)" +
	       std::string(extra) + "}]}";
}

std::string with_top(std::string_view top) {
	std::string out = "{"; // appended, not operator+: g++ 12 -O3 warns falsely (-Wrestrict) on that
	out += top;
	out += R"(,"reports":[{"seq":1,"time_ms":1718000000000}]})";
	return out;
}

std::string repeat(std::string_view s, size_t n, std::string_view sep = ",") {
	std::string out;
	for (size_t i = 0; i < n; ++i) {
		if (i > 0) {
			out += sep;
		}
		out += s;
	}
	return out;
}

std::string json_string(std::string_view s) {
	std::string out;
	append_json_string(out, s);
	return out;
}

// --- round trips and the golden sample ---

TEST(ReportCodec, FullBatchRoundTrips) {
	const ReportBatch b = full_batch();
	const std::string json = encode_batch(b);
	EXPECT_EQ(decode_ok(json), b);
	EXPECT_EQ(encode_batch(decode_ok(json)), json);
}

TEST(ReportCodec, MinimalBatchRoundTrips) {
	const ReportBatch b = minimal_batch();
	const std::string json = encode_batch(b);
	EXPECT_EQ(
	    json,
	    R"({"protocol":1,"stream":"0123456789abcdef","agent_version":"0.1.0","reports":[{"seq":1,"time_ms":1718000000000}]})");
	EXPECT_EQ(decode_ok(json), b);
}

TEST(ReportCodec, EncoderMatchesGoldenSample) {
	const std::string json = encode_batch(golden_batch());
	if (std::getenv("SERVERSAN_UPDATE_GOLDEN") != nullptr) { // NOLINT(concurrency-mt-unsafe): one thread
		std::ofstream(kFixture, std::ios::binary) << json << '\n';
		GTEST_SKIP() << "rewrote " << kFixture;
	}
	std::string golden = read_file(kFixture);
	ASSERT_FALSE(golden.empty()) << kFixture;
	ASSERT_EQ(golden.back(), '\n'); // the file ends with a newline; the JSON body does not
	golden.pop_back();
	EXPECT_EQ(json, golden);
}

TEST(ReportCodec, GoldenSampleDecodesAndReencodesByteIdentically) {
	std::string golden = read_file(kFixture);
	ASSERT_FALSE(golden.empty()) << kFixture;
	golden.pop_back();
	DecodeStats stats;
	const ReportBatch b = decode_ok(golden, &stats);
	EXPECT_EQ(stats.unknown_fields, 0u);
	EXPECT_EQ(b, golden_batch());
	EXPECT_EQ(encode_batch(b), golden);
}

TEST(ReportCodec, SlowSectionsDistinguishAbsentFromEmpty) {
	ReportBatch b = minimal_batch();
	b.reports[0].top_cpu = std::vector<ProcessEntry>{};
	b.reports[0].tcp_states = std::vector<TcpStateCount>{};
	const std::string json = encode_batch(b);
	EXPECT_NE(json.find(R"("top_cpu":[])"), std::string::npos) << json;
	EXPECT_NE(json.find(R"("tcp_states":[])"), std::string::npos) << json;
	EXPECT_EQ(json.find("top_memory"), std::string::npos) << json;
	const ReportBatch d = decode_ok(json);
	ASSERT_TRUE(d.reports[0].top_cpu.has_value());
	EXPECT_TRUE(d.reports[0].top_cpu->empty());
	EXPECT_FALSE(d.reports[0].top_memory.has_value());
	EXPECT_EQ(d, b);
}

TEST(ReportCodec, EmptyValuesAreOmitted) {
	ReportBatch b = minimal_batch();
	Report& r = b.reports[0];
	r.host.emplace(); // present but empty: still sent, it says "facts are known to be empty"
	r.cpu.cores.resize(2);
	r.cpu.cores[1].idle = 100;
	r.filesystems.push_back(Filesystem{"/", "", "", {}, {}, {}, {}, {}});
	const std::string json = encode_batch(b);
	EXPECT_EQ(json,
	          with_report(R"(,"host":{},"cpu":{"cores":[{},{"idle":100}]},"filesystems":[{"mount":"/"}])"));
	EXPECT_EQ(decode_ok(json), b);
}

// --- encoder ---

TEST(ReportEncode, AppendsToTheCallersBuffer) {
	std::string out = "prefix:";
	encode_batch(minimal_batch(), out);
	EXPECT_EQ(out, "prefix:" + encode_batch(minimal_batch()));
}

TEST(ReportEncode, EscapesStrings) {
	EXPECT_EQ(json_string("plain"), R"("plain")");
	EXPECT_EQ(json_string("a\"b\\c/d"), R"("a\"b\\c/d")");
	EXPECT_EQ(json_string(std::string("\n\r\t\b\f\x01\x1f\x7f", 8)),
	          "\"\\u000a\\u000d\\u0009\\u0008\\u000c\\u0001\\u001f\x7f\"");
	EXPECT_EQ(json_string(std::string("nul\0byte", 8)), R"("nul\u0000byte")");
	EXPECT_EQ(json_string("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
	          "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\"");
}

TEST(ReportEncode, RepairsInvalidUtf8) {
	const std::string r = "\xEF\xBF\xBD"; // U+FFFD
	EXPECT_EQ(json_string("a\xFF"
	                      "b"),
	          "\"a" + r + "b\"");
	EXPECT_EQ(json_string("\xC3"), "\"" + r + "\"");                         // truncated 2-byte sequence
	EXPECT_EQ(json_string("\xE2\x82"), "\"" + r + "\"");                     // truncated 3-byte: one subpart
	EXPECT_EQ(json_string("\xC0\xAF"), "\"" + r + r + "\"");                 // overlong
	EXPECT_EQ(json_string("\xED\xA0\x80"), "\"" + r + r + r + "\"");         // UTF-16 surrogate
	EXPECT_EQ(json_string("\xF4\x90\x80\x80"), "\"" + r + r + r + r + "\""); // past U+10FFFF
	EXPECT_EQ(json_string("\xE2\x82x"), "\"" + r + "x\"");
	EXPECT_EQ(json_string("\x80\x80"), "\"" + r + r + "\"");

	// Garbage from /proc still yields a batch the server accepts.
	ReportBatch b = minimal_batch();
	b.reports[0].host.emplace().hostname = "bad\xFF\xFEname\xC3";
	const ReportBatch d = decode_ok(encode_batch(b));
	EXPECT_EQ(d.reports[0].host->hostname, "bad" + r + r + "name" + r);
}

TEST(ReportEncode, TruncatesLongStringsAtACharacterBoundary) {
	EXPECT_EQ(json_string(std::string(300, 'a')), "\"" + std::string(kMaxStringBytes, 'a') + "\"");
	// 255 bytes, then a 2-byte character that would end past the limit.
	EXPECT_EQ(json_string(std::string(255, 'a') + "\xC3\xA9"), "\"" + std::string(255, 'a') + "\"");
	// Escapes do not count: the limit is on the decoded value.
	EXPECT_EQ(json_string(std::string(256, '"')), "\"" + repeat("\\\"", 256, "") + "\"");
	// A replacement character counts three bytes.
	EXPECT_EQ(json_string(std::string(254, 'a') + "\xFF"), "\"" + std::string(254, 'a') + "\"");

	ReportBatch b = minimal_batch();
	b.reports[0].host.emplace().kernel = std::string(254, 'k') + "\xE2\x82\xAC";
	EXPECT_EQ(decode_ok(encode_batch(b)).reports[0].host->kernel, std::string(254, 'k'));
}

TEST(ReportEncode, NumbersUseShortestRoundTripForm) {
	ReportBatch b = minimal_batch();
	Report& r = b.reports[0];
	r.interval_s = 0.1;
	r.load.load1 = -0.0;
	r.load.load5 = 1e15;
	r.load.load15 = kMaxExactValue;
	r.memory.total = 9007199254740992;
	const std::string json = encode_batch(b);
	EXPECT_EQ(
	    json,
	    with_report(
	        R"(,"interval_s":0.1,"load":{"load1":0,"load5":1e+15,"load15":9.007199254740992e+15},"memory":{"total":9007199254740992})"));
	ReportBatch expected = b;
	expected.reports[0].load.load1 = 0.0;
	EXPECT_EQ(decode_ok(json), expected);
}

// What the encoder wrote before it had its own layout: std::to_chars, shortest round trip, with
// the exponent kept from 1e15 up for whole numbers.
std::string to_chars_number(double v) {
	if (v == 0) {
		return "0";
	}
	char buf[40];
	auto r = std::to_chars(buf, buf + sizeof buf, v);
	if (std::fabs(v) >= 1e15 &&
	    std::find_if(buf, r.ptr, [](char c) { return c == '.' || c == 'e'; }) == r.ptr) {
		r = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
	}
	return std::string(buf, r.ptr);
}

std::string json_number(double v) {
	std::string out;
	append_json_number(out, v);
	return out;
}

TEST(ReportEncode, NumberEdgeCases) {
	EXPECT_EQ(json_number(0.0), "0");
	EXPECT_EQ(json_number(-0.0), "0");
	EXPECT_EQ(json_number(1), "1");
	EXPECT_EQ(json_number(-1), "-1");
	EXPECT_EQ(json_number(10), "10");
	EXPECT_EQ(json_number(100), "100");
	EXPECT_EQ(json_number(9.9999), "9.9999");
	EXPECT_EQ(json_number(99.99999999999999), "99.99999999999999");
	EXPECT_EQ(json_number(99.999999999999999), "100"); // the same double as 100
	EXPECT_EQ(json_number(0.1), "0.1");
	EXPECT_EQ(json_number(0.30000000000000004), "0.30000000000000004");
	EXPECT_EQ(json_number(-12.5), "-12.5");
	EXPECT_EQ(json_number(2099.998), "2099.998");
	EXPECT_EQ(json_number(0.001), "0.001");
	EXPECT_EQ(json_number(0.0001), "1e-04"); // shorter than 0.0001
	EXPECT_EQ(json_number(0.00012), "0.00012");
	EXPECT_EQ(json_number(1.5e-7), "1.5e-07");
	EXPECT_EQ(json_number(123456789012345.0), "123456789012345");
	EXPECT_EQ(json_number(1e15), "1e+15");
	EXPECT_EQ(json_number(-1e15), "-1e+15");
	EXPECT_EQ(json_number(1234567890123456.8), "1234567890123456.8");
	EXPECT_EQ(json_number(123456789012345678.0), "1.2345678901234568e+17");
	EXPECT_EQ(json_number(18446744073709551616.0), "1.8446744073709552e+19");
	EXPECT_EQ(json_number(1e22), "1e+22");
	EXPECT_EQ(json_number(1e100), "1e+100");
	EXPECT_EQ(json_number(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
	EXPECT_EQ(json_number(std::numeric_limits<double>::lowest()), "-1.7976931348623157e+308");
	EXPECT_EQ(json_number(std::numeric_limits<double>::min()), "2.2250738585072014e-308");
	EXPECT_EQ(json_number(std::numeric_limits<double>::denorm_min()), "5e-324");
	EXPECT_EQ(json_number(-std::numeric_limits<double>::denorm_min()), "-5e-324");
}

// The layout is the encoder's own, so it is checked against std::to_chars on every kind of
// double: random bit patterns (all exponents, subnormals), and values like the agent's (shares
// and rates with a few decimals, whole counts, powers of ten and their neighbours).
TEST(ReportEncode, NumbersMatchToCharsAndReadBack) {
	std::mt19937_64 rng(20240611);
	std::vector<double> values;
	for (int i = 0; i < 300000; ++i) {
		uint64_t bits = rng();
		double v;
		std::memcpy(&v, &bits, sizeof v);
		if (std::isfinite(v)) {
			values.push_back(v);
		}
	}
	std::uniform_real_distribution<double> share(0, 100);
	std::uniform_int_distribution<int> places(0, 6);
	for (int i = 0; i < 100000; ++i) {
		const double scale = std::pow(10.0, places(rng));
		values.push_back(std::round(share(rng) * scale) / scale);
		values.push_back(share(rng) * std::pow(10.0, places(rng) * 3));
		values.push_back(static_cast<double>(rng() >> places(rng) * 10));
	}
	for (int e = -324; e <= 308; ++e) {
		const double p = std::pow(10.0, e);
		for (double v : {p, std::nextafter(p, 0.0), std::nextafter(p, HUGE_VAL), 9.5 * p, 9.999999 * p}) {
			if (std::isfinite(v)) {
				values.push_back(v);
				values.push_back(-v);
			}
		}
	}
	size_t mismatches = 0;
	for (double v : values) {
		const std::string got = json_number(v);
		if (got != to_chars_number(v) && ++mismatches <= 10) {
			ADD_FAILURE() << "value " << to_chars_number(v) << " written as " << got;
		}
		double back = 0;
		const auto r = std::from_chars(got.data(), got.data() + got.size(), back);
		if ((r.ec != std::errc() || r.ptr != got.data() + got.size() || back != v) && ++mismatches <= 10) {
			ADD_FAILURE() << got << " does not read back as " << to_chars_number(v);
		}
	}
	EXPECT_EQ(mismatches, 0u) << "of " << values.size();
}

TEST(ReportEncode, DropsValuesTheProtocolCannotCarry) {
	const double nan = std::numeric_limits<double>::quiet_NaN();
	const double inf = std::numeric_limits<double>::infinity();
	ReportBatch b = minimal_batch();
	Report& r = b.reports[0];
	r.interval_s = nan;
	r.cpu.total.user = inf;
	r.cpu.total.system = 100.4; // jitter: clamped
	r.cpu.total.idle = -0.2;    // clamped
	r.load.load1 = -1;          // a negative load is nonsense: omitted
	r.host.emplace().boot_time = -5;
	r.disks = {DiskIo{"vda", nan, -3, inf, 1, 101}, DiskIo{"", 1, 1, 1, 1, 1}};
	r.temperatures = {Temperature{"bogus", 255}, Temperature{"nan", nan}, Temperature{"ok", -100},
	                  Temperature{"", 40}};
	r.top_cpu = std::vector<ProcessEntry>{process(0, "zero", "", 1, 1), process(7, "", "", 1, 1),
	                                      process(9, "busy", "", 1e6, 1)};
	r.tcp_states = std::vector<TcpStateCount>{{"", 5}};
	r.interfaces = {NetInterface{.name = ""}};
	const std::string json = encode_batch(b);
	EXPECT_EQ(
	    json,
	    with_report(R"(,"host":{},"cpu":{"total":{"system":100,"idle":0}},)"
	                R"("disks":[{"device":"vda","writes_per_s":1,"busy_percent":100}],)"
	                R"("temperatures":[{"sensor":"ok","celsius":-100}],)"
	                R"("top_cpu":[{"pid":9,"name":"busy","cpu_percent":102400,"rss":1}],"tcp_states":[])"));
	decode_ok(json);
}

TEST(ReportEncode, CutsListsToTheProtocolLimits) {
	ReportBatch b = minimal_batch();
	Report& r = b.reports[0];
	for (size_t i = 0; i < kMaxDisks + 10; ++i) {
		r.disks.push_back(DiskIo{"sd" + std::to_string(i), 1, 1, 1, 1, 1});
	}
	r.cpu.cores.resize(kMaxCores + 1);
	r.top_cpu.emplace();
	for (uint32_t i = 1; i <= kMaxProcesses + 1; ++i) {
		r.top_cpu->push_back(process(i, "p", "u", 1, 1));
	}
	const ReportBatch d = decode_ok(encode_batch(b));
	ASSERT_EQ(d.reports[0].disks.size(), kMaxDisks);
	EXPECT_EQ(d.reports[0].disks.back().device, "sd255");
	EXPECT_EQ(d.reports[0].cpu.cores.size(), kMaxCores);
	EXPECT_EQ(d.reports[0].top_cpu->size(), kMaxProcesses);
}

// --- decoder: accepted input ---

TEST(ReportDecode, SkipsAndCountsUnknownFields) {
	const std::string json =
	    R"({"future":{"a":[1,{"b":null}]},"protocol":1,"stream":"0123456789abcdef","agent_version":"0.1.0",)"
	    R"("reports":[{"seq":1,"time_ms":1718000000000,"gpu":[{"util":3}],"memory":{"total":5,"hugepages":0},)"
	    R"("disks":[{"device":"vda","queue":1.5,"flag":true}]}],"zzz":"x"})";
	DecodeStats stats;
	const ReportBatch d = decode_ok(json, &stats);
	EXPECT_EQ(stats.unknown_fields, 6u);
	ReportBatch expected = minimal_batch();
	expected.reports[0].memory.total = 5;
	expected.reports[0].disks = {DiskIo{.device = "vda"}};
	EXPECT_EQ(d, expected);
}

TEST(ReportDecode, AcceptsValuesAtTheEdgesOfTheirRanges) {
	const std::string json = with_report(
	    R"(,"memory":{"total":9007199254740992,"used":0},"cpu":{"total":{"user":100,"idle":0,"steal":1e2}},)"
	    R"("host":{"cpu_logical":4294967295,"boot_time":9223372036854775807,"cpu_mhz":1e-300},)"
	    R"("temperatures":[{"sensor":"a","celsius":-100},{"sensor":"b","celsius":200.0}],)"
	    R"("top_cpu":[{"pid":2147483647,"name":"x","cpu_percent":102400}],"load":{"load1":0.0},)"
	    R"("interval_s":5E0,"spool_dropped":0)");
	const ReportBatch d = decode_ok(json);
	EXPECT_EQ(d.reports[0].memory.total, 9007199254740992u);
	EXPECT_EQ(d.reports[0].cpu.total.steal, 100.0);
	EXPECT_EQ(d.reports[0].host->cpu_logical, 4294967295u);
	EXPECT_EQ(d.reports[0].temperatures[1].celsius, 200.0);
	EXPECT_EQ(d.reports[0].interval_s, 5.0);

	// time_ms bounds; an integer given as a number is also fine for a real field.
	decode_ok(
	    R"({"protocol":1,"stream":"0123456789abcdef","agent_version":"0123456789abcdef0123456789abcdef","reports":[{"seq":1,"time_ms":1577836800000},{"seq":18446744073709551615,"time_ms":4102444799999}]})");
	// Whitespace anywhere JSON allows it.
	decode_ok(
	    " \n{ \"protocol\" : 1 ,\t\"stream\":\"0123456789abcdef\",\r\n\"agent_version\":\"1\",\"reports\":[ "
	    "{\"seq\":1,\"time_ms\":1718000000000} ] } \n");
}

TEST(ReportDecode, ParsesInPlaceFromAPaddedBuffer) {
	const std::string json = encode_batch(golden_batch());
	std::string buffer = json + std::string(kDecodePadding, '\xFF'); // padding may hold anything
	auto r = decode_batch(buffer.data(), json.size(), buffer.size());
	ASSERT_TRUE(r.ok()) << r.error().message;
	EXPECT_EQ(*r, golden_batch());
	// Too little padding: copies instead.
	auto c = decode_batch(json.data(), json.size(), json.size() + 1);
	ASSERT_TRUE(c.ok()) << c.error().message;
	EXPECT_EQ(*c, golden_batch());
}

TEST(ReportDecode, EscapedStringsDecode) {
	const ReportBatch d = decode_ok(with_report(R"(,"host":{"hostname":"a\u00e9\ud83d\ude00\n\"\\\/"})"));
	EXPECT_EQ(d.reports[0].host->hostname, "a\xC3\xA9\xF0\x9F\x98\x80\n\"\\/");
}

// --- decoder: one precise error per kind of invalid input ---

TEST(ReportDecode, RejectsWrongTypes) {
	EXPECT_EQ(decode_error(with_report(R"(,"memory":{"total":"5"})")),
	          "reports[0].memory.total: expected an integer in 0..9007199254740992, got a string");
	EXPECT_EQ(decode_error(with_report(R"(,"memory":{"total":1.5})")),
	          "reports[0].memory.total: expected an integer in 0..9007199254740992, got 1.5");
	EXPECT_EQ(decode_error(with_report(R"(,"memory":{"total":1e3})")),
	          "reports[0].memory.total: expected an integer in 0..9007199254740992, got 1000.0");
	EXPECT_EQ(decode_error(with_report(R"(,"load":{"load1":null})")),
	          "reports[0].load.load1: expected a number in 0..9007199254740992, got null");
	EXPECT_EQ(decode_error(with_report(R"(,"load":{"load1":true})")),
	          "reports[0].load.load1: expected a number in 0..9007199254740992, got a boolean");
	EXPECT_EQ(decode_error(with_report(R"(,"host":{"hostname":5})")),
	          "reports[0].host.hostname: expected a string, got 5");
	EXPECT_EQ(decode_error(with_report(R"(,"memory":[])")),
	          "reports[0].memory: expected an object, got an array");
	EXPECT_EQ(decode_error(with_report(R"(,"disks":{})")),
	          "reports[0].disks: expected an array, got an object");
	EXPECT_EQ(decode_error(with_report(R"(,"disks":[5])")), "reports[0].disks[0]: expected an object, got 5");
	EXPECT_EQ(decode_error(with_report(R"(,"cpu":{"cores":[{},{"user":"x"}]})")),
	          "reports[0].cpu.cores[1].user: expected a number in 0..100, got a string");
	EXPECT_EQ(
	    decode_error(
	        R"({"protocol":1,"stream":"0123456789abcdef","agent_version":"0.1.0","reports":[{"seq":"1","time_ms":1718000000000}]})"),
	    "reports[0].seq: expected a positive integer, got a string");
	EXPECT_EQ(
	    decode_error(R"({"protocol":1,"stream":"0123456789abcdef","agent_version":"0.1.0","reports":[[]]})"),
	    "reports[0]: expected an object, got an array");
	EXPECT_EQ(
	    decode_error(R"({"protocol":1,"stream":"0123456789abcdef","agent_version":"0.1.0","reports":{}})"),
	    "reports: expected an array, got an object");
	EXPECT_EQ(decode_error(with_top(R"("protocol":1,"stream":7,"agent_version":"0.1.0")")),
	          "stream: expected a string, got 7");
}

TEST(ReportDecode, RejectsOutOfRangeNumbers) {
	EXPECT_EQ(decode_error(with_report(R"(,"memory":{"total":-1})")),
	          "reports[0].memory.total: expected an integer in 0..9007199254740992, got -1");
	EXPECT_EQ(decode_error(with_report(R"(,"filesystems":[{"mount":"/","used":-4096}])")),
	          "reports[0].filesystems[0].used: expected an integer in 0..9007199254740992, got -4096");
	EXPECT_EQ(decode_error(with_report(R"(,"cpu":{"total":{"user":101}})")),
	          "reports[0].cpu.total.user: expected a number in 0..100, got 101");
	EXPECT_EQ(decode_error(with_report(R"(,"cpu":{"total":{"idle":-0.5}})")),
	          "reports[0].cpu.total.idle: expected a number in 0..100, got -0.5");
	EXPECT_EQ(decode_error(with_report(R"(,"disks":[{"device":"vda","busy_percent":100.01}])")),
	          "reports[0].disks[0].busy_percent: expected a number in 0..100, got 100.01");
	EXPECT_EQ(decode_error(with_report(R"(,"top_cpu":[{"pid":1,"name":"x","cpu_percent":102400.5}])")),
	          "reports[0].top_cpu[0].cpu_percent: expected a number in 0..102400, got 102400.5");
	EXPECT_EQ(decode_error(with_report(R"(,"disks":[{"device":"vda","read_bytes_per_s":-1}])")),
	          "reports[0].disks[0].read_bytes_per_s: expected a number in 0..9007199254740992, got -1");
	EXPECT_EQ(decode_error(with_report(R"(,"load":{"load15":-0.01})")),
	          "reports[0].load.load15: expected a number in 0..9007199254740992, got -0.01");
	EXPECT_EQ(decode_error(with_report(R"(,"temperatures":[{"sensor":"t","celsius":200.5}])")),
	          "reports[0].temperatures[0].celsius: expected a number in -100..200, got 200.5");
	EXPECT_EQ(decode_error(with_report(R"(,"temperatures":[{"sensor":"t","celsius":-273}])")),
	          "reports[0].temperatures[0].celsius: expected a number in -100..200, got -273");
	EXPECT_EQ(decode_error(with_report(R"(,"top_memory":[{"pid":0,"name":"x"}])")),
	          "reports[0].top_memory[0].pid: expected an integer in 1..2147483647, got 0");
	EXPECT_EQ(decode_error(with_report(R"(,"top_memory":[{"pid":2147483648,"name":"x"}])")),
	          "reports[0].top_memory[0].pid: expected an integer in 1..2147483647, got 2147483648");
	EXPECT_EQ(decode_error(with_report(R"(,"host":{"cpu_logical":4294967296})")),
	          "reports[0].host.cpu_logical: expected an integer in 0..4294967295, got 4294967296");
	EXPECT_EQ(decode_error(with_report(R"(,"host":{"boot_time":-1})")),
	          "reports[0].host.boot_time: expected an integer in 0..9223372036854775807, got -1");
	EXPECT_EQ(
	    decode_error(with_report(R"(,"host":{"boot_time":9223372036854775808})")),
	    "reports[0].host.boot_time: expected an integer in 0..9223372036854775807, got 9223372036854775808");
	EXPECT_EQ(decode_error(with_report(R"(,"interval_s":-10)")),
	          "reports[0].interval_s: expected a number in 0..9007199254740992, got -10");
	EXPECT_EQ(decode_error(with_report(R"(,"spool_dropped":-1)")),
	          "reports[0].spool_dropped: expected an integer in 0..9007199254740992, got -1");
}

TEST(ReportDecode, RejectsNumbersJsonCannotHold) {
	const std::string number = "invalid JSON: malformed number, or an integer outside the 64-bit range";
	EXPECT_EQ(decode_error(with_report(R"(,"memory":{"total":18446744073709551616})")), number);
	EXPECT_EQ(decode_error(with_report(R"(,"memory":{"total":99999999999999999999999999})")), number);
	EXPECT_EQ(decode_error(with_report(R"(,"load":{"load1":-9223372036854775809})")), number);
	EXPECT_EQ(decode_error(with_report(R"(,"load":{"load1":1e400})")), number);
	EXPECT_EQ(decode_error(with_report(R"(,"load":{"load1":01})")), number);
	EXPECT_EQ(decode_error(with_report(R"(,"load":{"load1":1.})")), number);
	// NaN and infinities have no JSON form, in any spelling.
	for (const char* token : {"NaN", "nan", "Infinity", "-Infinity", "inf", "+1", "-nan"}) {
		SCOPED_TRACE(token);
		EXPECT_EQ(decode_error(with_report(std::string(R"(,"load":{"load1":)") + token + "}"))
		              .rfind("invalid JSON: ", 0),
		          0u);
	}
}

TEST(ReportDecode, RejectsBadStrings) {
	EXPECT_EQ(decode_error(with_report(R"(,"host":{"hostname":")" + std::string(257, 'h') + "\"}")),
	          "reports[0].host.hostname: string longer than 256 bytes (257)");
	// The limit is on the decoded value: 256 escaped characters are fine, 86 3-byte ones are not.
	decode_ok(with_report(R"(,"host":{"hostname":")" + repeat("\\n", 256, "") + "\"}"));
	EXPECT_EQ(decode_error(with_report(R"(,"host":{"hostname":")" + repeat("\\u20ac", 86, "") + "\"}")),
	          "reports[0].host.hostname: string longer than 256 bytes (258)");
	EXPECT_EQ(decode_error(with_report(",\"host\":{\"hostname\":\"a\xFF\"}")), "invalid JSON: invalid UTF-8");
	EXPECT_EQ(decode_error(with_report(",\"host\":{\"hostname\":\"\xC0\xAF\"}")),
	          "invalid JSON: invalid UTF-8");
	EXPECT_EQ(decode_error(with_report(",\"host\":{\"hostname\":\"\xED\xA0\x80\"}")),
	          "invalid JSON: invalid UTF-8");
	EXPECT_EQ(decode_error(with_report(R"(,"host":{"hostname":"\ud800"})")),
	          "invalid JSON: bad escape in a string");
	EXPECT_EQ(decode_error(with_report(R"(,"host":{"hostname":"\udc00x"})")),
	          "invalid JSON: bad escape in a string");
	EXPECT_EQ(decode_error(with_report(R"(,"host":{"hostname":"\x"})")),
	          "invalid JSON: bad escape in a string");
	EXPECT_EQ(decode_error(with_report(",\"host\":{\"hostname\":\"a\tb\"}")),
	          "invalid JSON: unescaped control character in a string");
	// Invalid UTF-8 in a key or an unknown field is rejected all the same.
	EXPECT_EQ(decode_error(with_report(",\"\xFF\":1")), "invalid JSON: invalid UTF-8");
	EXPECT_EQ(decode_error(with_report(R"(,"disks":[{"device":""}])")),
	          "reports[0].disks[0].device: must not be empty");
	EXPECT_EQ(decode_error(with_report(R"(,"tcp_states":[{"state":"","count":1}])")),
	          "reports[0].tcp_states[0].state: must not be empty");
}

TEST(ReportDecode, RejectsOversizedLists) {
	const std::string disk = R"({"device":"sda"})";
	decode_ok(with_report(R"(,"disks":[)" + repeat(disk, kMaxDisks) + "]"));
	EXPECT_EQ(decode_error(with_report(R"(,"disks":[)" + repeat(disk, kMaxDisks + 1) + "]")),
	          "reports[0].disks: more than 256 entries");
	EXPECT_EQ(decode_error(with_report(R"(,"filesystems":[)" + repeat(R"({"mount":"/"})", 257) + "]")),
	          "reports[0].filesystems: more than 256 entries");
	EXPECT_EQ(decode_error(with_report(R"(,"interfaces":[)" + repeat(R"({"name":"e"})", 257) + "]")),
	          "reports[0].interfaces: more than 256 entries");
	EXPECT_EQ(decode_error(
	              with_report(R"(,"temperatures":[)" + repeat(R"({"sensor":"t","celsius":1})", 257) + "]")),
	          "reports[0].temperatures: more than 256 entries");
	EXPECT_EQ(decode_error(with_report(R"(,"cpu":{"cores":[)" + repeat("{}", kMaxCores + 1) + "]}")),
	          "reports[0].cpu.cores: more than 1024 entries");
	EXPECT_EQ(decode_error(with_report(R"(,"top_cpu":[)" + repeat(R"({"pid":1,"name":"x"})", 51) + "]")),
	          "reports[0].top_cpu: more than 50 entries");
	EXPECT_EQ(
	    decode_error(with_report(R"(,"tcp_states":[)" + repeat(R"({"state":"listen","count":1})", 17) + "]")),
	    "reports[0].tcp_states: more than 16 entries");
}

std::string reports_json(size_t n) {
	std::string out = R"({"protocol":1,"stream":"0123456789abcdef","agent_version":"0.1.0","reports":[)";
	for (size_t i = 1; i <= n; ++i) {
		// Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, a false positive) on
		// "literal" + std::string temporaries here.
		if (i > 1)
			out += ',';
		out += R"({"seq":)";
		out += std::to_string(i);
		out += R"(,"time_ms":1718000000000})";
	}
	return out + "]}";
}

TEST(ReportDecode, RejectsBadReportCounts) {
	EXPECT_EQ(decode_ok(reports_json(kMaxReportsPerBatch)).reports.size(), kMaxReportsPerBatch);
	EXPECT_EQ(decode_error(reports_json(kMaxReportsPerBatch + 1)), "reports: more than 1000 entries");
	EXPECT_EQ(decode_error(reports_json(0)), "reports: must hold at least one report");
}

TEST(ReportDecode, RejectsMissingRequiredFields) {
	EXPECT_EQ(decode_error(R"({"stream":"0123456789abcdef","agent_version":"0.1.0","reports":[]})"),
	          "missing required field \"protocol\"");
	EXPECT_EQ(decode_error(R"({"protocol":1,"agent_version":"0.1.0","reports":[]})"),
	          "missing required field \"stream\"");
	EXPECT_EQ(decode_error(R"({"protocol":1,"stream":"0123456789abcdef","reports":[]})"),
	          "missing required field \"agent_version\"");
	EXPECT_EQ(decode_error(R"({"protocol":1,"stream":"0123456789abcdef","agent_version":"0.1.0"})"),
	          "missing required field \"reports\"");
	EXPECT_EQ(
	    decode_error(
	        R"({"protocol":1,"stream":"0123456789abcdef","agent_version":"0.1.0","reports":[{"time_ms":1718000000000}]})"),
	    "reports[0]: missing required field \"seq\"");
	EXPECT_EQ(
	    decode_error(
	        R"({"protocol":1,"stream":"0123456789abcdef","agent_version":"0.1.0","reports":[{"seq":1}]})"),
	    "reports[0]: missing required field \"time_ms\"");
	EXPECT_EQ(decode_error(with_report(R"(,"disks":[{"read_bytes_per_s":1}])")),
	          "reports[0].disks[0]: missing required field \"device\"");
	EXPECT_EQ(decode_error(with_report(R"(,"filesystems":[{"device":"/dev/sda1"}])")),
	          "reports[0].filesystems[0]: missing required field \"mount\"");
	EXPECT_EQ(decode_error(with_report(R"(,"interfaces":[{"name":"lo"},{"ipv4":"1.2.3.4"}])")),
	          "reports[0].interfaces[1]: missing required field \"name\"");
	EXPECT_EQ(decode_error(with_report(R"(,"temperatures":[{"celsius":40}])")),
	          "reports[0].temperatures[0]: missing required field \"sensor\"");
	EXPECT_EQ(decode_error(with_report(R"(,"temperatures":[{"sensor":"t"}])")),
	          "reports[0].temperatures[0]: missing required field \"celsius\"");
	EXPECT_EQ(decode_error(with_report(R"(,"top_cpu":[{"name":"x"}])")),
	          "reports[0].top_cpu[0]: missing required field \"pid\"");
	EXPECT_EQ(decode_error(with_report(R"(,"top_cpu":[{"pid":3}])")),
	          "reports[0].top_cpu[0]: missing required field \"name\"");
	EXPECT_EQ(decode_error(with_report(R"(,"tcp_states":[{"state":"listen"}])")),
	          "reports[0].tcp_states[0]: missing required field \"count\"");
}

TEST(ReportDecode, RejectsDuplicateKeys) {
	EXPECT_EQ(decode_error(with_report(R"(,"memory":{"total":1,"used":1,"total":2})")),
	          "reports[0].memory: duplicate key \"total\"");
	EXPECT_EQ(decode_error(with_report(R"(,"seq":2)")), "reports[0]: duplicate key \"seq\"");
	EXPECT_EQ(decode_error(with_report(R"(,"x":1,"y":2,"x":3)")), "reports[0]: duplicate key \"x\"");
	EXPECT_EQ(
	    decode_error(
	        R"({"protocol":1,"protocol":1,"stream":"0123456789abcdef","agent_version":"0.1.0","reports":[]})"),
	    "duplicate key \"protocol\"");
}

TEST(ReportDecode, RejectsSeqThatDoesNotIncrease) {
	const std::string head =
	    R"({"protocol":1,"stream":"0123456789abcdef","agent_version":"0.1.0","reports":[)";
	EXPECT_EQ(decode_error(head + R"({"seq":5,"time_ms":1718000000000},{"seq":5,"time_ms":1718000010000}]})"),
	          "reports[1].seq: 5 does not follow the previous report's seq 5 (must increase)");
	EXPECT_EQ(
	    decode_error(
	        head +
	        R"({"seq":5,"time_ms":1718000000000},{"seq":9,"time_ms":1718000010000},{"seq":3,"time_ms":1718000020000}]})"),
	    "reports[2].seq: 3 does not follow the previous report's seq 9 (must increase)");
	EXPECT_EQ(decode_error(head + R"({"seq":0,"time_ms":1718000000000}]})"),
	          "reports[0].seq: expected a positive integer, got 0");
	// Gaps are fine: the agent's spool may have dropped reports.
	decode_ok(head + R"({"seq":5,"time_ms":1718000000000},{"seq":90,"time_ms":1718000010000}]})");
}

TEST(ReportDecode, RejectsTimeOutsideTheProtocolWindow) {
	EXPECT_EQ(
	    decode_error(
	        R"({"protocol":1,"stream":"0123456789abcdef","agent_version":"0.1.0","reports":[{"seq":1,"time_ms":1577836799999}]})"),
	    "reports[0].time_ms: 1577836799999 is outside 2020-01-01..2100-01-01 (unix milliseconds "
	    "1577836800000..4102444799999)");
	EXPECT_EQ(
	    decode_error(
	        R"({"protocol":1,"stream":"0123456789abcdef","agent_version":"0.1.0","reports":[{"seq":1,"time_ms":4102444800000}]})"),
	    "reports[0].time_ms: 4102444800000 is outside 2020-01-01..2100-01-01 (unix milliseconds "
	    "1577836800000..4102444799999)");
	EXPECT_EQ(
	    decode_error(
	        R"({"protocol":1,"stream":"0123456789abcdef","agent_version":"0.1.0","reports":[{"seq":1,"time_ms":1718000000}]})")
	        .rfind("reports[0].time_ms: 1718000000 is outside", 0),
	    0u); // seconds instead of milliseconds
	EXPECT_EQ(
	    decode_error(
	        R"({"protocol":1,"stream":"0123456789abcdef","agent_version":"0.1.0","reports":[{"seq":1,"time_ms":1718000000000.5}]})"),
	    "reports[0].time_ms: expected an integer (unix milliseconds), got 1718000000000.5");
}

TEST(ReportDecode, RejectsBadBatchIdentity) {
	const std::string reports = R"(,"reports":[{"seq":1,"time_ms":1718000000000}]})";
	EXPECT_EQ(decode_error(R"({"protocol":1,"stream":"0123456789ABCDEF","agent_version":"0.1.0")" + reports),
	          "stream: expected 16 lowercase hex digits, got \"0123456789ABCDEF\"");
	EXPECT_EQ(decode_error(R"({"protocol":1,"stream":"0123456789abcde","agent_version":"0.1.0")" + reports),
	          "stream: expected 16 lowercase hex digits, got \"0123456789abcde\"");
	EXPECT_EQ(decode_error(R"({"protocol":1,"stream":"0123456789abcdeg","agent_version":"0.1.0")" + reports),
	          "stream: expected 16 lowercase hex digits, got \"0123456789abcdeg\"");
	EXPECT_EQ(decode_error(R"({"protocol":1,"stream":"","agent_version":"0.1.0")" + reports),
	          "stream: expected 16 lowercase hex digits, got \"\"");
	EXPECT_EQ(decode_error(R"({"protocol":1,"stream":"0123456789abcdef","agent_version":"")" + reports),
	          "agent_version: expected 1..32 bytes, got 0");
	EXPECT_EQ(decode_error(R"({"protocol":1,"stream":"0123456789abcdef","agent_version":")" +
	                       std::string(33, 'v') + "\"" + reports),
	          "agent_version: expected 1..32 bytes, got 33");
}

TEST(ReportDecode, RejectsOtherProtocolVersions) {
	const std::string rest =
	    R"(,"stream":"0123456789abcdef","agent_version":"0.1.0","reports":[{"seq":1,"time_ms":1718000000000}]})";
	EXPECT_EQ(decode_error(R"({"protocol":2)" + rest), "unsupported protocol version 2");
	EXPECT_EQ(decode_error(R"({"protocol":0)" + rest), "unsupported protocol version 0");
	EXPECT_EQ(decode_error(R"({"protocol":-1)" + rest), "unsupported protocol version -1");
	EXPECT_EQ(decode_error(R"({"protocol":18446744073709551615)" + rest),
	          "unsupported protocol version 18446744073709551615");
	EXPECT_EQ(decode_error(R"({"protocol":"1")" + rest), "protocol: expected an integer, got a string");
	EXPECT_EQ(decode_error(R"({"protocol":1.0)" + rest), "protocol: expected an integer, got 1.0");
	// The version is checked first: a v2 body is not judged by v1 rules.
	EXPECT_EQ(decode_error(R"({"reports":{"v2":true},"protocol":2})"), "unsupported protocol version 2");
}

TEST(ReportDecode, RejectsDeepNestingWithoutRecursing) {
	const std::string open(100000, '['), close(100000, ']');
	EXPECT_EQ(decode_error(open + close), "invalid JSON: nested deeper than 16 levels");
	EXPECT_EQ(decode_error(open).rfind("invalid JSON: ", 0), 0u);
	EXPECT_EQ(decode_error(with_report(",\"x\":" + open + close)),
	          "invalid JSON: nested deeper than 16 levels");
	EXPECT_EQ(decode_error(with_report(",\"x\":" + std::string(100000, '{') + std::string(100000, '}')))
	              .rfind("invalid JSON: ", 0),
	          0u);
	EXPECT_EQ(
	    decode_error(with_report(",\"x\":" + repeat("{\"a\":", 100000, "") + "1" + std::string(100000, '}'))),
	    "invalid JSON: nested deeper than 16 levels");
	// The limit itself: object, reports array, report object, then 13 more levels is 16.
	decode_ok(with_report(",\"x\":" + std::string(13, '[') + std::string(13, ']')));
	EXPECT_EQ(decode_error(with_report(",\"x\":" + std::string(14, '[') + std::string(14, ']'))),
	          "invalid JSON: nested deeper than 16 levels");
}

TEST(ReportDecode, RejectsMalformedDocuments) {
	const std::string valid = encode_batch(golden_batch());
	EXPECT_EQ(decode_error(""), "empty body");
	EXPECT_EQ(decode_error(" \n\t "), "empty body");
	EXPECT_EQ(decode_error("[]"), "expected a JSON object at the top level, got an array");
	EXPECT_EQ(decode_error("\"report\""), "expected a JSON object at the top level, got a string");
	EXPECT_EQ(decode_error("42"), "expected a JSON object at the top level, got 42");
	EXPECT_EQ(decode_error("null"), "expected a JSON object at the top level, got null");
	EXPECT_EQ(decode_error("{}"), "missing required field \"protocol\"");
	for (const std::string& bad : std::vector<std::string>{
	         valid.substr(0, valid.size() / 2), valid.substr(0, valid.size() - 1), valid + "x", valid + "{}",
	         valid + ",", "{\"protocol\":1,}", "{\"protocol\" 1}", "{'protocol':1}",
	         std::string("{\"protocol\":1\0}", 15), std::string("\xEF\xBB\xBF") + valid}) {
		SCOPED_TRACE(bad.substr(0, 80));
		EXPECT_EQ(decode_error(bad).rfind("invalid JSON: ", 0), 0u);
	}
}

TEST(ReportDecode, RejectsOversizedBodyBeforeParsing) {
	std::string big = with_report(",\"pad\":\"" + std::string(kMaxDecodedBodyBytes, ' ') + "\"");
	EXPECT_EQ(decode_error(big), "body too large: " + std::to_string(big.size()) + " bytes (limit 8388608)");
	std::string padded = big + std::string(kDecodePadding, ' ');
	auto r = decode_batch(padded.data(), big.size(), padded.size());
	ASSERT_FALSE(r.ok());
	EXPECT_EQ(r.error().message, "body too large: " + std::to_string(big.size()) + " bytes (limit 8388608)");
}

TEST(ReportDecode, LargestBatchWithinLimitsDecodes) {
	// A full backfill: the decoder's buffers grow for it and shrink back afterwards.
	ReportBatch b = golden_batch();
	Report proto = b.reports[1];
	b.reports.clear();
	for (uint64_t i = 1; i <= kMaxReportsPerBatch; ++i) {
		proto.seq = i;
		b.reports.push_back(proto);
	}
	const std::string json = encode_batch(b);
	EXPECT_EQ(decode_ok(json), b);
	EXPECT_EQ(decode_ok(encode_batch(minimal_batch())), minimal_batch());
}

// Every prefix of a valid body, and random corruptions of it, must give an error or a batch that
// re-encodes to something that decodes the same: never a crash (run this under ASan/UBSan).
TEST(ReportDecode, SurvivesTruncationAndCorruption) {
	const std::string valid = encode_batch(full_batch());
	for (size_t n = 0; n < valid.size(); ++n) {
		auto r = decode_batch(std::string_view(valid).substr(0, n));
		ASSERT_FALSE(r.ok()) << n;
	}
	std::mt19937 rng(12345);
	const std::string alphabet = "{}[]\",:0123456789-+.eE\\u tfnal\xFF\xC3";
	size_t accepted = 0;
	for (int iteration = 0; iteration < 3000; ++iteration) {
		std::string s = valid;
		const int edits = 1 + static_cast<int>(rng() % 4);
		for (int e = 0; e < edits; ++e) {
			const size_t at = rng() % s.size();
			switch (rng() % 3) {
			case 0:
				s[at] = alphabet[rng() % alphabet.size()];
				break;
			case 1:
				s.erase(at, 1 + rng() % 8);
				break;
			default:
				s.insert(at, 1, alphabet[rng() % alphabet.size()]);
			}
		}
		auto r = decode_batch(s);
		if (r.ok()) {
			++accepted;
			ASSERT_EQ(decode_ok(encode_batch(*r)), *r) << s;
		} else {
			ASSERT_FALSE(r.error().message.empty());
		}
	}
	EXPECT_LT(accepted, 3000u);
}

// --- issue 18: duplicate keys in skipped values, value bounds, sample-time bounds, reasons ---

TEST(ReportDecode, RejectsDuplicateKeysInsideUnknownValuesAtAnyDepth) {
	// Directly in an unknown field's value (the reproducer), in the top-level object's unknown
	// field, under a known object, in arrays of objects, and twelve levels down.
	EXPECT_EQ(decode_error(with_report(R"(,"zz":{"a":1,"a":2})")), "reports[0].zz: duplicate key \"a\"");
	EXPECT_EQ(
	    decode_error(with_top(
	        R"("zz":{"b":{"a":1,"a":2}},"protocol":1,"stream":"0123456789abcdef","agent_version":"1")")),
	    "zz.b: duplicate key \"a\"");
	EXPECT_EQ(decode_error(with_report(R"(,"memory":{"total":1,"extra":{"k":[],"k":{}}})")),
	          "reports[0].memory.extra: duplicate key \"k\"");
	EXPECT_EQ(decode_error(with_report(R"(,"gpu":[{"a":1},{"b":1,"c":2,"b":3}])")),
	          "reports[0].gpu[1]: duplicate key \"b\"");
	EXPECT_EQ(decode_error(with_report(R"(,"disks":[{"device":"vda","q":[[{"x":1,"x":1}]]}])")),
	          "reports[0].disks[0].q[0][0]: duplicate key \"x\"");
	EXPECT_EQ(decode_error(with_report(
	              R"(,"d":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"a":{"y":0,"y":0}}}}}}}}}}})")),
	          "reports[0].d.a.a.a.a.a.a.a.a.a.a: duplicate key \"y\"");
	// The same key in different objects, or as a value, is not a duplicate.
	DecodeStats stats;
	decode_ok(with_report(R"(,"zz":[{"a":1},{"a":2}],"yy":{"a":{"a":"a"}},"xx":["a","a"])"), &stats);
	EXPECT_EQ(stats.unknown_fields, 3u);
}

TEST(ReportDecode, BoundsCountsBytesAndRatesTo2To53) {
	const std::string max = "9007199254740992"; // 2^53
	const ReportBatch d = decode_ok(with_report(
	    R"(,"memory":{"total":)" + max + R"(},"disks":[{"device":"vda","read_bytes_per_s":)" + max +
	    R"(}],"interfaces":[{"name":"eth0","tx_bytes_per_s":9.007199254740992e15,"rx_errors":)" + max +
	    R"(,"rx_bytes_total":)" + max + R"(}],"sockets":{"file_handles_max":9223372036854775807})"));
	EXPECT_EQ(d.reports[0].memory.total, 9007199254740992u);
	EXPECT_EQ(d.reports[0].interfaces[0].tx_bytes_per_s, kMaxExactValue);
	EXPECT_EQ(d.reports[0].sockets.file_handles_max, 9223372036854775807u); // the kernel's "no limit"

	// Issue 18, defect 4: a rate float32 cannot hold.
	EXPECT_EQ(decode_error(with_report(R"(,"interfaces":[{"name":"eth0","tx_bytes_per_s":1e39}])")),
	          "reports[0].interfaces[0].tx_bytes_per_s: expected a number in 0..9007199254740992, got 1e+39");
	EXPECT_EQ(
	    decode_error(with_report(R"(,"disks":[{"device":"vda","write_bytes_per_s":9007199254740994}])")),
	    "reports[0].disks[0].write_bytes_per_s: expected a number in 0..9007199254740992, got "
	    "9007199254740994");
	// Defect 5: a byte count the store's doubles cannot hold exactly.
	EXPECT_EQ(
	    decode_error(with_report(R"(,"memory":{"total":18446744073709551615})")),
	    "reports[0].memory.total: expected an integer in 0..9007199254740992, got 18446744073709551615");
	EXPECT_EQ(
	    decode_error(with_report(R"(,"filesystems":[{"mount":"/","used":9007199254740993}])")),
	    "reports[0].filesystems[0].used: expected an integer in 0..9007199254740992, got 9007199254740993");
	EXPECT_EQ(decode_error(with_report(R"(,"load":{"load1":1e16})")),
	          "reports[0].load.load1: expected a number in 0..9007199254740992, got 1e+16");
	EXPECT_EQ(
	    decode_error(with_report(R"(,"tcp_states":[{"state":"listen","count":9007199254740993}])")),
	    "reports[0].tcp_states[0].count: expected an integer in 0..9007199254740992, got 9007199254740993");
}

TEST(ReportEncode, LeavesOutValuesAboveTheDecodersBound) {
	// 2^53 + 1 rounds to 2^53 as a double: the encoder compares integers as integers, so it never
	// writes a value the decoder refuses.
	ReportBatch b = minimal_batch();
	Report& r = b.reports[0];
	r.memory.total = 9007199254740993u;
	r.memory.used = 9007199254740992u;
	r.interfaces = {NetInterface{.name = "eth0", .rx_bytes_per_s = 1e39, .tx_bytes_per_s = 1e15}};
	r.tcp_states = std::vector<TcpStateCount>{{"listen", 9007199254740993u}, {"established", 2}};
	r.spool_dropped = 9007199254740993u;
	const std::string json = encode_batch(b);
	EXPECT_EQ(json,
	          with_report(R"(,"memory":{"used":9007199254740992},"interfaces":[{"name":"eth0",)"
	                      R"("tx_bytes_per_s":1e+15}],"tcp_states":[{"state":"established","count":2}])"));
	decode_ok(json);
}

TEST(ReportDecode, ReasonsAreAPathAndAMessageOrInvalidJson) {
	// The documented contract (report-format.md, section 2): a reason is "<path>: <message>", or
	// for the top-level object a message alone, or "invalid JSON: ..." for what the parser
	// refuses. The message text itself is not a contract.
	const auto path_form = [](const std::string& reason, const std::string& path) {
		return reason.rfind(path + ": ", 0) == 0 && reason.size() > path.size() + 2;
	};
	EXPECT_TRUE(path_form(decode_error(with_report(R"(,"memory":{"total":-1})")), "reports[0].memory.total"));
	EXPECT_TRUE(
	    path_form(decode_error(with_report(R"(,"disks":[{"device":""}])")), "reports[0].disks[0].device"));
	EXPECT_TRUE(path_form(decode_error(with_report(R"(,"zz":[{"a":1,"a":1}])")), "reports[0].zz[0]"));
	EXPECT_TRUE(path_form(decode_error(with_report(R"(,"interfaces":[{"name":"e","rx_bytes_per_s":1e39}])")),
	                      "reports[0].interfaces[0].rx_bytes_per_s"));
	EXPECT_TRUE(
	    path_form(decode_error(with_top(R"("protocol":1,"stream":"x","agent_version":"1")")), "stream"));
	for (const char* bad : {"{", "[1,]", "{\"a\":nul}", "{\"a\":\"\\ud800\"}"}) {
		SCOPED_TRACE(bad);
		EXPECT_EQ(decode_error(bad).rfind("invalid JSON: ", 0), 0u);
	}
	EXPECT_EQ(decode_error(R"({"protocol":1})"), "missing required field \"stream\"");
}

TEST(ReportTime, BoundsSampleTimesAgainstTheServersClock) {
	const int64_t now = 1'764'000'000'000;
	const int64_t window = 300'000;
	EXPECT_TRUE(report_time_in_bounds(now + 299'000, now, window));
	EXPECT_TRUE(report_time_in_bounds(now + window, now, window)); // inclusive
	EXPECT_FALSE(report_time_in_bounds(now + window + 1, now, window));
	EXPECT_FALSE(report_time_in_bounds(now + 301'000, now, window));
	EXPECT_FALSE(report_time_in_bounds(now + 365LL * 86'400'000, now, window));
	EXPECT_TRUE(report_time_in_bounds(now - 7LL * 86'400'000, now, window)); // a 7-day spool
	EXPECT_TRUE(report_time_in_bounds(now - kMaxReportAgeMs, now, window));
	EXPECT_FALSE(report_time_in_bounds(now - kMaxReportAgeMs - 1, now, window));
	EXPECT_FALSE(report_time_in_bounds(now - 8LL * 86'400'000, now, window));

	std::vector<Report> reports(5);
	const int64_t times[] = {now - 9LL * 86'400'000, now - 1000, now + 400'000, now,
	                         now + 365LL * 86'400'000};
	for (size_t i = 0; i < reports.size(); ++i) {
		reports[i].seq = i + 1;
		reports[i].time_ms = times[i];
	}
	EXPECT_EQ(drop_reports_out_of_bounds(reports, now, window), 3u);
	ASSERT_EQ(reports.size(), 2u);
	EXPECT_EQ(reports[0].seq, 2u);
	EXPECT_EQ(reports[1].seq, 4u);
}

} // namespace
} // namespace serversan
