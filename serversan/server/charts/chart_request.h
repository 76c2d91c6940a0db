// What a person asks a chart for: one server, one kind of chart, one range, drawn in the chat's
// time zone and theme. Names are the ones /chart and its buttons use ("cpu", "24h"), short enough
// for 64-byte callback data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "serversan/server/charts/words.h"

namespace serversan::charts {

enum class ChartKind { cpu, memory, disk, io, network, load, temp };
enum class ChartRange { h1, h6, h24, d7, d30 };
enum class Theme { light, dark };

inline constexpr ChartKind kChartKinds[] = {ChartKind::cpu, ChartKind::memory,  ChartKind::disk,
                                            ChartKind::io,  ChartKind::network, ChartKind::load,
                                            ChartKind::temp};
inline constexpr ChartRange kChartRanges[] = {ChartRange::h1, ChartRange::h6, ChartRange::h24, ChartRange::d7,
                                              ChartRange::d30};

std::string_view chart_kind_name(ChartKind kind); // "cpu", "mem", "disk", "io", "net", "load", "temp"
std::optional<ChartKind> chart_kind_from_name(std::string_view name);
std::string_view chart_range_name(ChartRange range); // "1h", "6h", "24h", "7d", "30d"
std::optional<ChartRange> chart_range_from_name(std::string_view name);
int64_t chart_range_ms(ChartRange range);

// Pixels of the PNG; text and lines are sized for width / scale logical pixels, so the default
// (1280x720 at 2x) reads like a 640x360 picture on a phone's high-density screen.
struct ImageSize {
	int width = 1280, height = 720;
	double scale = 2;
};

struct ChartRequest {
	uint64_t server_id = 0;
	std::string server_name; // as the user named it: any UTF-8, any length (clipped when drawn)
	ChartKind kind = ChartKind::cpu;
	ChartRange range = ChartRange::h24;
	std::string device;    // a mount, disk, interface or sensor; empty: the server-wide chart
	std::string time_zone; // IANA name for the time axis; empty or unknown: UTC
	Theme theme = Theme::light;
	ImageSize size;
	int64_t now_ms = 0; // from the injected clock: the right edge of the chart
	Words words;        // the reader's language (words.h); empty: English
};

} // namespace serversan::charts
