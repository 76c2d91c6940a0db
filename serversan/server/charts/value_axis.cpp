#include "serversan/server/charts/value_axis.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "serversan/core/units.h"

namespace serversan::charts {

namespace {

constexpr std::array<const char*, 6> kByteUnits = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

// A tick's number with the decimals the step needs, without trailing zeros: "0", "0.025",
// "0.05", "2.5", "10".
std::string number(double v, int decimals) {
	if (std::abs(v) < 1e-12)
		v = 0; // never "-0"
	std::string s = fmt::format("{:.{}f}", v, decimals);
	if (s.find('.') != std::string::npos) {
		while (s.back() == '0')
			s.pop_back();
		if (s.back() == '.')
			s.pop_back();
	}
	return s;
}

} // namespace

ValueAxis value_axis(Unit unit, double data_min, double data_max, int max_ticks) {
	ValueAxis a;
	a.unit = unit;
	if (!std::isfinite(data_min) || !std::isfinite(data_max) || data_max < data_min)
		data_min = data_max = 0;
	double lo = 0, hi = std::max(data_max, 0.0);
	switch (unit) {
	case Unit::percent:
		// Through a string_view: GCC 12's -Wrestrict misfires on assigning these short literals.
		a.suffix = std::string(std::string_view("%"));
		// Above half the scale, the whole scale: 0..100 reads as "how full" at a glance.
		hi = hi > 50 ? 100 : std::max(hi, 0.1);
		break;
	case Unit::bytes:
	case Unit::bytes_per_s: {
		size_t u = 0;
		while (u + 1 < kByteUnits.size() && hi / a.divisor >= 1024) {
			a.divisor *= 1024;
			++u;
		}
		a.suffix = fmt::format(" {}{}", kByteUnits[u], unit == Unit::bytes_per_s ? "/s" : "");
		// At least a few units of height, so a flat zero stays readable; never fractions of a byte.
		hi = std::max(hi, a.divisor == 1 ? 5.0 : a.divisor);
		break;
	}
	case Unit::celsius:
		a.suffix = std::string(std::string_view(" °C"));
		lo = std::max(0.0, std::floor((data_min - 5) / 10) * 10);
		hi = std::max(hi, lo + 10);
		break;
	case Unit::plain:
		hi = std::max(hi, 1.0);
		break;
	}
	Ticks t = nice_ticks(lo / a.divisor, hi / a.divisor, max_ticks);
	if (unit == Unit::percent)
		t.hi = std::min(t.hi, 100.0), t.values.erase(std::remove_if(t.values.begin(), t.values.end(),
		                                                            [](double v) { return v > 100 + 1e-9; }),
		                                             t.values.end());
	int decimals = step_decimals(t.step);
	for (double v : t.values)
		a.labels.push_back(fmt::format("{}{}", number(v, decimals), a.suffix));
	a.ticks.step = t.step * a.divisor;
	a.ticks.lo = t.lo * a.divisor;
	a.ticks.hi = t.hi * a.divisor;
	for (double v : t.values)
		a.ticks.values.push_back(v * a.divisor);
	return a;
}

std::string format_value(Unit unit, double v) {
	switch (unit) {
	case Unit::percent:
		return format_percent(v);
	case Unit::bytes:
		return format_bytes(v);
	case Unit::bytes_per_s:
		return format_rate(v);
	case Unit::celsius:
		return fmt::format("{:.0f} °C", v);
	case Unit::plain:
		return format_load(v);
	}
	return "?";
}

} // namespace serversan::charts
