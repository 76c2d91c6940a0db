// The collectors on this machine: netlink dumps against sockets the test opens and against
// getifaddrs(3), the whole report against /proc and sysconf, and `serversan-agent --print`.
// These check agreement with independent sources, never exact load-dependent figures.
#include <arpa/inet.h>
#include <cstdio>
#include <filesystem>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <set>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "serversan/agent/collectors/addresses.h"
#include "serversan/agent/collectors/processes.h"
#include "serversan/agent/collectors/tcp_states.h"
#include "serversan/agent/collectors/text.h"
#include "serversan/agent/report_collector.h"

using namespace serversan;
using namespace serversan::agent;

namespace {

class Fd {
public:
	explicit Fd(int fd) : fd_(fd) {}
	~Fd() {
		if (fd_ >= 0)
			::close(fd_);
	}
	int get() const { return fd_; }

private:
	int fd_;
};

// A listening TCP socket on 127.0.0.1, port chosen by the kernel.
int listen_local(uint16_t* port) {
	int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	sockaddr_in a{};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd, 4) != 0)
		return -1;
	socklen_t len = sizeof a;
	::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
	*port = ntohs(a.sin_port);
	return fd;
}

uint64_t state_count(const TcpStateCounts& c, std::string_view name) {
	for (const TcpStateCount& s : c.to_report()) {
		if (s.state == name)
			return s.count;
	}
	return 0;
}

std::set<std::pair<std::string, std::string>> getifaddrs_set(int family) {
	std::set<std::pair<std::string, std::string>> out;
	ifaddrs* list = nullptr;
	if (::getifaddrs(&list) != 0)
		return out;
	for (ifaddrs* i = list; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != family)
			continue;
		char text[INET6_ADDRSTRLEN] = {};
		const void* raw =
		    family == AF_INET
		        ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(i->ifa_addr)->sin_addr)
		        : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(i->ifa_addr)->sin6_addr);
		::inet_ntop(family, raw, text, sizeof text);
		std::string name = i->ifa_name;
		out.emplace(name.substr(0, name.find(':')), text);
	}
	::freeifaddrs(list);
	return out;
}

std::set<std::pair<std::string, std::string>> entry_set(const std::vector<AddressEntry>& entries,
                                                        int family) {
	std::set<std::pair<std::string, std::string>> out;
	for (const AddressEntry& e : entries) {
		if (e.family != family)
			continue;
		char text[INET6_ADDRSTRLEN] = {};
		::inet_ntop(family, e.address.data(), text, sizeof text);
		out.emplace(e.interface, text);
	}
	return out;
}

std::optional<uint64_t> meminfo_total_bytes() {
	auto meminfo = read_text_file("/proc/meminfo");
	if (!meminfo)
		return std::nullopt;
	size_t at = meminfo->find("MemTotal:");
	if (at == std::string::npos)
		return std::nullopt;
	return std::stoull(meminfo->substr(at + 9)) * 1024;
}

uint32_t cpuinfo_processors() {
	auto text = read_text_file("/proc/cpuinfo", 16 << 20);
	uint32_t n = 0;
	if (text) {
		std::string_view t = *text;
		while (!t.empty()) {
			if (next_line(t).starts_with("processor"))
				++n;
		}
	}
	return n;
}

} // namespace

TEST(LiveNetlink, TcpStatesSeeOurSockets) {
	uint16_t port = 0;
	Fd listener(listen_local(&port));
	ASSERT_GE(listener.get(), 0);
	Fd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	sockaddr_in a{};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons(port);
	ASSERT_EQ(::connect(client.get(), reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
	Fd accepted(::accept(listener.get(), nullptr, nullptr));
	ASSERT_GE(accepted.get(), 0);

	TcpStateSource source = netlink_tcp_state_counter();
	auto counts = source();
	ASSERT_TRUE(counts.ok()) << counts.error().message;
	EXPECT_GE(state_count(*counts, "listen"), 1u);
	EXPECT_GE(state_count(*counts, "established"), 2u); // both ends of our connection
	// The same socket serves the next dump.
	auto again = source();
	ASSERT_TRUE(again.ok()) << again.error().message;
	EXPECT_GE(state_count(*again, "listen"), 1u);
}

TEST(LiveNetlink, Ipv4AddressesMatchGetifaddrs) {
	std::vector<AddressEntry> v4;
	Ipv4Lister lister = netlink_ipv4_lister();
	ASSERT_TRUE(lister(v4).ok());
	EXPECT_EQ(entry_set(v4, AF_INET), getifaddrs_set(AF_INET));
	ASSERT_TRUE(lister(v4).ok()); // and again, on the kept socket
	EXPECT_EQ(entry_set(v4, AF_INET), getifaddrs_set(AF_INET));

	std::vector<AddressEntry> v6;
	if (auto text = read_text_file("/proc/net/if_inet6")) {
		parse_if_inet6(*text, v6);
		EXPECT_EQ(entry_set(v6, AF_INET6), getifaddrs_set(AF_INET6));
	}
}

TEST(LiveProcesses, OurOwnProcessIsInThePass) {
	ProcessCollector processes(HostPaths{}, static_cast<uint64_t>(::sysconf(_SC_CLK_TCK)),
	                           static_cast<uint64_t>(::sysconf(_SC_PAGESIZE)));
	auto t0 = std::chrono::steady_clock::now();
	ASSERT_TRUE(processes.prime(t0).ok());
	// Burn a little CPU so that this process has something to show.
	volatile uint64_t x = 0;
	while (std::chrono::steady_clock::now() - t0 < std::chrono::milliseconds(150))
		x = x + 1;
	auto pass = processes.pass(std::chrono::steady_clock::now(), 50);
	ASSERT_TRUE(pass.ok()) << pass.error().message;
	EXPECT_GE(*pass->counts.total, 1u);
	ASSERT_TRUE(pass->top_cpu);
	bool found = false;
	for (const ProcessEntry& p : *pass->top_cpu) {
		if (p.pid == static_cast<uint32_t>(::getpid())) {
			found = true;
			EXPECT_GT(*p.cpu_percent, 0.0);
			EXPECT_GT(*p.rss, 0u);
			EXPECT_EQ(p.user, ::geteuid() == 0 ? "root" : p.user);
		}
	}
	EXPECT_TRUE(found) << "the busiest process of the last 150 ms should be this one";
	for (size_t i = 1; i < pass->top_memory.size(); ++i)
		EXPECT_GE(*pass->top_memory[i - 1].rss, *pass->top_memory[i].rss);
}

TEST(LiveProcesses, CountFromNlinkAgreesWithAListing) {
	ProcessCounter counter("/proc");
	auto learning = counter.count(); // lists /proc and learns the constant
	auto cheap = counter.count();    // one stat
	ASSERT_TRUE(learning.ok() && cheap.ok());
	PidDirectory dir("/proc");
	std::vector<uint32_t> pids;
	ASSERT_TRUE(dir.list(pids).ok());
	// Other processes may start or end meanwhile on a shared machine.
	EXPECT_NEAR(static_cast<double>(*cheap), static_cast<double>(pids.size()), 5.0);
	EXPECT_NEAR(static_cast<double>(*learning), static_cast<double>(pids.size()), 5.0);
	if (!counter.uses_nlink())
		std::printf("note: /proc is not in the initial pid namespace here, so each count lists it\n");
	// A fixture tree is not procfs: always listed.
	ProcessCounter fixture(std::string(SERVERSAN_FIXTURES) + "/proc/metal-epyc/proc");
	EXPECT_FALSE(fixture.uses_nlink());
	EXPECT_EQ(*fixture.count(), 12u);
	EXPECT_EQ(*fixture.count(), 12u);
}

TEST(LiveReport, AgreesWithProcAndSysconf) {
	ReportCollector::Options options;
	options.slow_priming_s = 0.05;
	ReportCollector collector(HostPaths{}, SystemClock::instance(), options);
	collector.prime();
	::usleep(200 * 1000);
	Report r = collector.collect();

	ASSERT_TRUE(r.memory.total);
	EXPECT_EQ(r.memory.total, meminfo_total_bytes());
	ASSERT_TRUE(r.host);
	long online = ::sysconf(_SC_NPROCESSORS_ONLN);
	EXPECT_EQ(r.host->cpu_logical, static_cast<uint32_t>(online));
	EXPECT_EQ(r.host->cpu_logical, cpuinfo_processors());
	EXPECT_EQ(r.cpu.cores.size(), static_cast<size_t>(online));
	EXPECT_FALSE(r.host->virtualization.empty());
	ASSERT_TRUE(r.interval_s);
	EXPECT_GT(*r.interval_s, 0.1);
	ASSERT_TRUE(r.cpu.total.idle);

	bool root = false;
	for (const Filesystem& f : r.filesystems)
		root = root || f.mount == "/";
	EXPECT_TRUE(root);
	EXPECT_TRUE(r.sockets.tcp_established.has_value());
	EXPECT_TRUE(r.sockets.file_handles_max.has_value());
	for (const NetInterface& ni : r.interfaces) {
		EXPECT_NE(ni.name, "lo");
		EXPECT_TRUE(ni.rx_bytes_per_s.has_value()) << ni.name;
		EXPECT_TRUE(ni.rx_bytes_total.has_value()) << ni.name;
	}
	ASSERT_TRUE(r.tcp_states);
	EXPECT_EQ(r.tcp_states->size(), 11u);
	ASSERT_TRUE(r.top_memory);
	EXPECT_FALSE(r.top_memory->empty());
	EXPECT_TRUE(r.processes.zombie.has_value());
}

// `serversan-agent --print --count 2 --interval 0.2`, if this build has the binary.
TEST(LiveReport, AgentPrintAgreesWithProc) {
	std::string agent = std::string(SERVERSAN_BINARY_DIR) + "/serversan/agent/serversan-agent";
	if (!std::filesystem::exists(agent))
		GTEST_SKIP() << agent << " is not built";
	std::string state = ::testing::TempDir() + fmt::format("/ss-live-{}.state", ::getpid());
	std::string command =
	    fmt::format("{} --print --count 2 --interval 0.2 --state-file {} --log-level error", agent, state);
	std::FILE* pipe = ::popen(command.c_str(), "r");
	ASSERT_NE(pipe, nullptr);
	std::string out;
	char buf[4096];
	while (size_t n = std::fread(buf, 1, sizeof buf, pipe))
		out.append(buf, n);
	int status = ::pclose(pipe);
	EXPECT_EQ(status, 0) << out;

	std::vector<std::string_view> lines;
	std::string_view rest = out;
	while (!rest.empty()) {
		std::string_view line = next_line(rest);
		if (!line.empty())
			lines.push_back(line);
	}
	ASSERT_EQ(lines.size(), 2u) << out;
	auto total = meminfo_total_bytes();
	ASSERT_TRUE(total);
	for (std::string_view line : lines)
		EXPECT_NE(line.find(fmt::format("\"memory\":{{\"total\":{}", *total)), std::string_view::npos)
		    << line;
	EXPECT_NE(lines[0].find(fmt::format("\"cpu_logical\":{}", ::sysconf(_SC_NPROCESSORS_ONLN))),
	          std::string_view::npos)
	    << lines[0];
	EXPECT_NE(lines[1].find("\"mount\":\"/\""), std::string_view::npos) << lines[1];
	EXPECT_NE(lines[1].find("\"interval_s\":0."), std::string_view::npos) << lines[1];
}
