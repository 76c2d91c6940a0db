// The collectors' parsers on small inputs: exact values, the rules (which disks, which address is
// primary, counter wrap), and empty values (never zeros, never a crash) for malformed input.
#include <arpa/inet.h>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <linux/if_addr.h>
#include <linux/inet_diag.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "serversan/agent/collectors/addresses.h"
#include "serversan/agent/collectors/counters_file.h"
#include "serversan/agent/collectors/disks.h"
#include "serversan/agent/collectors/file_handles.h"
#include "serversan/agent/collectors/filesystems.h"
#include "serversan/agent/collectors/host.h"
#include "serversan/agent/collectors/network.h"
#include "serversan/agent/collectors/proc_file.h"
#include "serversan/agent/collectors/processes.h"
#include "serversan/agent/collectors/sessions.h"
#include "serversan/agent/collectors/sockets.h"
#include "serversan/agent/collectors/tcp_states.h"
#include "serversan/agent/collectors/temperatures.h"
#include "serversan/agent/collectors/text.h"
#include "serversan/agent/collectors/virtualization.h"

using namespace serversan;
using namespace serversan::agent;
namespace fs = std::filesystem;

namespace {

std::string scratch_dir(const std::string& name) {
	fs::path dir = fs::path(::testing::TempDir()) / fmt::format("ss-parse-{}-{}", name, ::getpid());
	fs::remove_all(dir);
	fs::create_directories(dir);
	return dir.string();
}

void write(const std::string& path, std::string_view content) {
	fs::create_directories(fs::path(path).parent_path());
	std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

// Netlink messages built by hand, as the kernel lays them out.
struct NetlinkBuilder {
	std::string bytes;
	void message(uint16_t type, uint32_t seq, std::string_view payload) {
		nlmsghdr h{};
		h.nlmsg_len = static_cast<uint32_t>(NLMSG_HDRLEN + payload.size());
		h.nlmsg_type = type;
		h.nlmsg_flags = NLM_F_MULTI;
		h.nlmsg_seq = seq;
		bytes.append(reinterpret_cast<const char*>(&h), sizeof h);
		bytes.append(payload);
		bytes.append(NLMSG_ALIGN(h.nlmsg_len) - h.nlmsg_len, '\0');
	}
	void done(uint32_t seq) { message(NLMSG_DONE, seq, std::string(4, '\0')); }
	void error(uint32_t seq, int32_t err) {
		std::string payload(reinterpret_cast<const char*>(&err), 4);
		payload.append(16, '\0');
		message(NLMSG_ERROR, seq, payload);
	}
	std::span<const uint8_t> span() const {
		return {reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()};
	}
};

std::string attr(uint16_t type, std::string_view data) {
	rtattr a{static_cast<unsigned short>(RTA_LENGTH(data.size())), type};
	std::string out(reinterpret_cast<const char*>(&a), sizeof a);
	out.append(data);
	out.append(RTA_ALIGN(a.rta_len) - a.rta_len, '\0');
	return out;
}

std::string ipv4_message(const char* label, const char* address, uint8_t scope, uint32_t flags) {
	ifaddrmsg ifa{};
	ifa.ifa_family = AF_INET;
	ifa.ifa_prefixlen = 24;
	ifa.ifa_scope = scope;
	ifa.ifa_flags = static_cast<uint8_t>(flags);
	in_addr a{};
	::inet_pton(AF_INET, address, &a);
	std::string raw(reinterpret_cast<const char*>(&a), 4);
	std::string payload(reinterpret_cast<const char*>(&ifa), sizeof ifa);
	payload += attr(IFA_ADDRESS, raw) + attr(IFA_LOCAL, raw) + attr(IFA_LABEL, std::string(label) + '\0');
	payload += attr(IFA_FLAGS, std::string(reinterpret_cast<const char*>(&flags), 4));
	return payload;
}

std::string diag_message(uint8_t family, uint8_t state) {
	inet_diag_msg m{};
	m.idiag_family = family;
	m.idiag_state = state;
	return std::string(reinterpret_cast<const char*>(&m), sizeof m);
}

} // namespace

TEST(DisksCollector, PartitionAndVirtualRules) {
	for (const char* p : {"sda1", "sdab12", "vdb2", "xvda1", "hdc3", "nvme0n1p2", "nvme12n3p14", "mmcblk0p1",
	                      "md0p1", "nbd3p1"})
		EXPECT_TRUE(looks_like_partition(p)) << p;
	for (const char* d : {"sda", "vdb", "xvda", "nvme0n1", "mmcblk0", "md0", "md127", "dm-0", "sr0", "nbd3",
	                      "loop0", "zd16", "rbd0", "bcache0"})
		EXPECT_FALSE(looks_like_partition(d)) << d;
	for (const char* v : {"loop0", "loop12", "ram0", "zram0", "fd0"})
		EXPECT_TRUE(is_virtual_disk(v)) << v;
	for (const char* d : {"sda", "loopback", "ramdisk", "fdx", "dm-0"})
		EXPECT_FALSE(is_virtual_disk(d)) << d;
}

TEST(DisksCollector, ParsesEveryKernelLayout) {
	// 11 counters (2.6.25-4.17), 15 (4.18+: discards), 17 (5.5+: flushes); 4-field partition
	// lines of older 2.6 kernels and junk are skipped.
	auto d = parse_diskstats("   8       0 sda 10 1 200 3 20 2 400 5 0 7 9\n"
	                         " 259 0 nvme0n1 1 0 8 0 2 0 16 0 0 3 3 0 0 0 0\n"
	                         " 259 1 nvme0n1p1 1 0 8 0 2 0 16 0 0 3 3 0 0 0 0 4 5\n"
	                         "   8   1 sda1 5 10 6 12\n"
	                         "x y sdz 1 2 3 4 5 6 7 8 9 10 11\n"
	                         "   8 2 sdb 1 2 3 4 5 6 7 8 9 10\n\n");
	ASSERT_EQ(d.size(), 3u);
	EXPECT_EQ(d[0], (DiskCounters{"sda", 10, 200, 20, 400, 7}));
	EXPECT_EQ(d[1].name, "nvme0n1");
	EXPECT_EQ(d[2].io_ticks_ms, 3u);
}

TEST(DisksCollector, RatesNeedTwoSamplesAndForwardCounters) {
	std::vector<DiskCounters> a = {{"sda", 10, 200, 20, 400, 1000}, {"sdb", 5, 5, 5, 5, 5}};
	std::vector<DiskCounters> b = {
	    {"sdc", 1, 1, 1, 1, 1}, {"sda", 20, 1224, 30, 400, 1500}, {"sdb", 4, 6, 6, 6, 6}};
	std::vector<DiskIo> out;
	disks_between(a, b, 2.0, out);
	ASSERT_EQ(out.size(), 2u); // sdc is new: no rate yet
	EXPECT_EQ(out[0].device, "sda");
	EXPECT_DOUBLE_EQ(*out[0].read_bytes_per_s, 1024 * 512 / 2.0);
	EXPECT_DOUBLE_EQ(*out[0].reads_per_s, 5.0);
	EXPECT_DOUBLE_EQ(*out[0].write_bytes_per_s, 0.0);
	EXPECT_DOUBLE_EQ(*out[0].busy_percent, 25.0);
	EXPECT_EQ(out[1].reads_per_s, std::nullopt); // went backwards: re-created device
	EXPECT_DOUBLE_EQ(*out[1].writes_per_s, 0.5);
	disks_between(a, b, 0.0, out);
	EXPECT_TRUE(out.empty());
	// A busy share never passes 100 (io_ticks can run slightly ahead of the wall clock).
	std::vector<DiskCounters> c = {{"sda", 10, 200, 20, 400, 1000}}, e = {{"sda", 10, 200, 20, 400, 3100}};
	disks_between(c, e, 2.0, out);
	EXPECT_DOUBLE_EQ(*out[0].busy_percent, 100.0);
}

TEST(NetworkCollector, ParsesNetDev) {
	auto n = parse_net_dev("Inter-|   Receive |  Transmit\n face |bytes    packets|bytes\n"
	                       "    lo: 100 2 0 0 0 0 0 0 100 2 0 0 0 0 0 0\n"
	                       "  eth0:123456789012 7 1 2 0 0 0 0 55 6 3 4 0 0 0 0\n"
	                       "  bad: 1 2 3\n"
	                       "wlan0: -1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
	ASSERT_EQ(n.size(), 2u);
	EXPECT_EQ(n[1], (NetDevCounters{"eth0", 123456789012, 7, 1, 2, 55, 6, 3, 4}));
}

TEST(NetworkCollector, CounterWrapAndReset) {
	EXPECT_EQ(counter_delta(100, 150), 50u);
	// A 32-bit counter near its top wrapped.
	EXPECT_EQ(counter_delta(4294967000ull, 200), 296u + 200u);
	// A small value that went down: reset (driver reload), count what is there now.
	EXPECT_EQ(counter_delta(1000, 10), 10u);
	// A 64-bit counter that went down: reset, not a 2^64 wrap.
	EXPECT_EQ(counter_delta(uint64_t{1} << 40, 5), 5u);
}

TEST(NetworkCollector, TotalsAcrossWrapsAndVanishingInterfaces) {
	std::string dir = scratch_dir("netdev");
	HostPaths paths = HostPaths::under(dir);
	auto sample = [&](uint64_t eth0, bool with_veth) {
		std::string text = "h|\nh|\n";
		text += fmt::format("  eth0: {} 1 0 0 0 0 0 0 {} 1 0 0 0 0 0 0\n", eth0, eth0 / 2);
		if (with_veth)
			text += "  veth9: 500 1 0 0 0 0 0 0 500 1 0 0 0 0 0 0\n";
		write(dir + "/proc/net/dev", text);
	};
	NetworkCollector c(paths);
	std::vector<NetInterface> out;
	sample(4294967000u, true);
	ASSERT_TRUE(c.collect(std::nullopt, 1000, out).ok());
	ASSERT_EQ(out.size(), 2u);
	EXPECT_EQ(out[0].rx_bytes_total, 4294967000ull);
	EXPECT_EQ(out[0].rx_bytes_per_s, std::nullopt);
	sample(704, false); // wrapped: +1000
	ASSERT_TRUE(c.collect(10.0, 1010, out).ok());
	ASSERT_EQ(out.size(), 1u);
	EXPECT_EQ(out[0].rx_bytes_total, 4294967000ull + 1000);
	EXPECT_DOUBLE_EQ(*out[0].rx_bytes_per_s, 100.0);
	// veth9 is gone but remembered (it may come back) until a month has passed.
	EXPECT_EQ(c.totals().size(), 2u);
	sample(800, false);
	ASSERT_TRUE(c.collect(10.0, 1010 + kTotalsForgetS + 1, out).ok());
	EXPECT_EQ(c.totals().size(), 1u);
	fs::remove_all(dir);
}

TEST(CountersFile, RoundTripAndStrictParse) {
	SavedCounters c;
	c.boot_id = "9d2f4c1a-51b8-4a77-8c1e-2b7f6e3d9a05";
	c.interfaces = {{"eth0", 1, 2, 3, 4, 1764000000, true}, {"wg0", 5, 6, 7, 8, 1764000001, true}};
	std::string text = format_counters(c);
	auto parsed = parse_counters(text);
	ASSERT_TRUE(parsed.ok()) << parsed.error().message;
	EXPECT_EQ(*parsed, c);
	EXPECT_FALSE(parse_counters("").ok());
	EXPECT_FALSE(parse_counters("something else\n").ok());
	EXPECT_FALSE(parse_counters("serversan-counters 1\n").ok()); // no boot_id
	EXPECT_FALSE(parse_counters("serversan-counters 1\nboot_id -\nnet eth0 1 2 3 4\n").ok());
	EXPECT_FALSE(
	    parse_counters("serversan-counters 1\nboot_id -\nnet eth0 1 2 3 4 5\nnet eth0 1 2 3 4 5\n").ok());
	EXPECT_FALSE(parse_counters("serversan-counters 1\nboot_id -\nnet a/b 1 2 3 4 5\n").ok());
	EXPECT_FALSE(parse_counters("serversan-counters 1\nboot_id -\nmystery 1\n").ok());
	auto unknown_boot = parse_counters("serversan-counters 1\nboot_id -\n");
	ASSERT_TRUE(unknown_boot.ok());
	EXPECT_EQ(unknown_boot->boot_id, "");

	std::string dir = scratch_dir("counters");
	EXPECT_TRUE(load_counters(dir + "/missing")->interfaces.empty());
	ASSERT_TRUE(save_counters(dir + "/c", c).ok());
	auto loaded = load_counters(dir + "/c");
	ASSERT_TRUE(loaded.ok());
	EXPECT_EQ(*loaded, c);
	EXPECT_EQ(fs::status(dir + "/c").permissions() & fs::perms::all,
	          fs::perms::owner_read | fs::perms::owner_write);
	fs::remove_all(dir);
}

TEST(SocketsCollector, SnmpAndSockstat) {
	EXPECT_EQ(parse_snmp_curr_estab("Ip: a b\nIp: 1 2\nTcp: RtoAlgorithm CurrEstab InSegs\nTcp: 1 38 100\n"),
	          38u);
	EXPECT_EQ(parse_snmp_curr_estab("Tcp: RtoAlgorithm InSegs\nTcp: 1 100\n"), std::nullopt);
	EXPECT_EQ(parse_snmp_curr_estab("Tcp: RtoAlgorithm CurrEstab\n"), std::nullopt);
	EXPECT_EQ(parse_snmp_curr_estab("Tcp: CurrEstab\nTcp: -1\n"), std::nullopt);
	EXPECT_EQ(parse_snmp_curr_estab(""), std::nullopt);

	SockstatCounts s;
	parse_sockstat("sockets: used 15\nTCP: inuse 3 orphan 1 tw 7 alloc 3 mem 237\nUDP: inuse 2 mem 0\n"
	               "UDPLITE: inuse 9\nTCP6: inuse 4\nUDP6: inuse 5\nUDPLITE6: inuse 9\nRAW6: inuse 9\n",
	               s);
	EXPECT_EQ(s, (SockstatCounts{3, 1, 7, 2, 4, 5}));
	SockstatCounts junk;
	parse_sockstat("TCP: inuse x orphan\nUDP:\n", junk);
	EXPECT_EQ(junk, SockstatCounts{});
}

TEST(FileHandlesCollector, FileNr) {
	EXPECT_EQ(parse_file_nr("613\t0\t2466170\n"), (FileHandles{613, 2466170}));
	EXPECT_EQ(parse_file_nr("613 0\n"), (FileHandles{613, std::nullopt}));
	EXPECT_EQ(parse_file_nr("5 9 100\n").used, std::nullopt); // more free than allocated: nonsense
	EXPECT_EQ(parse_file_nr(""), FileHandles{});
}

TEST(SessionsCollector, UtmpAndLogind) {
	std::string dir = scratch_dir("sessions");
	// No utmp and no logind: an error, not a zero.
	EXPECT_FALSE(collect_sessions(HostPaths::under(dir)).ok());
	// logind only (no utmp written any more).
	write(dir + "/run/systemd/sessions/3", "UID=1000\nUSER=alice\nACTIVE=1\nCLASS=user\n");
	write(dir + "/run/systemd/sessions/4", "UID=0\nCLASS=greeter\n");
	write(dir + "/run/systemd/sessions/5", "UID=0\nUSER=root\nCLASS=user\n");
	write(dir + "/run/systemd/sessions/3.ref", "");
	auto logind = collect_sessions(HostPaths::under(dir));
	ASSERT_TRUE(logind.ok());
	EXPECT_EQ(*logind, 2u);
	// A trailing partial record is ignored; an empty user name is not a session.
	std::string record(384, '\0');
	record[0] = 7;
	std::string named = record;
	std::memcpy(named.data() + 44, "bob", 3);
	EXPECT_EQ(count_utmp_sessions(named + record + named + named.substr(0, 100)), 2u);
	EXPECT_EQ(count_utmp_sessions(""), 0u);
	fs::remove_all(dir);
}

TEST(TemperaturesCollector, MillidegreesAndThermalOnly) {
	EXPECT_EQ(parse_millidegrees("45000\n"), 45.0);
	EXPECT_EQ(parse_millidegrees("-5500"), -5.5);
	EXPECT_EQ(parse_millidegrees("-128000"), std::nullopt);
	EXPECT_EQ(parse_millidegrees("255000"), std::nullopt);
	EXPECT_EQ(parse_millidegrees("hot"), std::nullopt);
	// A host with thermal zones and no hwmon (some ARM boards): the zones, named by type.
	std::string dir = scratch_dir("thermal");
	write(dir + "/sys/class/thermal/thermal_zone0/type", "cpu-thermal\n");
	write(dir + "/sys/class/thermal/thermal_zone0/temp", "51540\n");
	write(dir + "/sys/class/thermal/thermal_zone1/type", "gpu-thermal\n");
	write(dir + "/sys/class/thermal/thermal_zone1/temp", "49000\n");
	write(dir + "/sys/class/thermal/thermal_zone2/type", "gpu-thermal\n");
	write(dir + "/sys/class/thermal/thermal_zone2/temp", "48000\n");
	write(dir + "/sys/class/thermal/cooling_device0/type", "fan\n");
	TemperatureCollector c(HostPaths::under(dir));
	std::vector<Temperature> out;
	c.collect(out);
	EXPECT_EQ(out, (std::vector<Temperature>{
	                   {"cpu-thermal", 51.54}, {"gpu-thermal/zone1", 49}, {"gpu-thermal/zone2", 48}}));
	// Files kept open: a new value is seen without discovering again.
	write(dir + "/sys/class/thermal/thermal_zone0/temp", "60000\n");
	c.collect(out);
	EXPECT_EQ(out[0].celsius, 60.0);
	fs::remove_all(dir);
}

TEST(AddressesCollector, IfInet6AndPrimaryChoice) {
	std::vector<AddressEntry> e;
	parse_if_inet6("fe80000000000000505400fffe123456 02 40 20 80     eth0\n"
	               "20010db8000000000000000000000099 02 40 00 01     eth0\n" // temporary
	               "fd000000000000000000000000000001 02 40 00 80     eth0\n" // ULA, permanent
	               "20010db8000000000000000000000012 02 40 00 80     eth0\n"
	               "20010db8000000000000000000000077 03 40 00 40     eth1\n" // tentative
	               "zz010db8000000000000000000000012 02 40 00 80     eth0\n"
	               "20010db8 02 40 00 80 eth0\n\n",
	               e);
	ASSERT_EQ(e.size(), 5u);
	EXPECT_EQ(primary_address(e, "eth0", AF_INET6), "2001:db8::12");
	EXPECT_EQ(primary_address(e, "eth1", AF_INET6), "");
	EXPECT_EQ(primary_address(e, "eth9", AF_INET6), "");
	e.pop_back();
	e.erase(e.begin() + 3); // without the stable public one, the ULA wins over the temporary one
	EXPECT_EQ(primary_address(e, "eth0", AF_INET6), "fd00::1");
}

TEST(AddressesCollector, Ipv4DumpChunks) {
	NetlinkBuilder nl;
	nl.message(RTM_NEWADDR, 7, ipv4_message("lo", "127.0.0.1", RT_SCOPE_HOST, IFA_F_PERMANENT));
	nl.message(RTM_NEWADDR, 7, ipv4_message("eth0:1", "10.0.0.2", RT_SCOPE_UNIVERSE, IFA_F_SECONDARY));
	nl.message(RTM_NEWADDR, 7, ipv4_message("eth0", "10.0.0.1", RT_SCOPE_UNIVERSE, IFA_F_PERMANENT));
	nl.message(RTM_NEWADDR, 6, ipv4_message("eth1", "10.9.9.9", RT_SCOPE_UNIVERSE, 0)); // another dump
	nl.message(RTM_NEWADDR, 7, ipv4_message("eth1", "169.254.1.2", RT_SCOPE_LINK, 0));
	std::vector<AddressEntry> out;
	bool done = true;
	int error = 0;
	ASSERT_TRUE(parse_ipv4_dump_chunk(nl.span(), 7, out, &done, &error));
	EXPECT_FALSE(done);
	nl.done(7);
	out.clear();
	ASSERT_TRUE(parse_ipv4_dump_chunk(nl.span(), 7, out, &done, &error));
	EXPECT_TRUE(done);
	ASSERT_EQ(out.size(), 4u);
	EXPECT_EQ(out[1].interface, "eth0"); // the alias label's base name
	EXPECT_EQ(primary_address(out, "eth0", AF_INET), "10.0.0.1");
	EXPECT_EQ(primary_address(out, "eth1", AF_INET), "169.254.1.2"); // link scope beats nothing
	EXPECT_EQ(primary_address(out, "lo", AF_INET), "");              // host scope never

	NetlinkBuilder bad;
	bad.error(7, -EPERM);
	EXPECT_FALSE(parse_ipv4_dump_chunk(bad.span(), 7, out, &done, &error));
	EXPECT_EQ(error, EPERM);
	std::string truncated = nl.bytes.substr(0, 30);
	EXPECT_FALSE(
	    parse_ipv4_dump_chunk(std::span(reinterpret_cast<const uint8_t*>(truncated.data()), truncated.size()),
	                          7, out, &done, &error));
}

TEST(TcpStatesCollector, CountsACapturedDump) {
	NetlinkBuilder nl;
	for (uint8_t state : {1, 1, 1, 10, 10, 6, 12, 3, 8, 99})
		nl.message(SOCK_DIAG_BY_FAMILY, 1, diag_message(AF_INET, state));
	nl.message(SOCK_DIAG_BY_FAMILY, 1, "short");
	nl.done(1);
	TcpStateCounts counts;
	bool done = false;
	int error = 0;
	ASSERT_TRUE(counts.add_chunk(nl.span(), 1, &done, &error));
	EXPECT_TRUE(done);
	auto report = counts.to_report();
	ASSERT_EQ(report.size(), 11u);
	EXPECT_EQ(report[0], (TcpStateCount{"established", 3}));
	EXPECT_EQ(report[2], (TcpStateCount{"syn_recv", 2})); // with the request socket (NEW_SYN_RECV)
	EXPECT_EQ(report[5], (TcpStateCount{"time_wait", 1}));
	EXPECT_EQ(report[7], (TcpStateCount{"close_wait", 1}));
	EXPECT_EQ(report[9], (TcpStateCount{"listen", 2}));
	EXPECT_EQ(report[10], (TcpStateCount{"closing", 0}));

	// IPv6 refused with ENOENT (no IPv6 in the kernel) is zero sockets; anything else fails.
	auto dump = [](int v6_error) {
		return [v6_error](uint8_t family, TcpStateCounts& c, int* err) -> Result<void> {
			if (family == AF_INET6 && v6_error) {
				*err = v6_error;
				return Err("refused");
			}
			c.by_state[1] += 1;
			return Ok();
		};
	};
	auto ok = count_tcp_states(dump(ENOENT));
	ASSERT_TRUE(ok.ok());
	EXPECT_EQ(ok->by_state[1], 1u);
	EXPECT_FALSE(count_tcp_states(dump(EPERM)).ok());
	EXPECT_EQ(count_tcp_states(dump(0))->by_state[1], 2u);
}

TEST(ProcessesCollector, PidStatStatusAndPasswd) {
	auto s = parse_pid_stat("4100 (a) b) c) Z 1 4100 4100 0 -1 4194560 10 0 1 0 12 3 0 0 20 0 1 0 4000 0 0 "
	                        "18446744073709551615 1 1 0 0 0 0 0 0 0\n");
	ASSERT_TRUE(s.has_value());
	EXPECT_EQ(s->comm, "a) b) c");
	EXPECT_EQ(s->state, 'Z');
	EXPECT_EQ(s->cpu_ticks, 15u);
	EXPECT_EQ(s->start_ticks, 4000u);
	EXPECT_EQ(s->rss_pages, 0u);
	EXPECT_FALSE(parse_pid_stat("12 (x) S 1 2 3").has_value()); // cut short
	EXPECT_FALSE(parse_pid_stat("no parens here").has_value());
	EXPECT_FALSE(parse_pid_stat("0 (x) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 0 5").has_value());
	EXPECT_FALSE(parse_pid_stat("7 (x) S 1 1 1 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 1 0 -5").has_value());

	EXPECT_EQ(parse_status_euid("Name:\tx\nUid:\t1000\t33\t33\t33\n"), 33u);
	EXPECT_EQ(parse_status_euid("Name:\tx\n"), std::nullopt);

	auto users = parse_passwd(
	    "root:x:0:0::/root:/bin/bash\n# comment\n+nis\nbroken\n"
	    "www-data:x:33:33::/var/www:/usr/sbin/nologin\ntoor:x:0:0::/:/bin/sh\nbad:x:abc:1::/:/\n");
	EXPECT_EQ(users.size(), 2u);
	EXPECT_EQ(users[0], "root"); // the first entry for a uid wins, as getpwuid(3)
	EXPECT_EQ(users[33], "www-data");
}

TEST(ProcessesCollector, PidReuseAndExitedProcesses) {
	std::string dir = scratch_dir("pids");
	auto stat = [&](uint32_t pid, uint64_t utime, uint64_t start) {
		write(fmt::format("{}/proc/{}/stat", dir, pid),
		      fmt::format("{} (p{}) S 1 1 1 0 -1 0 0 0 0 0 {} 0 0 0 20 0 1 0 {} 0 10\n", pid, pid, utime,
		                  start));
	};
	stat(10, 100, 5);
	stat(20, 100, 5);
	ProcessCollector c(HostPaths::under(dir), 100, 4096);
	std::chrono::steady_clock::time_point t{};
	ASSERT_TRUE(c.prime(t).ok());
	stat(20, 150, 900); // pid 20 reused by a new process: all its 150 ticks are new
	stat(30, 50, 950);  // a process started after the baseline
	fs::remove_all(dir + "/proc/10");
	fs::create_directories(dir + "/proc/40"); // listed, but exited before its stat was read
	auto pass = c.pass(t + std::chrono::seconds(10), 10);
	ASSERT_TRUE(pass.ok());
	EXPECT_EQ(pass->counts.total, 2u);
	ASSERT_TRUE(pass->top_cpu);
	ASSERT_EQ(pass->top_cpu->size(), 2u);
	EXPECT_EQ((*pass->top_cpu)[0].pid, 20u);
	EXPECT_DOUBLE_EQ(*(*pass->top_cpu)[0].cpu_percent, 15.0);
	EXPECT_DOUBLE_EQ(*(*pass->top_cpu)[1].cpu_percent, 5.0);
	EXPECT_EQ((*pass->top_cpu)[0].user, ""); // no status file: unknown, not "root"

	ProcessCollector unprimed(HostPaths::under(dir), 100, 4096);
	auto cold = unprimed.pass(t, 10);
	ASSERT_TRUE(cold.ok());
	EXPECT_FALSE(cold->top_cpu.has_value()); // no baseline: no CPU list rather than a guess
	EXPECT_EQ(cold->top_memory.size(), 2u);
	EXPECT_FALSE(ProcessCollector(HostPaths::under(dir + "/nowhere"), 100, 4096).pass(t, 10).ok());
	fs::remove_all(dir);
}

TEST(VirtualizationCollector, Markers) {
	EXPECT_EQ(vm_from_cpuid("KVMKVMKVM"), "kvm");
	EXPECT_EQ(vm_from_cpuid("VMwareVMware"), "vmware");
	EXPECT_EQ(vm_from_cpuid("Microsoft Hv"), "microsoft");
	EXPECT_EQ(vm_from_cpuid(""), "");
	EXPECT_EQ(vm_from_dmi("VMware, Inc."), "vmware");
	EXPECT_EQ(vm_from_dmi("innotek GmbH"), "oracle");
	EXPECT_EQ(vm_from_dmi("Amazon EC2"), "amazon");
	EXPECT_EQ(vm_from_dmi("Google Compute Engine"), "google");
	EXPECT_EQ(vm_from_dmi("Dell Inc."), "");
	EXPECT_EQ(container_from_cgroup("12:pids:/docker/0123abcd\n0::/\n"), "docker");
	EXPECT_EQ(container_from_cgroup("0::/system.slice/docker-0123.scope\n"), "docker");
	EXPECT_EQ(container_from_cgroup("1:name=systemd:/lxc/101\n"), "lxc");
	EXPECT_EQ(container_from_cgroup("0::/lxc.payload.web\n"), "lxc");
	EXPECT_EQ(container_from_cgroup("0::/machine.slice/libpod-1.scope\n"), "podman");
	EXPECT_EQ(container_from_cgroup("0::/kubepods/burstable/pod1/2\n"), "container-other");
	EXPECT_EQ(container_from_cgroup("0::/init.scope\n"), "");
	EXPECT_EQ(container_from_marker("systemd-nspawn\n"), "systemd-nspawn");
	EXPECT_EQ(container_from_marker("  "), "");

	// Small trees: each marker alone.
	std::string dir = scratch_dir("virt");
	HostPaths paths = HostPaths::under(dir);
	EXPECT_EQ(detect_virtualization(paths, ""), ""); // nothing says anything
	write(dir + "/proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu vme sse2\n");
	EXPECT_EQ(detect_virtualization(paths, ""), "none");
	EXPECT_EQ(detect_virtualization(paths, "KVMKVMKVM"), "kvm");
	write(dir + "/proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu hypervisor sse2\n");
	EXPECT_EQ(detect_virtualization(paths, ""), "other");
	write(dir + "/sys/class/dmi/id/product_name", "VMware Virtual Platform\n");
	EXPECT_EQ(detect_virtualization(paths, ""), "vmware");
	write(dir + "/proc/1/cgroup", "11:devices:/docker/abc\n");
	EXPECT_EQ(detect_virtualization(paths, "KVMKVMKVM"), "docker"); // the container wins
	write(dir + "/.dockerenv", "");
	write(dir + "/run/.containerenv", "");
	EXPECT_EQ(detect_virtualization(paths, ""), "podman");
	write(dir + "/proc/1/environ", std::string("PATH=/bin\0container=systemd-nspawn\0", 35));
	EXPECT_EQ(detect_virtualization(paths, ""), "systemd-nspawn");
	write(dir + "/proc/sys/kernel/osrelease", "5.15.90.1-microsoft-standard-WSL2\n");
	EXPECT_EQ(detect_virtualization(paths, ""), "wsl");
	write(dir + "/proc/vz/veinfo", "");
	EXPECT_EQ(detect_virtualization(paths, ""), "openvz");
	fs::remove_all(dir);
}

TEST(HostCollector, PhysicalCoresAndMhzFromSysfs) {
	// arm64: no topology and no MHz in cpuinfo.
	std::string dir = scratch_dir("arm64");
	write(dir + "/proc/cpuinfo", "processor\t: 0\nBogoMIPS\t: 50.00\n\nprocessor\t: 1\n\nprocessor\t: 2\n\n"
	                             "processor\t: 3\n\n");
	write(dir + "/sys/devices/system/cpu/online", "0-3\n");
	for (int n = 0; n < 4; ++n) {
		write(fmt::format("{}/sys/devices/system/cpu/cpu{}/topology/physical_package_id", dir, n), "0\n");
		write(fmt::format("{}/sys/devices/system/cpu/cpu{}/topology/core_id", dir, n),
		      fmt::format("{}\n", n));
	}
	write(dir + "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", "1800000\n");
	HostSample s = collect_host(HostPaths::under(dir), UnameInfo{"pi", "6.1.0-rpi7-rpi-v8", "aarch64"});
	EXPECT_EQ(s.facts.cpu_logical, 4u);
	EXPECT_EQ(s.facts.cpu_physical, 4u);
	EXPECT_EQ(s.facts.cpu_mhz, 1800.0);
	EXPECT_EQ(s.facts.virtualization, ""); // no x86 flags: unknown, not "none"
	fs::remove(dir + "/sys/devices/system/cpu/cpu3/topology/core_id");
	EXPECT_EQ(count_physical_cores_sysfs(dir + "/sys"), std::nullopt);
	EXPECT_EQ(parse_redhat_release("Red Hat Enterprise Linux Server release 6.10 (Santiago)\n").name,
	          "Red Hat Enterprise Linux Server");
	EXPECT_EQ(parse_redhat_release("garbage").name, "");
	fs::remove_all(dir);
}

TEST(FilesystemsCollector, Mountinfo) {
	auto m = parse_mountinfo("36 35 98:0 /mnt1 /mnt/parent\\040x rw,noatime master:1 - ext3 /dev/root rw\n"
	                         "37 35 0:5 / /dev rw - devtmpfs udev rw\n"
	                         "38 35 8:1 / /short rw\n"
	                         "39 35 x / /nodev rw - ext4 /dev/sdz rw\n");
	ASSERT_EQ(m.size(), 3u);
	EXPECT_EQ(m[0].mount, "/mnt/parent x");
	EXPECT_EQ(m[0].root, "/mnt1");
	EXPECT_EQ(m[0].type, "ext3");
	EXPECT_EQ(m[0].device, "/dev/root");
	EXPECT_EQ(m[0].device_id, (uint64_t{98} << 32) | 0);
	EXPECT_EQ(m[2].device_id, std::nullopt);
}

TEST(FilesystemsCollector, TableReReadOnlyWhenChanged) {
	// A fixture file is not pollable, so it is read every round; the real mountinfo is read once
	// and then only after a mount or unmount (POLLPRI).
	ProcFile real("/proc/self/mountinfo");
	EXPECT_TRUE(real.changed()); // not opened yet
	ASSERT_TRUE(real.read().ok());
	EXPECT_FALSE(real.changed());
	ProcFile missing("/proc/does/not/exist");
	EXPECT_FALSE(missing.read().ok());
	EXPECT_NE(missing.read().error().message.find("/proc/does/not/exist"), std::string::npos);
}

TEST(ProcFileTest, RereadsInPlaceAndGrows) {
	std::string dir = scratch_dir("procfile");
	write(dir + "/f", "one\n");
	ProcFile f(dir + "/f");
	EXPECT_EQ(*f.read(), "one\n");
	write(dir + "/f", std::string(10000, 'x')); // same inode, bigger than the first buffer
	EXPECT_EQ(f.read()->size(), 10000u);
	EXPECT_EQ(f.read(100)->size(), 100u); // at most max_bytes
	PidDirectory pids(dir + "/nope");
	std::vector<uint32_t> list;
	EXPECT_FALSE(pids.list(list).ok());
	fs::remove_all(dir);
}
