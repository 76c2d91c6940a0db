#include "serversan/server/charts/chart_data.h"

#include <algorithm>

namespace serversan::charts {

int64_t series_step_ms(const store::Series& s) {
	if (s.step_ms > 0)
		return s.step_ms;
	std::vector<int64_t> d;
	for (size_t i = 1; i < s.points.size(); ++i)
		if (s.points[i].ts_ms > s.points[i - 1].ts_ms)
			d.push_back(s.points[i].ts_ms - s.points[i - 1].ts_ms);
	if (d.size() < 2)
		return 60'000;
	auto mid = d.begin() + static_cast<std::ptrdiff_t>(d.size() / 2);
	std::nth_element(d.begin(), mid, d.end());
	return std::max<int64_t>(*mid, 1000);
}

} // namespace serversan::charts
