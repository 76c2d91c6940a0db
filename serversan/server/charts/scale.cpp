#include "serversan/server/charts/scale.h"

#include <algorithm>
#include <cmath>

namespace serversan::charts {

double nice_step(double raw) {
	if (!(raw > 0) || !std::isfinite(raw))
		return 1;
	double p = std::pow(10.0, std::floor(std::log10(raw)));
	for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
		if (m * p >= raw * (1 - 1e-9))
			return m * p;
	return 10 * p;
}

int step_decimals(double step) {
	for (int d = 0; d < 6; ++d) {
		double scaled = step * std::pow(10.0, d);
		if (std::abs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled))
			return d;
	}
	return 6;
}

Ticks nice_ticks(double lo, double hi, int max_ticks) {
	if (!std::isfinite(lo) || !std::isfinite(hi))
		lo = 0, hi = 1;
	if (hi <= lo)
		hi = lo + (lo == 0 ? 1 : std::abs(lo) * 0.1);
	max_ticks = std::max(max_ticks, 1);
	Ticks t;
	t.step = nice_step((hi - lo) / max_ticks);
	// Rounding the ends outwards can add an interval: take the next step then.
	for (int i = 0; i < 4; ++i) {
		t.lo = std::floor(lo / t.step + 1e-9) * t.step;
		t.hi = std::ceil(hi / t.step - 1e-9) * t.step;
		if ((t.hi - t.lo) / t.step <= max_ticks + 0.5)
			break;
		t.step = nice_step(t.step * 1.01);
	}
	int n = static_cast<int>(std::lround((t.hi - t.lo) / t.step));
	for (int k = 0; k <= n; ++k)
		t.values.push_back(t.lo + k * t.step);
	return t;
}

} // namespace serversan::charts
