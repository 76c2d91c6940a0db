#include "serversan/server/bot/views/chart_callback.h"

#include <charconv>

#include <fmt/format.h>

namespace serversan::bot::views {

std::string chart_open_data(uint64_t server_id) {
	return fmt::format("{}:{}", kChartPrefix, server_id);
}

std::string chart_view_data(const ChartView& v) {
	std::string out =
	    fmt::format("{}:{}:{}:{}:{}", kChartViewPrefix, v.server_id, charts::chart_kind_name(v.kind),
	                charts::chart_range_name(v.range), v.theme == charts::Theme::dark ? 'd' : 'l');
	if (v.device > 0)
		out += fmt::format(":{}", v.device);
	return out;
}

std::optional<ChartView> parse_chart_view(std::string_view payload) {
	std::string_view f[5];
	int n = 0;
	while (n < 5) {
		size_t colon = payload.find(':');
		f[n++] = payload.substr(0, colon);
		if (colon == std::string_view::npos)
			break;
		payload.remove_prefix(colon + 1);
		if (n == 5)
			return std::nullopt; // a sixth field
	}
	if (n < 4)
		return std::nullopt;
	auto number = [](std::string_view field, auto& out) {
		auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), out);
		return ec == std::errc{} && end == field.data() + field.size() && !field.empty();
	};
	ChartView v;
	if (!number(f[0], v.server_id) || v.server_id == 0)
		return std::nullopt;
	auto kind = charts::chart_kind_from_name(f[1]);
	auto range = charts::chart_range_from_name(f[2]);
	if (!kind || !range || (f[3] != "l" && f[3] != "d"))
		return std::nullopt;
	v.kind = *kind;
	v.range = *range;
	v.theme = f[3] == "d" ? charts::Theme::dark : charts::Theme::light;
	if (n == 5 && (!number(f[4], v.device) || v.device == 0 || v.device > kMaxChartDevices))
		return std::nullopt;
	return v;
}

} // namespace serversan::bot::views
