// Collectors against fixture trees (test/fixtures/proc): exact values from known files, and
// empty values (never zeros, never a crash) for missing files and fields.
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>

#include "serversan/agent/collectors/cpu.h"
#include "serversan/agent/collectors/filesystems.h"
#include "serversan/agent/collectors/host.h"
#include "serversan/agent/collectors/load.h"
#include "serversan/agent/collectors/memory.h"
#include "serversan/agent/collectors/text.h"
#include "serversan/agent/collectors/uptime.h"

using namespace serversan;
using namespace serversan::agent;

namespace {

const std::string kVm = std::string(SERVERSAN_FIXTURES) + "/proc/vm-debian12";
const std::string kOld = std::string(SERVERSAN_FIXTURES) + "/proc/old-container";
const std::string kNowhere = std::string(SERVERSAN_FIXTURES) + "/proc/does-not-exist";

constexpr uint64_t KiB = 1024;

// A StatFs whose NFS mount blocks until the gate file exists. The collector runs it in a child
// process, so the gate and the call count live in files, not in this process's memory.
struct NfsGate {
	std::string dir;
	explicit NfsGate(std::string d) : dir(std::move(d)) {
		std::filesystem::remove(dir + "/open");
		std::filesystem::remove(dir + "/calls");
	}
	void release() const { std::fclose(std::fopen((dir + "/open").c_str(), "w")); }
	int nfs_calls() const {
		std::error_code ec;
		auto n = std::filesystem::file_size(dir + "/calls", ec);
		return ec ? 0 : static_cast<int>(n);
	}
};

StatFs gated_statfs(const NfsGate& gate, const std::string& root) {
	return [dir = gate.dir, root](const std::string& path) -> std::optional<FsStat> {
		if (path == root + "/mnt/nas") {
			if (std::FILE* f = std::fopen((dir + "/calls").c_str(), "a")) {
				std::fputc('x', f);
				std::fclose(f);
			}
			while (!std::filesystem::exists(dir + "/open"))
				std::this_thread::sleep_for(std::chrono::milliseconds(5));
			return FsStat{9, 4096, 100, 50, 50, 10, 5};
		}
		return FsStat{1, 4096, 1000, 400, 350, 5000, 4000};
	};
}

// A tree with one local and one NFS mount.
std::string nfs_tree(const std::string& name) {
	std::string dir = ::testing::TempDir() + "/" + name + "-" + std::to_string(::getpid());
	std::filesystem::create_directories(dir + "/proc/self");
	std::FILE* f = std::fopen((dir + "/proc/self/mountinfo").c_str(), "w");
	EXPECT_NE(f, nullptr);
	if (f) {
		std::fputs("28 1 9:0 / / rw,relatime shared:1 - ext4 /dev/md0 rw\n"
		           "42 28 0:52 / /mnt/nas rw,relatime shared:42 - nfs4 nas.example.net:/export rw\n",
		           f);
		std::fclose(f);
	}
	return dir;
}

std::vector<std::string> mount_points(const std::vector<Filesystem>& fs) {
	std::vector<std::string> out;
	for (const Filesystem& f : fs)
		out.push_back(f.mount);
	return out;
}

StatSample stat_file(const std::string& root, const std::string& name) {
	auto text = read_text_file(root + "/proc/" + name);
	EXPECT_TRUE(text.ok()) << text.error().message;
	return parse_stat(text.ok() ? *text : "");
}

} // namespace

TEST(MemoryCollector, DebianVm) {
	auto m = collect_memory(kVm + "/proc");
	ASSERT_TRUE(m.ok()) << m.error().message;
	EXPECT_EQ(m->total, 4025628 * KiB);
	EXPECT_EQ(m->free, 251344 * KiB);
	EXPECT_EQ(m->available, 3101228 * KiB);
	EXPECT_EQ(m->buffers, 118496 * KiB);
	EXPECT_EQ(m->cached, (2653172 + 201868) * KiB); // Cached + SReclaimable, as free(1)
	EXPECT_EQ(m->used, (4025628 - 3101228) * KiB);  // total - available, as free(1) of procps 4
	EXPECT_EQ(m->swap_total, 998396 * KiB);
	EXPECT_EQ(m->swap_used, (998396 - 997372) * KiB);
}

TEST(MemoryCollector, OldKernelLeavesMissingFieldsEmpty) {
	auto m = collect_memory(kOld + "/proc");
	ASSERT_TRUE(m.ok());
	EXPECT_EQ(m->total, 1048576 * KiB);
	EXPECT_EQ(m->available, std::nullopt);
	EXPECT_EQ(m->cached, 131072 * KiB);                            // no SReclaimable: Cached alone
	EXPECT_EQ(m->used, (1048576 - 524288 - 16384 - 131072) * KiB); // no MemAvailable: the old formula
	EXPECT_EQ(m->swap_total, 0u);
	EXPECT_EQ(m->swap_used, 0u);
}

TEST(MemoryCollector, MissingFileIsAnErrorNamingThePath) {
	auto m = collect_memory(kNowhere + "/proc");
	ASSERT_FALSE(m.ok());
	EXPECT_NE(m.error().message.find("meminfo"), std::string::npos);
}

TEST(MemoryCollector, MalformedLinesAreIgnored) {
	Memory m = parse_meminfo("MemTotal: lots kB\nMemFree: 10\nBuffers: 5 MB\nCached:\n:\n\n"
	                         "MemAvailable: 99999999999999999999999 kB\n");
	EXPECT_EQ(m, Memory{});
	// used needs all four inputs: with one missing it stays empty rather than guessed.
	m = parse_meminfo("MemTotal: 100 kB\nMemFree: 10 kB\nCached: 20 kB\n");
	EXPECT_EQ(m.total, 100 * KiB);
	EXPECT_EQ(m.used, std::nullopt);
}

TEST(LoadCollector, DebianVm) {
	auto s = collect_load(kVm + "/proc");
	ASSERT_TRUE(s.ok());
	EXPECT_EQ(s->load.load1, 0.52);
	EXPECT_EQ(s->load.load5, 0.38);
	EXPECT_EQ(s->load.load15, 0.21);
	EXPECT_EQ(s->processes.running, 3u);
	EXPECT_EQ(s->processes.threads, 187u);
	EXPECT_EQ(s->processes.total, 2u); // the pid directories 1 and 4242
}

TEST(LoadCollector, GarbageGivesEmptyValues) {
	auto s = collect_load(kOld + "/proc");
	ASSERT_TRUE(s.ok());
	EXPECT_EQ(s->load, Load{});
	EXPECT_EQ(s->processes.running, std::nullopt);
	EXPECT_EQ(s->processes.threads, std::nullopt);
	EXPECT_FALSE(collect_load(kNowhere + "/proc").ok());
	EXPECT_EQ(parse_loadavg("1.0 2.0").load.load15, std::nullopt);
	EXPECT_EQ(parse_loadavg("1 2 3 x/y 5").processes.running, std::nullopt);
	EXPECT_EQ(parse_loadavg("").load, Load{});
}

TEST(UptimeCollector, WholeSeconds) {
	auto u = collect_uptime(kVm + "/proc");
	ASSERT_TRUE(u.ok());
	EXPECT_EQ(*u, 86523u);
	EXPECT_FALSE(collect_uptime(kOld + "/proc").ok());
	EXPECT_EQ(parse_uptime("-5 3"), std::nullopt);
	EXPECT_EQ(parse_uptime("nan 3"), std::nullopt);
	EXPECT_EQ(parse_uptime(""), std::nullopt);
}

TEST(CpuCollector, ParsesStat) {
	StatSample s = stat_file(kVm, "stat");
	ASSERT_TRUE(s.total);
	EXPECT_EQ(s.total->user, 10000u);
	EXPECT_EQ(s.total->steal, 100u);
	ASSERT_EQ(s.cores.size(), 2u);
	EXPECT_EQ(s.cores[1].first, 1u);
	EXPECT_EQ(s.context_switches, 2500000u);
	EXPECT_EQ(s.interrupts, 1500000u);
	EXPECT_EQ(s.boot_time, 1764000000);
	EXPECT_EQ(s.procs_running, 2u);
	EXPECT_EQ(s.procs_blocked, 1u);
}

TEST(CpuCollector, SharesBetweenTwoSamples) {
	StatSample a = stat_file(kVm, "stat"), b = stat_file(kVm, "stat.after");
	Cpu cpu = cpu_between(a, b, 10.0);
	// Total deltas: user 300, nice 0, system 100, idle 1500, iowait 50, irq 0, softirq 30,
	// steal 20: 2000 ticks.
	EXPECT_DOUBLE_EQ(*cpu.total.user, 15.0);
	EXPECT_DOUBLE_EQ(*cpu.total.nice, 0.0);
	EXPECT_DOUBLE_EQ(*cpu.total.system, 5.0);
	EXPECT_DOUBLE_EQ(*cpu.total.idle, 75.0);
	EXPECT_DOUBLE_EQ(*cpu.total.iowait, 2.5);
	EXPECT_DOUBLE_EQ(*cpu.total.irq, 0.0);
	EXPECT_DOUBLE_EQ(*cpu.total.softirq, 1.5);
	EXPECT_DOUBLE_EQ(*cpu.total.steal, 1.0);
	ASSERT_EQ(cpu.cores.size(), 2u);
	// cpu0: 1000 ticks, user 200 system 50 idle 700 iowait 30 softirq 10 steal 10.
	EXPECT_DOUBLE_EQ(*cpu.cores[0].user, 20.0);
	EXPECT_DOUBLE_EQ(*cpu.cores[0].idle, 70.0);
	EXPECT_DOUBLE_EQ(*cpu.cores[0].iowait, 3.0);
	// cpu1: 1000 ticks, user 100 system 50 idle 800 iowait 20 softirq 20 steal 10.
	EXPECT_DOUBLE_EQ(*cpu.cores[1].user, 10.0);
	EXPECT_DOUBLE_EQ(*cpu.cores[1].idle, 80.0);
	EXPECT_DOUBLE_EQ(*cpu.cores[1].softirq, 2.0);
	EXPECT_DOUBLE_EQ(*cpu.context_switches_per_s, 2500.0);
	EXPECT_DOUBLE_EQ(*cpu.interrupts_per_s, 1200.0);
}

TEST(CpuCollector, NoTicksOrNoTimeGivesEmptyValues) {
	StatSample a = stat_file(kVm, "stat");
	Cpu same = cpu_between(a, a, 0.0);
	EXPECT_EQ(same.total, CpuTimes{});
	ASSERT_EQ(same.cores.size(), 2u);
	EXPECT_EQ(same.cores[0], CpuTimes{});
	EXPECT_EQ(same.context_switches_per_s, std::nullopt);
}

TEST(CpuCollector, CountersGoingBackwardsCountAsNoTime) {
	CpuTicks before{100, 0, 100, 1000, 50, 0, 0, 0};
	CpuTicks after{200, 0, 100, 1100, 40, 0, 0, 0}; // iowait went backwards
	CpuTimes t = cpu_times_between(before, after);
	EXPECT_DOUBLE_EQ(*t.user, 50.0);
	EXPECT_DOUBLE_EQ(*t.idle, 50.0);
	EXPECT_DOUBLE_EQ(*t.iowait, 0.0);
}

TEST(CpuCollector, OldKernelWithoutStealAndCoreAppearing) {
	StatSample a = stat_file(kOld, "stat");
	EXPECT_EQ(a.total->steal, std::nullopt);
	EXPECT_EQ(a.boot_time, std::nullopt);
	StatSample b =
	    parse_stat("cpu  200 0 100 1850 5 0 1\ncpu0 150 0 75 1450 5 0 1\ncpu1 50 0 25 450 0 0 0\n");
	Cpu cpu = cpu_between(a, b, 5.0);
	EXPECT_DOUBLE_EQ(*cpu.total.user, 10.0); // 100 of 1000
	EXPECT_EQ(cpu.total.steal, std::nullopt);
	ASSERT_EQ(cpu.cores.size(), 2u);
	EXPECT_TRUE(cpu.cores[0].user.has_value());
	EXPECT_EQ(cpu.cores[1], CpuTimes{}); // cpu1 was not in the first sample
	EXPECT_EQ(cpu.context_switches_per_s, std::nullopt);
}

TEST(CpuCollector, GarbageDoesNotCrash) {
	StatSample s = parse_stat("cpu\ncpu99999999999 1 2\ncpux 1 2 3\nctxt\nctxt -1\nintr abc\n\n\n");
	ASSERT_TRUE(s.total);
	EXPECT_EQ(*s.total, CpuTicks{});
	EXPECT_TRUE(s.cores.empty());
	EXPECT_EQ(s.context_switches, std::nullopt);
	EXPECT_FALSE(read_stat(kNowhere + "/proc").ok());
}

TEST(HostCollector, DebianVm) {
	HostSample s = collect_host(HostPaths::under(kVm), UnameInfo{"web-1", "6.1.0-18-amd64", "x86_64"});
	EXPECT_TRUE(s.problems.empty());
	const HostFacts& h = s.facts;
	EXPECT_EQ(h.hostname, "web-1");
	EXPECT_EQ(h.kernel, "6.1.0-18-amd64");
	EXPECT_EQ(h.arch, "x86_64");
	EXPECT_EQ(h.os_name, "Debian GNU/Linux");
	EXPECT_EQ(h.os_version, "12");
	EXPECT_EQ(h.cpu_model, "Intel(R) Xeon(R) Gold 6248R CPU @ 3.00GHz");
	EXPECT_EQ(h.cpu_logical, 2u);
	EXPECT_EQ(h.cpu_physical, 2u);
	EXPECT_EQ(h.cpu_mhz, 2999.998);
	EXPECT_EQ(h.boot_time, 1764000000);
	EXPECT_EQ(h.agent_version, SERVERSAN_VERSION);
	EXPECT_EQ(h.virtualization, "kvm"); // DMI "QEMU" and the kvm-clock clocksource
}

TEST(HostCollector, MissingSourcesLeaveFactsEmpty) {
	HostSample s = collect_host(HostPaths::under(kOld), UnameInfo{"c1", "2.6.32", "x86_64"});
	EXPECT_EQ(s.problems.size(), 2u); // os-release and cpuinfo; stat is there (without btime)
	EXPECT_EQ(s.facts.os_name, "");
	EXPECT_EQ(s.facts.cpu_model, "");
	EXPECT_EQ(s.facts.cpu_logical, std::nullopt);
	EXPECT_EQ(s.facts.boot_time, std::nullopt);

	HostSample none = collect_host(HostPaths::under(kNowhere), UnameInfo{});
	EXPECT_EQ(none.problems.size(), 3u);
	EXPECT_EQ(none.facts.cpu_physical, std::nullopt);
}

TEST(HostCollector, OsReleaseQuoting) {
	OsRelease r = parse_os_release("# comment\nNAME='Alpine Linux'\nVERSION_ID=3.19.1\n");
	EXPECT_EQ(r.name, "Alpine Linux");
	EXPECT_EQ(r.version_id, "3.19.1");
	r = parse_os_release("NAME=\"Say \\\"hi\\\"\"\nVERSION_ID=\"\"\nbroken line\n=\n");
	EXPECT_EQ(r.name, "Say \"hi\"");
	EXPECT_EQ(r.version_id, "");
}

TEST(HostCollector, CpuinfoOfOtherArchitectures) {
	// 32-bit ARM (Raspberry Pi 2): "Processor" names the model, no topology.
	CpuInfo arm =
	    parse_cpuinfo("Processor\t: ARMv7 Processor rev 5 (v7l)\nprocessor\t: 0\nBogoMIPS\t: 38.40\n\n"
	                  "processor\t: 1\nBogoMIPS\t: 38.40\n\nHardware\t: BCM2709\n");
	EXPECT_EQ(arm.model, "ARMv7 Processor rev 5 (v7l)");
	EXPECT_EQ(arm.logical, 2u);
	EXPECT_EQ(arm.physical, std::nullopt);
	EXPECT_EQ(arm.mhz, std::nullopt);
	// arm64: no model line at all.
	CpuInfo arm64 = parse_cpuinfo("processor\t: 0\nCPU implementer\t: 0x41\nCPU part\t: 0xd0c\n");
	EXPECT_EQ(arm64.model, "");
	EXPECT_EQ(arm64.logical, 1u);
	EXPECT_EQ(parse_cpuinfo("").logical, std::nullopt);
}

TEST(HostCollector, CpuList) {
	EXPECT_EQ(count_cpu_list("0-3,6,8-9\n"), 7u);
	EXPECT_EQ(count_cpu_list("0"), 1u);
	EXPECT_EQ(count_cpu_list(""), std::nullopt);
	EXPECT_EQ(count_cpu_list("3-1"), std::nullopt);
	EXPECT_EQ(count_cpu_list("0-x"), std::nullopt);
}

TEST(FilesystemsCollector, SkipsPseudoAndCountsBindMountsOnce) {
	HostPaths paths = HostPaths::under(kVm);
	std::map<std::string, FsStat> disks = {
	    {"/", {1, 4096, 1000, 400, 350, 5000, 4000}},
	    {"/srv/www data", {1, 4096, 1000, 400, 350, 5000, 4000}}, // bind mount of /
	    {"/boot/efi", {2, 512, 1000, 900, 900, 0, 0}},            // vfat: no inode table
	    {"/var/lib/docker", {3, 4096, 2000, 1000, 1000, 100, 90}},
	    {"/run", {4, 4096, 10, 10, 10, 10, 10}}, // tmpfs: must never be asked
	};
	std::vector<std::string> asked;
	auto fake = [&](const std::string& path) -> std::optional<FsStat> {
		EXPECT_TRUE(path.starts_with(kVm + "/")) << path;
		std::string mount = path.substr(kVm.size());
		asked.push_back(mount);
		auto it = disks.find(mount);
		if (it == disks.end())
			return std::nullopt; // /mnt/gone: not statable
		return it->second;
	};
	auto fs = collect_filesystems(paths, fake);
	ASSERT_TRUE(fs.ok()) << fs.error().message;
	ASSERT_EQ(fs->size(), 3u);
	const Filesystem& root = (*fs)[0];
	EXPECT_EQ(root.mount, "/");
	EXPECT_EQ(root.device, "/dev/vda1");
	EXPECT_EQ(root.type, "ext4");
	EXPECT_EQ(root.total, 1000u * 4096);
	EXPECT_EQ(root.used, 600u * 4096);
	EXPECT_EQ(root.free, 350u * 4096); // what a user can still write
	EXPECT_EQ(root.inodes_total, 5000u);
	EXPECT_EQ(root.inodes_used, 1000u);
	EXPECT_EQ((*fs)[1].mount, "/boot/efi");
	EXPECT_EQ((*fs)[1].inodes_total, std::nullopt);
	EXPECT_EQ((*fs)[2].mount, "/var/lib/docker");
	for (const std::string& m : asked) {
		EXPECT_NE(m, "/run");
		EXPECT_NE(m, "/proc");
		EXPECT_NE(m, "/snap/core22/1380");
	}
}

TEST(FilesystemsCollector, ShortestMountPointWinsForBindMounts) {
	// The bind mount is listed first here; the report should still name "/".
	std::string dir = ::testing::TempDir() + "/ss-mounts";
	std::filesystem::create_directories(dir + "/proc/self");
	{
		std::FILE* f = std::fopen((dir + "/proc/self/mounts").c_str(), "w");
		ASSERT_NE(f, nullptr);
		std::fputs("/dev/sda1 /home/user/bind ext4 rw 0 0\n/dev/sda1 / ext4 rw 0 0\n", f);
		std::fclose(f);
	}
	auto fake = [](const std::string&) -> std::optional<FsStat> { return FsStat{7, 4096, 10, 5, 5, 10, 5}; };
	auto fs = collect_filesystems(HostPaths::under(dir), fake);
	ASSERT_TRUE(fs.ok());
	ASSERT_EQ(fs->size(), 1u);
	EXPECT_EQ((*fs)[0].mount, "/");
	EXPECT_FALSE(collect_filesystems(HostPaths::under(kOld)).ok()); // no mounts table
}

TEST(FilesystemsCollector, MountEscapes) {
	auto m = parse_mounts("/dev/a /mnt/a\\040b\\011c ext4 rw 0 0\n/dev/b /x\\ ext4\nshort line\n");
	ASSERT_EQ(m.size(), 2u);
	EXPECT_EQ(m[0].mount, "/mnt/a b\tc");
	EXPECT_EQ(m[1].mount, "/x\\");
	EXPECT_TRUE(is_pseudo_filesystem("tmpfs"));
	EXPECT_FALSE(is_pseudo_filesystem("ext4"));
}

TEST(FilesystemsCollector, NetworkTypes) {
	EXPECT_TRUE(is_network_filesystem("nfs"));
	EXPECT_TRUE(is_network_filesystem("nfs4"));
	EXPECT_TRUE(is_network_filesystem("cifs"));
	EXPECT_TRUE(is_network_filesystem("fuse.sshfs"));
	EXPECT_TRUE(is_network_filesystem("ceph"));
	EXPECT_FALSE(is_network_filesystem("ext4"));
	EXPECT_FALSE(is_network_filesystem("xfs"));
	EXPECT_FALSE(is_network_filesystem("fuseblk")); // ntfs-3g on a local disk
	EXPECT_FALSE(is_network_filesystem("nfsd"));
}

TEST(FilesystemsCollector, HungNetworkMountTimesOutAndIsNotStattedAgainUntilItReturns) {
	std::string dir = nfs_tree("ss-nfs-hung");
	NfsGate gate(dir);
	{
		FilesystemCollector collector(HostPaths::under(dir), gated_statfs(gate, dir),
		                              std::chrono::milliseconds(50));
		std::vector<Filesystem> out;
		auto start = std::chrono::steady_clock::now();
		ASSERT_TRUE(collector.collect(out).ok());
		EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
		EXPECT_EQ(mount_points(out), std::vector<std::string>{"/"});
		EXPECT_EQ(gate.nfs_calls(), 1);

		// Still blocked: left out again without a second call (no pile of blocked threads).
		start = std::chrono::steady_clock::now();
		ASSERT_TRUE(collector.collect(out).ok());
		EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
		EXPECT_EQ(mount_points(out), std::vector<std::string>{"/"});
		EXPECT_EQ(gate.nfs_calls(), 1);

		// Once the blocked call has returned, the next round stats it again and reports it.
		// (The round after release() may still find the call finishing: retry until then.)
		gate.release();
		auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
		do {
			ASSERT_TRUE(collector.collect(out).ok());
		} while (out.size() < 2 && std::chrono::steady_clock::now() < deadline);
		ASSERT_EQ(mount_points(out), (std::vector<std::string>{"/", "/mnt/nas"}));
		EXPECT_EQ(out[1].type, "nfs4");
		EXPECT_EQ(out[1].total, 100u * 4096);
		EXPECT_EQ(gate.nfs_calls(), 2);

		// Statted normally from then on: an answering server costs no time-out.
		ASSERT_TRUE(collector.collect(out).ok());
		EXPECT_EQ(out.size(), 2u);
		EXPECT_EQ(gate.nfs_calls(), 3);
	}
}

TEST(FilesystemsCollector, CollectorDestroyedWhileNetworkStatIsBlocked) {
	std::string dir = nfs_tree("ss-nfs-destroyed");
	NfsGate gate(dir);
	{
		FilesystemCollector collector(HostPaths::under(dir), gated_statfs(gate, dir),
		                              std::chrono::milliseconds(50));
		std::vector<Filesystem> out;
		ASSERT_TRUE(collector.collect(out).ok());
		EXPECT_EQ(mount_points(out), std::vector<std::string>{"/"});
	}
	// The collector told its blocked child to go: never released here, it can only end by the
	// SIGKILL, and no child may be left behind. The destructor reaps it if it is already dead;
	// otherwise it is reaped here, dead of SIGKILL.
	auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
	bool gone = false;
	while (!gone && std::chrono::steady_clock::now() < deadline) {
		int status = 0;
		pid_t pid = ::waitpid(-1, &status, WNOHANG);
		if (pid > 0) {
			EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		}
		gone = pid < 0 && errno == ECHILD;
		if (pid == 0)
			std::this_thread::sleep_for(std::chrono::milliseconds(5));
	}
	EXPECT_TRUE(gone);
	EXPECT_EQ(gate.nfs_calls(), 1);
}

TEST(FilesystemsCollector, RealStatfsOnRoot) {
	auto st = stat_filesystem("/");
	ASSERT_TRUE(st.has_value());
	EXPECT_GT(st->blocks, 0u);
	EXPECT_EQ(stat_filesystem("/definitely/not/here"), std::nullopt);
}
