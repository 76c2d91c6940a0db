#include "serversan/server/bot/views/chart_callback.h"

#include <charconv>

#include <fmt/format.h>

namespace serversan::bot::views {

std::string chart_open_data(uint64_t server_id) {
	return fmt::format("{}:{}", kChartPrefix, server_id);
}

std::string chart_view_data(const ChartView& v) {
	return fmt::format("{}:{}:{}:{}:{}", kChartViewPrefix, v.server_id, charts::chart_kind_name(v.kind),
	                   charts::chart_range_name(v.range), v.theme == charts::Theme::dark ? 'd' : 'l');
}

std::optional<ChartView> parse_chart_view(std::string_view payload) {
	std::string_view f[4];
	for (int i = 0; i < 4; ++i) {
		size_t colon = payload.find(':');
		if ((colon == std::string_view::npos) != (i == 3))
			return std::nullopt;
		f[i] = payload.substr(0, colon);
		payload = colon == std::string_view::npos ? std::string_view{} : payload.substr(colon + 1);
	}
	ChartView v;
	auto [end, ec] = std::from_chars(f[0].data(), f[0].data() + f[0].size(), v.server_id);
	if (ec != std::errc{} || end != f[0].data() + f[0].size() || f[0].empty() || v.server_id == 0)
		return std::nullopt;
	auto kind = charts::chart_kind_from_name(f[1]);
	auto range = charts::chart_range_from_name(f[2]);
	if (!kind || !range || (f[3] != "l" && f[3] != "d"))
		return std::nullopt;
	v.kind = *kind;
	v.range = *range;
	v.theme = f[3] == "d" ? charts::Theme::dark : charts::Theme::light;
	return v;
}

} // namespace serversan::bot::views
