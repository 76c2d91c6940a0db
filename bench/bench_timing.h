// Wall-clock timing for the benchmarks that print figures: milliseconds since a point, and one
// line of median, p95 and max over the runs.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

namespace serversan::bench {

using Steady = std::chrono::steady_clock;

inline double ms_since(Steady::time_point t) {
	return std::chrono::duration<double, std::milli>(Steady::now() - t).count();
}

inline void print_times(const char* what, std::vector<double> v, int width = 34) {
	std::sort(v.begin(), v.end());
	std::printf("%-*s median %7.2f ms  p95 %7.2f ms  max %7.2f ms  (%zu runs)\n", width, what,
	            v[v.size() / 2], v[v.size() * 95 / 100], v.back(), v.size());
}

} // namespace serversan::bench
