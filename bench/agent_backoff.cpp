// The agent's back-off schedule for a fleet (issue 18, defect 8), on a simulated clock: how soon
// agents are heard from after outages of several lengths, how many attempts a down server's
// address receives, and how the fleet's arrivals at a returning server spread. Figures, never
// assertions (the bounds are tested in test/unit/agent/backoff_test.cpp).
//
//   build/<dir>/bench/bench_agent_backoff [agents]          default 10000
//
// Every agent fails first at the same instant: the worst case for a stampede (real agents notice
// an outage at their own collection times, spread over their interval).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "serversan/agent/backoff.h"

using serversan::agent::outage_attempts;

namespace {

double quantile(std::vector<double> v, double q) {
	std::sort(v.begin(), v.end());
	return v[static_cast<size_t>(q * static_cast<double>(v.size() - 1))];
}

} // namespace

int main(int argc, char** argv) {
	const size_t agents = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 10000;
	std::mt19937_64 seeds(2026);
	std::vector<uint64_t> fleet(agents);
	for (uint64_t& s : fleet)
		s = seeds();

	std::printf("%zu agents, all failing first at t = 0\n\n", agents);
	std::printf("%-10s %10s %10s %10s %10s %14s\n", "outage", "resume p50", "p99", "max", "attempts",
	            "attempts/s");
	for (double outage : {30.0, 120.0, 300.0, 600.0, 1800.0, 3600.0, 4 * 3600.0}) {
		std::vector<double> resume;
		double total = 0;
		for (uint64_t s : fleet) {
			std::vector<double> t = outage_attempts(s, outage);
			resume.push_back(t.back() - outage);
			total += static_cast<double>(t.size() - 1); // the failed ones
		}
		std::printf("%7.0f s  %8.1f s %8.1f s %8.1f s %10.1f %14.0f\n", outage, quantile(resume, 0.5),
		            quantile(resume, 0.99), quantile(resume, 1), total / static_cast<double>(agents),
		            total / outage);
	}

	// Arrivals at a server that returns after 2 minutes, per second.
	std::vector<size_t> per_second(11, 0);
	for (uint64_t s : fleet)
		++per_second[std::min<size_t>(10, static_cast<size_t>(outage_attempts(s, 120).back() - 120))];
	std::printf("\narrivals after a 2-minute outage, per second from the server's return:");
	for (size_t n : per_second)
		std::printf(" %zu", n);

	// Mean delay while young (after the first minute) and at the 5-minute cap (after 3 hours).
	double young = 0, capped = 0;
	size_t n_young = 0, n_capped = 0;
	for (uint64_t s : fleet) {
		std::vector<double> t = outage_attempts(s, 4 * 3600.0);
		for (size_t i = 1; i < t.size(); ++i) {
			if (t[i - 1] >= 60 && t[i - 1] < 300) {
				young += t[i] - t[i - 1];
				++n_young;
			} else if (t[i - 1] >= 3 * 3600.0) {
				capped += t[i] - t[i - 1];
				++n_capped;
			}
		}
	}
	std::printf("\nmean delay: %.2f s in minutes 1-5 of an outage, %.1f s at the cap (hour 4)\n",
	            young / static_cast<double>(n_young), capped / static_cast<double>(n_capped));
	return 0;
}
