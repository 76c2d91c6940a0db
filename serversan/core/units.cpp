#include "serversan/core/units.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

namespace serversan {

namespace {

constexpr std::array<const char*, 6> kUnits = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

// Scales bytes down by 1024 until it is below 1024 (or the largest unit), rounding first so that
// 1023.99 KiB shows as "1.0 MiB", never as "1024 KiB".
struct Scaled {
	double value;
	size_t unit;
};
Scaled scale(double bytes) {
	double v = std::max(0.0, bytes);
	size_t u = 0;
	auto rounded = [](double x) { return x < 100 ? std::round(x * 10) / 10 : std::round(x); };
	while (u + 1 < kUnits.size() && rounded(v) >= 1024) {
		v /= 1024;
		++u;
	}
	return {v, u};
}

// One decimal below 100, none above: "7.8", "51.3", "394".
std::string three_digits(double v) {
	return v < 99.95 ? fmt::format("{:.1f}", v) : fmt::format("{:.0f}", v);
}

std::string format_percent_number(double percent) {
	if (!std::isfinite(percent))
		return "?";
	double p = std::clamp(percent, 0.0, 100.0);
	if (p >= 0.05 && p < 9.95)
		return fmt::format("{:.1f}", p);
	return fmt::format("{:.0f}", p);
}

} // namespace

std::string format_bytes(double bytes) {
	if (!std::isfinite(bytes))
		return "?";
	Scaled s = scale(bytes);
	if (s.unit == 0)
		return fmt::format("{:.0f} B", s.value);
	return three_digits(s.value) + " " + kUnits[s.unit];
}

std::string format_rate(double bytes_per_s) {
	return format_bytes(bytes_per_s) + "/s";
}

std::string format_bytes_compact(double bytes) {
	if (!std::isfinite(bytes))
		return "?";
	Scaled s = scale(bytes);
	char unit = "BKMGTP"[s.unit];
	if (s.unit > 0 && s.value < 9.95)
		return fmt::format("{:.1f}{}", s.value, unit);
	return fmt::format("{:.0f}{}", s.value, unit);
}

std::string format_percent(double percent) {
	if (!std::isfinite(percent))
		return "?";
	return format_percent_number(percent) + "%";
}

std::string format_load(double load) {
	if (!std::isfinite(load))
		return "?";
	double l = std::max(0.0, load);
	if (l < 9.995)
		return fmt::format("{:.2f}", l);
	if (l < 99.95)
		return fmt::format("{:.1f}", l);
	return fmt::format("{:.0f}", l);
}

std::string format_count(uint64_t n) {
	std::string digits = std::to_string(n);
	std::string out;
	out.reserve(digits.size() + digits.size() / 3);
	for (size_t i = 0; i < digits.size(); ++i) {
		if (i > 0 && (digits.size() - i) % 3 == 0)
			out += ',';
		out += digits[i];
	}
	return out;
}

double percent_of(uint64_t used, uint64_t total) {
	if (total == 0)
		return 0;
	return std::clamp(100.0 * static_cast<double>(used) / static_cast<double>(total), 0.0, 100.0);
}

} // namespace serversan
