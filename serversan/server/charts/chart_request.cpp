#include "serversan/server/charts/chart_request.h"

#include <array>
#include <utility>

#include "serversan/server/store/store.h"

namespace serversan::charts {

namespace {

constexpr std::array<std::pair<ChartKind, std::string_view>, 7> kKindNames = {{
    {ChartKind::cpu, "cpu"},
    {ChartKind::memory, "mem"},
    {ChartKind::disk, "disk"},
    {ChartKind::io, "io"},
    {ChartKind::network, "net"},
    {ChartKind::load, "load"},
    {ChartKind::temp, "temp"},
}};

struct RangeName {
	ChartRange range;
	std::string_view name;
	int64_t ms;
};
constexpr std::array<RangeName, 5> kRangeNames = {{
    {ChartRange::h1, "1h", store::kHourMs},
    {ChartRange::h6, "6h", 6 * store::kHourMs},
    {ChartRange::h24, "24h", store::kDayMs},
    {ChartRange::d7, "7d", 7 * store::kDayMs},
    {ChartRange::d30, "30d", 30 * store::kDayMs},
}};

} // namespace

std::string_view chart_kind_name(ChartKind kind) {
	for (const auto& [k, name] : kKindNames)
		if (k == kind)
			return name;
	return "cpu";
}

std::optional<ChartKind> chart_kind_from_name(std::string_view name) {
	for (const auto& [k, n] : kKindNames)
		if (n == name)
			return k;
	return std::nullopt;
}

std::string_view chart_range_name(ChartRange range) {
	for (const auto& r : kRangeNames)
		if (r.range == range)
			return r.name;
	return "24h";
}

std::optional<ChartRange> chart_range_from_name(std::string_view name) {
	for (const auto& r : kRangeNames)
		if (r.name == name)
			return r.range;
	return std::nullopt;
}

int64_t chart_range_ms(ChartRange range) {
	for (const auto& r : kRangeNames)
		if (r.range == range)
			return r.ms;
	return store::kDayMs;
}

} // namespace serversan::charts
