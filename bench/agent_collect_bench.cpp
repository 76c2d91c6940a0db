// bench_agent_collect: the agent's CPU per collection against the plain C reference
// (agent_collect_reference.c), side by side in one run, for each cadence set (issue 11):
//   every collection   ReportCollector::collect() with the slow sections off
//   per-process pass   ProcessCollector::pass(), also per process
//   TCP by state       the NETLINK_SOCK_DIAG count (IPv4 + IPv6)
// Figures, never assertions. CPU is getrusage (user + system) of this process; each figure is
// the median of several alternating blocks (agent, reference, agent, ...), because the machine
// is shared and a single long run measures the neighbours as much as the code.
//
//   bench_agent_collect [iterations per block for the every-collection set, default 200]
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

#include "serversan/agent/collectors/processes.h"
#include "serversan/agent/collectors/tcp_states.h"
#include "serversan/agent/report_collector.h"
#include "serversan/core/clock.h"

extern "C" {
void reference_init(void);
void reference_collect_every(void);
int reference_process_pass(void);
void reference_tcp_states(void);
}

namespace {
std::atomic<uint64_t> g_allocations{0};
}

// Counting allocations: "no allocation churn per collection" is checked by number, not by eye.
void* operator new(size_t n) {
	g_allocations.fetch_add(1, std::memory_order_relaxed);
	if (void* p = std::malloc(n ? n : 1))
		return p;
	throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
	std::free(p);
}
void operator delete(void* p, size_t) noexcept {
	std::free(p);
}

using namespace serversan;
using namespace serversan::agent;

namespace {

double cpu_us() {
	rusage r{};
	::getrusage(RUSAGE_SELF, &r);
	return static_cast<double>(r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e6 +
	       static_cast<double>(r.ru_utime.tv_usec + r.ru_stime.tv_usec);
}

double median(std::vector<double> v) {
	std::sort(v.begin(), v.end());
	return v.empty() ? 0 : v[v.size() / 2];
}

struct Pair {
	double agent = 0, reference = 0;
};

// Alternating blocks of `per_block` calls; the median CPU microseconds per call of each side.
template <typename A, typename R>
Pair compare(int blocks, int per_block, A&& agent, R&& reference) {
	std::vector<double> a, r;
	for (int b = 0; b < blocks; ++b) {
		double t0 = cpu_us();
		for (int i = 0; i < per_block; ++i)
			agent();
		double t1 = cpu_us();
		for (int i = 0; i < per_block; ++i)
			reference();
		double t2 = cpu_us();
		a.push_back((t1 - t0) / per_block);
		r.push_back((t2 - t1) / per_block);
	}
	return {median(a), median(r)};
}

void row(const char* name, Pair p, const char* note = "") {
	std::printf("%-28s %10.1f %11.1f %8.2fx  %s\n", name, p.agent, p.reference,
	            p.reference > 0 ? p.agent / p.reference : 0.0, note);
}

} // namespace

int main(int argc, char** argv) {
	int per_block = argc > 1 ? std::max(1, std::atoi(argv[1])) : 200;
	constexpr int kBlocks = 9;

	ReportCollector::Options options;
	options.slow_interval_s = 0;          // the every-collection set alone
	options.host_facts_interval_s = 1e12; // as between the (10-minute) host look-ups
	ReportCollector collector(HostPaths{}, SystemClock::instance(), options);
	collector.prime();
	(void)collector.collect(); // opens the files, sizes the buffers
	reference_init();
	reference_collect_every();

	uint64_t before = g_allocations.load();
	constexpr int kAllocRounds = 100;
	for (int i = 0; i < kAllocRounds; ++i)
		(void)collector.collect();
	double allocations = static_cast<double>(g_allocations.load() - before) / kAllocRounds;
	Report sample = collector.collect();

	Pair every = compare(
	    kBlocks, per_block, [&] { (void)collector.collect(); }, [] { reference_collect_every(); });

	ProcessCollector processes(HostPaths{}, static_cast<uint64_t>(::sysconf(_SC_CLK_TCK)),
	                           static_cast<uint64_t>(::sysconf(_SC_PAGESIZE)));
	(void)processes.prime(std::chrono::steady_clock::now());
	size_t process_count = 0;
	int reference_count = reference_process_pass();
	int slow_block = std::max(1, per_block / 10);
	Pair pass = compare(
	    kBlocks, slow_block,
	    [&] {
		    auto p = processes.pass(std::chrono::steady_clock::now(), 10);
		    if (p)
			    process_count = *p->counts.total;
	    },
	    [&] { reference_count = reference_process_pass(); });

	TcpStateSource tcp = netlink_tcp_state_counter();
	Pair tcp_pair = compare(
	    kBlocks, slow_block, [&] { (void)tcp(); }, [] { reference_tcp_states(); });

	std::printf("serversan-agent collection vs the C reference: CPU microseconds per call (user + system),\n"
	            "median of %d alternating blocks; %d calls per block (every collection), %d (slow set)\n\n",
	            kBlocks, per_block, slow_block);
	std::printf("%-28s %10s %11s %9s\n", "set", "agent", "reference", "ratio");
	row("every collection", every);
	row("per-process pass", pass);
	double n = static_cast<double>(std::max<size_t>(process_count, 1));
	double rn = static_cast<double>(std::max(reference_count, 1));
	char note[96];
	std::snprintf(note, sizeof note, "(%zu processes; reference saw %d)", process_count, reference_count);
	row("  per process", {pass.agent / n, pass.reference / rn}, note);
	row("TCP by state (sock_diag)", tcp_pair);
	row("slow set (pass + TCP)", {pass.agent + tcp_pair.agent, pass.reference + tcp_pair.reference});
	std::printf("\nallocations per collection (steady state): %.1f (the Report's own vectors and strings:\n"
	            "%zu cores, %zu filesystems, %zu disks, %zu interfaces, %zu temperatures)\n",
	            allocations, sample.cpu.cores.size(), sample.filesystems.size(), sample.disks.size(),
	            sample.interfaces.size(), sample.temperatures.size());
	return 0;
}
