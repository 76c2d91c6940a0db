// The /chart buttons' callback data: "ch:<id>" sends a new chart message (from a server pick or
// the /stat view's Chart button); "cv:<id>:<kind>:<range>:<l|d>[:<n>]" switches the chart, range,
// theme or device (n: the n-th of charts::chart_devices, by number so a long mount point never
// overflows the 64 bytes) of a chart message in place. Parsing only reads the fields; whether the chat may
// see that server is the access check's job (callback data comes from the client and is never trusted).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "serversan/server/charts/chart_request.h"

namespace serversan::bot::views {

inline constexpr std::string_view kChartPrefix = "ch";
inline constexpr std::string_view kChartViewPrefix = "cv";
inline constexpr uint32_t kMaxChartDevices = 9999;

struct ChartView {
	uint64_t server_id = 0;
	charts::ChartKind kind = charts::ChartKind::cpu;
	charts::ChartRange range = charts::ChartRange::h24;
	charts::Theme theme = charts::Theme::light;
	uint32_t device = 0; // 0: the whole server; n: the n-th device of the kind (from 1)
	bool operator==(const ChartView&) const = default;
};

// "ch:<id>": a new chart message for the server (CPU, 24 hours).
std::string chart_open_data(uint64_t server_id);
// At most 42 bytes (a 20-digit id, a 4-digit device): well within Telegram's 64.
std::string chart_view_data(const ChartView& v);
// The payload after "cv:" ("<id>:<kind>:<range>:<l|d>[:<n>]"), or nothing if any field is not one of ours.
std::optional<ChartView> parse_chart_view(std::string_view payload);

} // namespace serversan::bot::views
