// Every collector against every fixture tree (test/fixtures/proc, README.md there): a bare-metal
// server, a KVM guest, an LXC container and a CentOS 6 (kernel 2.6.32) host. Each test copies
// the tree, primes a ReportCollector on it, replaces each file X by X.after (a sample 10 s
// later) and checks the whole report: rates, shares, totals, slow sections and the host facts.
// The numbers are worked out in test/fixtures/proc/make_fixtures.py, which wrote the trees.
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sys/socket.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "serversan/agent/collectors/addresses.h"
#include "serversan/agent/collectors/text.h"
#include "serversan/agent/report_collector.h"

using namespace serversan;
using namespace serversan::agent;
namespace fs = std::filesystem;

namespace {

const std::string kFixtures = std::string(SERVERSAN_FIXTURES) + "/proc";
constexpr uint64_t KiB = 1024;

// A writable copy of a fixture tree. advance() turns it into the sample 10 s later, writing in
// place (same inodes), as the kernel does for the files the collectors keep open.
class ScratchTree {
public:
	explicit ScratchTree(const std::string& name) {
		static int n = 0;
		dir_ = fs::path(::testing::TempDir()) / fmt::format("ss-tree-{}-{}-{}", name, ::getpid(), n++);
		fs::remove_all(dir_);
		fs::copy(kFixtures + "/" + name, dir_, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
	}
	~ScratchTree() {
		std::error_code ec;
		fs::remove_all(dir_, ec);
	}
	void advance() {
		std::vector<fs::path> afters;
		for (const auto& e : fs::recursive_directory_iterator(dir_)) {
			if (e.is_regular_file() && e.path().extension() == ".after")
				afters.push_back(e.path());
		}
		for (const fs::path& after : afters) {
			auto text = read_text_file(after.string());
			ASSERT_TRUE(text.ok());
			fs::path target = after;
			target.replace_extension();
			std::ofstream out(target, std::ios::binary | std::ios::trunc);
			out << *text;
		}
	}
	std::string root() const { return dir_.string(); }
	HostPaths paths() const { return HostPaths::under(root()); }

private:
	fs::path dir_;
};

// The bytes of a captured dump in the tree's netlink/ directory.
std::string dump_file(const std::string& root, const std::string& name) {
	auto bytes = read_text_file(root + "/netlink/" + name);
	return bytes ? *bytes : std::string();
}

std::span<const uint8_t> as_bytes(const std::string& s) {
	return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

struct TreeRun {
	std::chrono::steady_clock::time_point now{};
	std::vector<std::string> statfs_asked;
	int sleeps = 0;
	std::set<std::string> unstatable;
};

ReportCollector::Sources tree_sources(const std::string& root, TreeRun* run) {
	ReportCollector::Sources s;
	s.uname = [] { return UnameInfo{"host-1", "6.1.0-21-amd64", "x86_64"}; };
	s.statfs = [root, run](const std::string& path) -> std::optional<FsStat> {
		std::string mount = path.substr(root.size());
		run->statfs_asked.push_back(mount);
		if (run->unstatable.count(mount))
			return std::nullopt;
		return FsStat{0, 4096, 1000, 400, 350, 5000, 4000};
	};
	s.monotonic = [run] { return run->now; };
	s.cpuid_vendor = [] { return std::string(); };
	s.ipv4 = [root](std::vector<AddressEntry>& out) -> Result<void> {
		out.clear();
		std::string bytes = dump_file(root, "ipv4.bin");
		bool done = false;
		int error = 0;
		if (!parse_ipv4_dump_chunk(as_bytes(bytes), 1, out, &done, &error) || !done)
			return Err("bad ipv4 dump");
		return Ok();
	};
	s.tcp_states = [root] {
		return count_tcp_states([root](uint8_t family, TcpStateCounts& counts, int* error) -> Result<void> {
			std::string bytes = dump_file(root, family == AF_INET ? "tcp_inet.bin" : "tcp_inet6.bin");
			bool done = false;
			if (!counts.add_chunk(as_bytes(bytes), family == AF_INET ? 1 : 2, &done, error) || !done)
				return Err(fmt::format("dump failed: {}", *error));
			return Ok();
		});
	};
	s.sleep = [run](double) { ++run->sleeps; };
	s.ticks_per_s = 100;
	s.page_size = 4096;
	return s;
}

// Runs prime(), advance(), collect() 10 s later on a copy of `name`.
Report run_tree(const std::string& name, TreeRun& run, ReportCollector::Options options = {}) {
	ScratchTree tree(name);
	ManualClock clock;
	if (options.counters_path.empty())
		options.counters_path = tree.root() + "/agent.state.counters";
	ReportCollector collector(tree.paths(), clock, options, tree_sources(tree.root(), &run));
	collector.prime();
	tree.advance();
	run.now += std::chrono::seconds(10);
	Report r = collector.collect();
	EXPECT_TRUE(collector.save().ok());
	return r;
}

const NetInterface* interface(const Report& r, std::string_view name) {
	for (const NetInterface& ni : r.interfaces) {
		if (ni.name == name)
			return &ni;
	}
	return nullptr;
}

std::vector<std::string> names(const std::vector<DiskIo>& disks) {
	std::vector<std::string> out;
	for (const DiskIo& d : disks)
		out.push_back(d.device);
	return out;
}

std::vector<std::string> mounts(const std::vector<Filesystem>& list) {
	std::vector<std::string> out;
	for (const Filesystem& f : list)
		out.push_back(f.mount);
	return out;
}

std::map<std::string, uint64_t> states(const Report& r) {
	std::map<std::string, uint64_t> out;
	if (r.tcp_states) {
		for (const TcpStateCount& s : *r.tcp_states)
			out[s.state] = s.count;
	}
	return out;
}

void expect_disk(const DiskIo& d, double rbytes, double wbytes, double reads, double writes, double busy) {
	SCOPED_TRACE(d.device);
	ASSERT_TRUE(d.read_bytes_per_s && d.write_bytes_per_s && d.reads_per_s && d.writes_per_s &&
	            d.busy_percent);
	EXPECT_DOUBLE_EQ(*d.read_bytes_per_s, rbytes);
	EXPECT_DOUBLE_EQ(*d.write_bytes_per_s, wbytes);
	EXPECT_DOUBLE_EQ(*d.reads_per_s, reads);
	EXPECT_DOUBLE_EQ(*d.writes_per_s, writes);
	EXPECT_DOUBLE_EQ(*d.busy_percent, busy);
}

void expect_process(const ProcessEntry& p, uint32_t pid, std::string_view name, std::string_view user,
                    std::optional<double> cpu, uint64_t rss_pages) {
	SCOPED_TRACE(pid);
	EXPECT_EQ(p.pid, pid);
	EXPECT_EQ(p.name, name);
	EXPECT_EQ(p.user, user);
	ASSERT_EQ(p.cpu_percent.has_value(), cpu.has_value());
	if (cpu) {
		EXPECT_NEAR(*p.cpu_percent, *cpu, 1e-9);
	}
	EXPECT_EQ(p.rss, rss_pages * 4096);
}

} // namespace

TEST(FixtureTrees, BareMetalEpyc) {
	TreeRun run;
	Report r = run_tree("metal-epyc", run);
	EXPECT_EQ(run.sleeps, 0); // prime() took the processes' baseline

	ASSERT_EQ(r.interval_s, 10.0);
	EXPECT_EQ(r.uptime_s, 3456789u);
	// 16 even cores: user 300 system 100 idle 560 iowait 20 softirq 20 (of 1000 ticks); 16 odd:
	// user 100 system 50 idle 840 iowait 5 softirq 5.
	EXPECT_DOUBLE_EQ(*r.cpu.total.user, 20.0);
	EXPECT_DOUBLE_EQ(*r.cpu.total.system, 7.5);
	EXPECT_DOUBLE_EQ(*r.cpu.total.idle, 70.0);
	EXPECT_DOUBLE_EQ(*r.cpu.total.iowait, 1.25);
	EXPECT_DOUBLE_EQ(*r.cpu.total.softirq, 1.25);
	EXPECT_DOUBLE_EQ(*r.cpu.total.steal, 0.0);
	ASSERT_EQ(r.cpu.cores.size(), 32u);
	EXPECT_DOUBLE_EQ(*r.cpu.cores[0].user, 30.0);
	EXPECT_DOUBLE_EQ(*r.cpu.cores[1].idle, 84.0);
	EXPECT_DOUBLE_EQ(*r.cpu.cores[31].iowait, 0.5);
	EXPECT_DOUBLE_EQ(*r.cpu.context_switches_per_s, 18765.0);
	EXPECT_DOUBLE_EQ(*r.cpu.interrupts_per_s, 42113.0);
	EXPECT_EQ(r.load, (Load{3.41, 2.87, 2.55}));

	EXPECT_EQ(r.memory.total, 131758392 * KiB);
	EXPECT_EQ(r.memory.available, 98765432 * KiB);
	EXPECT_EQ(r.memory.used, (131758392 - 98765432) * KiB);
	EXPECT_EQ(r.memory.cached, (81234560 + 6543216) * KiB);
	EXPECT_EQ(r.memory.swap_used, (8388604 - 8126460) * KiB);

	// Slow sections (first report: the cadence is due at once). Processes: 12 pid directories,
	// one zombie; threads come from loadavg every round.
	EXPECT_EQ(r.processes, (ProcessCounts{12, 5, 0, 1, 1432}));
	ASSERT_TRUE(r.top_cpu && r.top_memory);
	ASSERT_EQ(r.top_cpu->size(), 10u);
	expect_process((*r.top_cpu)[0], 3050, "java", "app", 100.0, 4194304);
	expect_process((*r.top_cpu)[1], 1403, "postgres", "postgres", 60.0, 262144);
	expect_process((*r.top_cpu)[2], 2211, "nginx", "www-data", 15.0, 12345);
	expect_process((*r.top_cpu)[3], 5120, "python3", "1500", 11.0, 34567); // uid not in passwd
	expect_process((*r.top_cpu)[4], 612, "systemd-journal", "root", 0.7, 45678);
	expect_process((*r.top_cpu)[5], 1402, "postgres", "postgres", 0.3, 1048576);
	expect_process((*r.top_cpu)[6], 1, "systemd", "root", 0.1, 3456);
	// Idle ones by resident memory: nginx master, sshd, then tmux (a ')' in its name).
	expect_process((*r.top_cpu)[7], 2210, "nginx", "root", 0.0, 4567);
	expect_process((*r.top_cpu)[8], 1021, "sshd", "root", 0.0, 2345);
	expect_process((*r.top_cpu)[9], 7777, "tmux: server)", "alice", 0.0, 1234);
	ASSERT_EQ(r.top_memory->size(), 10u);
	std::vector<uint32_t> by_rss;
	for (const ProcessEntry& p : *r.top_memory)
		by_rss.push_back(p.pid);
	EXPECT_EQ(by_rss, (std::vector<uint32_t>{3050, 1402, 1403, 612, 5120, 2211, 2210, 1, 1021, 7777}));
	EXPECT_EQ(states(r), (std::map<std::string, uint64_t>{{"established", 205},
	                                                      {"syn_sent", 0},
	                                                      {"syn_recv", 3}, // one IPv6 request socket
	                                                      {"fin_wait1", 1},
	                                                      {"fin_wait2", 6},
	                                                      {"time_wait", 118},
	                                                      {"close", 0},
	                                                      {"close_wait", 9},
	                                                      {"last_ack", 1},
	                                                      {"listen", 23},
	                                                      {"closing", 0}}));

	// Disks: whole devices with I/O (partitions per /sys/class/block, loop0, the idle sr0 and
	// nbd0 left out); md has no io_ticks, so its busy share is 0.
	ASSERT_EQ(names(r.disks),
	          (std::vector<std::string>{"nvme0n1", "nvme1n1", "sda", "sdb", "md0", "md1", "dm-0"}));
	expect_disk(r.disks[0], 4915200, 10485760, 120, 340, 15);
	expect_disk(r.disks[1], 4710400, 10485760, 115, 340, 14.5);
	expect_disk(r.disks[2], 131072, 1015808, 2, 31, 23);
	expect_disk(r.disks[3], 131072, 1015808, 1.8, 31, 22);
	expect_disk(r.disks[4], 9625600, 10485760, 235, 340, 0);
	expect_disk(r.disks[5], 262144, 1015808, 3.8, 31, 0);
	expect_disk(r.disks[6], 262144, 1015808, 3.8, 31, 25);

	ASSERT_EQ(r.interfaces.size(), 8u); // lo left out
	EXPECT_EQ(interface(r, "lo"), nullptr);
	const NetInterface* eno1 = interface(r, "eno1");
	ASSERT_NE(eno1, nullptr);
	EXPECT_DOUBLE_EQ(*eno1->rx_bytes_per_s, 125000);
	EXPECT_DOUBLE_EQ(*eno1->tx_bytes_per_s, 250000);
	EXPECT_DOUBLE_EQ(*eno1->rx_packets_per_s, 900);
	EXPECT_DOUBLE_EQ(*eno1->tx_packets_per_s, 700);
	EXPECT_EQ(eno1->rx_drops, 3u);
	EXPECT_EQ(eno1->rx_errors, 0u);
	EXPECT_EQ(eno1->rx_bytes_total, 4123456789ull + 1250000);
	EXPECT_EQ(eno1->tx_bytes_total, 8234567890u + 2500000);
	EXPECT_EQ(eno1->ipv4, "192.0.2.10");
	EXPECT_EQ(eno1->ipv6, ""); // link-local only
	const NetInterface* eno2 = interface(r, "eno2");
	ASSERT_NE(eno2, nullptr);
	EXPECT_EQ(eno2->rx_bytes_per_s, 0.0); // measured: an idle port
	EXPECT_EQ(eno2->rx_bytes_total, 0u);
	const NetInterface* f0 = interface(r, "enp65s0f0");
	ASSERT_NE(f0, nullptr);
	EXPECT_DOUBLE_EQ(*f0->rx_bytes_per_s, 9876543);
	EXPECT_DOUBLE_EQ(*f0->tx_bytes_per_s, 45000000);
	EXPECT_EQ(f0->rx_errors, 2u);
	EXPECT_EQ(f0->rx_drops, 17u);
	EXPECT_EQ(f0->rx_bytes_total, 9812345678901u + 98765430);
	EXPECT_EQ(f0->tx_bytes_total, 48123456789012u + 450000000);
	const NetInterface* bond = interface(r, "bond0");
	ASSERT_NE(bond, nullptr);
	EXPECT_DOUBLE_EQ(*bond->rx_bytes_per_s, 14876543);
	EXPECT_EQ(bond->ipv4, "203.0.113.21");        // not the secondary .22
	EXPECT_EQ(bond->ipv6, "2001:db8:4a1:10::21"); // not the deprecated ::99 listed first
	EXPECT_EQ(interface(r, "docker0")->ipv4, "172.17.0.1");
	EXPECT_EQ(interface(r, "docker0")->ipv6, "");
	EXPECT_EQ(interface(r, "wg0")->ipv4, "10.66.0.1");
	EXPECT_EQ(interface(r, "wg0")->ipv6, "fd42::1"); // unique-local, the only global one
	EXPECT_EQ(interface(r, "wg0")->tx_errors, 1u);

	EXPECT_EQ(r.sockets, (Sockets{214, 298, 118, 3, 12, 6, 14752, 9223372036854775807u}));
	EXPECT_EQ(r.sessions, 2u);

	std::vector<Temperature> temps = {
	    {"k10temp/Tctl", 48.25},         {"k10temp/Tccd1", 45.5},        {"k10temp/Tccd2", 44.75},
	    {"nvme-nvme0/Composite", 38.85}, {"nvme-nvme0/Sensor 1", 38.85}, {"nvme-nvme0/Sensor 2", 43.85},
	    {"nvme-nvme1/Composite", 41.85}, {"nvme-nvme1/Sensor 1", 41.85}, {"drivetemp-0:0:0:0/temp1", 33},
	    {"drivetemp-1:0:0:0/temp1", 34}, {"acpitz/temp1", 16.8}, // and not again as thermal_zone0
	    {"nct6779/SYSTIN", 36}, // CPUTIN reads -128 C and AUXTIN3 cannot be read: left out
	};
	EXPECT_EQ(r.temperatures, temps);

	// Bind mounts once (the xfs volume under /srv, its own root, not /var/www); no overlay,
	// nsfs, tmpfs, autofs or squashfs; the NFS share is a real filesystem.
	EXPECT_EQ(mounts(r.filesystems), (std::vector<std::string>{"/", "/boot/efi", "/srv", "/mnt/backup"}));
	EXPECT_EQ(std::count(run.statfs_asked.begin(), run.statfs_asked.end(), "/var/www"), 0);
	EXPECT_EQ(r.filesystems[0].device, "/dev/md0");
	EXPECT_EQ(r.filesystems[2].type, "xfs");

	ASSERT_TRUE(r.host);
	EXPECT_EQ(r.host->os_name, "Debian GNU/Linux");
	EXPECT_EQ(r.host->cpu_model, "AMD EPYC 7302P 16-Core Processor");
	EXPECT_EQ(r.host->cpu_logical, 32u);
	EXPECT_EQ(r.host->cpu_physical, 16u);
	EXPECT_EQ(r.host->cpu_mhz, 2994.375);
	EXPECT_EQ(r.host->virtualization, "none");
	EXPECT_EQ(r.host->boot_time, 1760000000);
}

TEST(FixtureTrees, DebianKvmGuest) {
	TreeRun run;
	run.unstatable = {"/mnt/gone"};
	Report r = run_tree("vm-debian12", run);
	ASSERT_EQ(r.interval_s, 10.0);
	EXPECT_DOUBLE_EQ(*r.cpu.total.user, 15.0); // as CpuCollector.SharesBetweenTwoSamples
	EXPECT_DOUBLE_EQ(*r.cpu.interrupts_per_s, 1200.0);
	EXPECT_EQ(r.processes, (ProcessCounts{2, 3, 0, 0, 187}));
	EXPECT_EQ(r.memory.used, (4025628 - 3101228) * KiB);

	ASSERT_EQ(names(r.disks), (std::vector<std::string>{"vda", "vdb"})); // partitions by name, no /sys
	expect_disk(r.disks[0], 4915.2, 314572.8, 1.2, 38.5, 2.1);
	expect_disk(r.disks[1], 2457.6, 104857.6, 0.3, 4, 0.35);

	ASSERT_EQ(r.interfaces.size(), 1u);
	const NetInterface& ens3 = r.interfaces[0];
	EXPECT_EQ(ens3.name, "ens3");
	EXPECT_DOUBLE_EQ(*ens3.rx_bytes_per_s, 48211.9);
	EXPECT_DOUBLE_EQ(*ens3.tx_bytes_per_s, 129874.2);
	EXPECT_DOUBLE_EQ(*ens3.rx_packets_per_s, 401.7);
	EXPECT_DOUBLE_EQ(*ens3.tx_packets_per_s, 356.2);
	EXPECT_EQ(ens3.rx_drops, 1u);
	EXPECT_EQ(ens3.rx_bytes_total, 91348221952u + 482119);
	EXPECT_EQ(ens3.tx_bytes_total, 310244871168u + 1298742);
	EXPECT_EQ(ens3.ipv4, "198.51.100.12");
	EXPECT_EQ(ens3.ipv6, "2001:db8:1:2::12");

	EXPECT_EQ(r.sockets, (Sockets{3, 9, 2, 0, 2, 1, 1184, 9223372036854775807u}));
	EXPECT_EQ(r.sessions, 1u);
	EXPECT_TRUE(r.temperatures.empty());
	EXPECT_EQ(mounts(r.filesystems), (std::vector<std::string>{"/", "/boot/efi", "/var/lib/docker"}));

	ASSERT_TRUE(r.top_cpu);
	ASSERT_EQ(r.top_cpu->size(), 2u);
	expect_process((*r.top_cpu)[0], 4242, "sshd", "debian", 1.5, 1536);
	expect_process((*r.top_cpu)[1], 1, "systemd", "root", 0.1, 3072);
	EXPECT_EQ(states(r)["established"], 3u);
	EXPECT_EQ(states(r)["listen"], 6u);
	EXPECT_EQ(states(r)["time_wait"], 2u);

	ASSERT_TRUE(r.host);
	EXPECT_EQ(r.host->virtualization, "kvm"); // DMI says QEMU, the kvm-clock says KVM
	EXPECT_EQ(r.host->cpu_logical, 2u);
}

TEST(FixtureTrees, LxcContainer) {
	TreeRun run;
	Report r = run_tree("lxc-debian11", run);
	ASSERT_EQ(r.interval_s, 10.0);
	EXPECT_DOUBLE_EQ(*r.cpu.total.user, 12.0);
	EXPECT_DOUBLE_EQ(*r.cpu.total.system, 4.0);
	EXPECT_DOUBLE_EQ(*r.cpu.total.idle, 83.8);
	EXPECT_DOUBLE_EQ(*r.cpu.total.iowait, 0.2);
	EXPECT_DOUBLE_EQ(*r.cpu.context_switches_per_s, 450.0);
	ASSERT_EQ(r.cpu.cores.size(), 2u);
	EXPECT_EQ(r.memory.total, 2097152 * KiB);
	EXPECT_EQ(r.memory.used, (2097152 - 1795916) * KiB);
	EXPECT_EQ(r.memory.buffers, 0u); // lxcfs says 0: a measured zero, kept
	EXPECT_EQ(r.memory.swap_used, 4096 * KiB);
	EXPECT_EQ(r.processes, (ProcessCounts{6, 1, 0, 0, 64}));

	EXPECT_TRUE(r.disks.empty()); // lxcfs lists devices the container never used
	ASSERT_EQ(r.interfaces.size(), 1u);
	EXPECT_EQ(r.interfaces[0].name, "eth0");
	EXPECT_DOUBLE_EQ(*r.interfaces[0].rx_bytes_per_s, 2345.6);
	EXPECT_DOUBLE_EQ(*r.interfaces[0].tx_bytes_per_s, 8123.4);
	EXPECT_EQ(r.interfaces[0].ipv4, "10.10.20.101");
	EXPECT_EQ(r.interfaces[0].ipv6, ""); // IPv6 disabled: no if_inet6

	// No sockstat6: TCP in use is IPv4 alone and UDP6 is not made up.
	EXPECT_EQ(r.sockets, (Sockets{1, 4, 0, 0, 1, std::nullopt, 23456, 9223372036854775807u}));
	EXPECT_EQ(r.sessions, 0u); // utmp is there, with nobody logged in
	EXPECT_TRUE(r.temperatures.empty());
	EXPECT_EQ(mounts(r.filesystems), (std::vector<std::string>{"/", "/srv"}));
	ASSERT_TRUE(r.top_cpu);
	expect_process((*r.top_cpu)[0], 301, "nginx", "www-data", 2.6, 3300);
	EXPECT_EQ(states(r)["established"], 1u);
	EXPECT_EQ(states(r)["listen"], 3u); // the IPv6 dump is refused (no IPv6): zero, not an error

	ASSERT_TRUE(r.host);
	EXPECT_EQ(r.host->virtualization, "lxc");
	EXPECT_EQ(r.host->os_version, "11");
	EXPECT_EQ(r.host->cpu_logical, 2u);
	EXPECT_EQ(r.host->cpu_physical, 2u);
	EXPECT_EQ(r.host->boot_time, 1762000000);
}

TEST(FixtureTrees, CentOs6OldKernel) {
	TreeRun run;
	Report r = run_tree("centos6-r610", run);
	ASSERT_EQ(r.interval_s, 10.0);
	ASSERT_EQ(r.cpu.cores.size(), 24u);
	EXPECT_DOUBLE_EQ(*r.cpu.total.user, 5.0);
	EXPECT_DOUBLE_EQ(*r.cpu.total.idle, 92.5);
	EXPECT_DOUBLE_EQ(*r.cpu.total.steal, 0.0); // 2.6.32 has steal (9 fields)
	EXPECT_DOUBLE_EQ(*r.cpu.context_switches_per_s, 5600.0);
	// No MemAvailable: used = total - free - buffers - (cached + SReclaimable).
	EXPECT_EQ(r.memory.available, std::nullopt);
	EXPECT_EQ(r.memory.used, (49416756 - 12345678 - 456789 - 23456789 - 1034567) * KiB);
	EXPECT_EQ(r.memory.swap_used, 0u);

	// 11-field diskstats; ram*, loop*, the idle sr0 and the partitions (by name) left out.
	ASSERT_EQ(names(r.disks), (std::vector<std::string>{"sda", "dm-0", "dm-1"}));
	expect_disk(r.disks[0], 2048, 98304, 0.5, 12, 3.1);
	expect_disk(r.disks[1], 2048, 98304, 0.5, 12, 3.2);
	expect_disk(r.disks[2], 0, 0, 0, 0, 0);

	// "eth0:3849284723" (no space after the colon) and a 32-bit tx counter that wrapped.
	const NetInterface* eth0 = interface(r, "eth0");
	ASSERT_NE(eth0, nullptr);
	EXPECT_DOUBLE_EQ(*eth0->rx_bytes_per_s, 45678.9);
	EXPECT_DOUBLE_EQ(*eth0->tx_bytes_per_s, 150000000.0);
	EXPECT_EQ(eth0->tx_bytes_total, 2876543210ull + 1500000000ull); // past 2^32: wrap-corrected
	EXPECT_EQ(eth0->rx_bytes_total, 3849284723ull + 456789);
	EXPECT_EQ(eth0->ipv4, "192.0.2.61");
	EXPECT_NE(interface(r, "eth1"), nullptr);

	EXPECT_EQ(r.sockets, (Sockets{11, 21, 4, 0, 5, 2, 1530, 4875436}));
	EXPECT_EQ(r.sessions, 1u); // from /var/run/utmp
	std::vector<Temperature> temps = {{"coretemp-coretemp.0/Core 0", 41},
	                                  {"coretemp-coretemp.0/Core 1", 39},
	                                  {"coretemp-coretemp.1/Core 0", 43},
	                                  {"coretemp-coretemp.1/Core 1", 44}};
	EXPECT_EQ(r.temperatures, temps);
	EXPECT_EQ(mounts(r.filesystems), (std::vector<std::string>{"/", "/boot"})); // not usbfs

	ASSERT_TRUE(r.top_cpu);
	expect_process((*r.top_cpu)[0], 1888, "mysqld", "mysql", 13.0, 524288);
	expect_process((*r.top_cpu)[1], 2013, "httpd", "apache", 1.5, 8192);
	EXPECT_EQ(states(r)["listen"], 12u);

	ASSERT_TRUE(r.host);
	EXPECT_EQ(r.host->os_name, "CentOS"); // from /etc/redhat-release
	EXPECT_EQ(r.host->os_version, "6.10");
	EXPECT_EQ(r.host->cpu_logical, 24u);
	EXPECT_EQ(r.host->cpu_physical, 12u); // 2 sockets x 6 cores
	EXPECT_EQ(r.host->virtualization, "none");
}

TEST(FixtureTrees, SparseOldContainerLeavesValuesOutWithoutCrashing) {
	TreeRun run;
	Report r = run_tree("old-container", run);
	EXPECT_EQ(r.load, Load{}); // malformed loadavg
	EXPECT_EQ(r.uptime_s, std::nullopt);
	EXPECT_EQ(r.memory.available, std::nullopt);
	EXPECT_TRUE(r.disks.empty());
	EXPECT_TRUE(r.interfaces.empty());
	EXPECT_EQ(r.sockets, Sockets{});
	EXPECT_EQ(r.sessions, std::nullopt);
	EXPECT_TRUE(r.filesystems.empty());
	EXPECT_TRUE(r.temperatures.empty());
	EXPECT_EQ(r.processes.total, 0u); // no pid directories at all: measured
	ASSERT_TRUE(r.host);
	EXPECT_EQ(r.host->virtualization, "");
	EXPECT_EQ(r.host->cpu_logical, std::nullopt);
}

// Counters survive a restart: a second collector on the same tree (same boot id) continues the
// totals from the saved raw counters; after a reboot (another boot id) the whole kernel counter
// is added to the saved total.
TEST(FixtureTrees, NetworkTotalsSurviveRestartsAndReboots) {
	ScratchTree tree("vm-debian12");
	ManualClock clock;
	TreeRun run;
	ReportCollector::Options options;
	options.counters_path = tree.root() + "/agent.state.counters";
	options.slow_interval_s = 0;
	{
		ReportCollector first(tree.paths(), clock, options, tree_sources(tree.root(), &run));
		first.prime();
		ASSERT_TRUE(first.save().ok());
	}
	auto saved = read_text_file(options.counters_path);
	ASSERT_TRUE(saved.ok());
	EXPECT_NE(saved->find("boot_id 9d2f4c1a-51b8-4a77-8c1e-2b7f6e3d9a05\n"), std::string::npos);
	EXPECT_NE(saved->find("net ens3 91348221952 310244871168 91348221952 310244871168 "), std::string::npos)
	    << *saved;

	tree.advance();
	{
		ReportCollector second(tree.paths(), clock, options, tree_sources(tree.root(), &run));
		Report r = second.collect();
		ASSERT_EQ(r.interfaces.size(), 1u);
		EXPECT_EQ(r.interfaces[0].rx_bytes_total, 91348221952u + 482119);
		EXPECT_EQ(r.interfaces[0].rx_bytes_per_s, std::nullopt); // no previous sample in this process
		ASSERT_TRUE(second.save().ok());
	}

	// Reboot: the kernel counts from zero again, under a new boot id.
	{
		std::ofstream(tree.root() + "/proc/sys/kernel/random/boot_id", std::ios::trunc)
		    << "11111111-2222-3333-4444-555555555555\n";
		std::ofstream(tree.root() + "/proc/net/dev", std::ios::trunc)
		    << "Inter-|   Receive |  Transmit\n face |bytes packets|bytes\n"
		       "  ens3: 1000 10 0 0 0 0 0 0 2000 20 0 0 0 0 0 0\n";
	}
	ReportCollector third(tree.paths(), clock, options, tree_sources(tree.root(), &run));
	Report r = third.collect();
	ASSERT_EQ(r.interfaces.size(), 1u);
	EXPECT_EQ(r.interfaces[0].rx_bytes_total, 91348221952u + 482119 + 1000);
	EXPECT_EQ(r.interfaces[0].tx_bytes_total, 310244871168u + 1298742 + 2000);
}

TEST(FixtureTrees, CorruptCountersFileIsIgnored) {
	ScratchTree tree("vm-debian12");
	ManualClock clock;
	TreeRun run;
	ReportCollector::Options options;
	options.counters_path = tree.root() + "/agent.state.counters";
	options.slow_interval_s = 0;
	std::ofstream(options.counters_path) << "serversan-counters 1\nboot_id x\nnet ens3 1 2 three 4 5\n";
	ReportCollector collector(tree.paths(), clock, options, tree_sources(tree.root(), &run));
	Report r = collector.collect();
	ASSERT_EQ(r.interfaces.size(), 1u);
	EXPECT_EQ(r.interfaces[0].rx_bytes_total, 91348221952u); // from the kernel counter
	ASSERT_TRUE(collector.save().ok());                      // and the file is healed
	auto text = read_text_file(options.counters_path);
	ASSERT_TRUE(text.ok());
	EXPECT_EQ(text->find("three"), std::string::npos);
}

TEST(FixtureTrees, ReadOnlyCountersAreNeverWritten) {
	ScratchTree tree("vm-debian12");
	ManualClock clock;
	TreeRun run;
	ReportCollector::Options options;
	options.counters_path = tree.root() + "/agent.state.counters";
	options.counters_read_only = true;
	options.counters_save_interval_s = 0;
	ReportCollector collector(tree.paths(), clock, options, tree_sources(tree.root(), &run));
	collector.prime();
	(void)collector.collect();
	EXPECT_TRUE(collector.save().ok());
	EXPECT_FALSE(fs::exists(options.counters_path));
}
