// A request -> the chart's data from the store: which metrics each kind of chart shows, as which
// layers, read from the roll-up tier that fits the range in about one point per pixel
// (store::Store::series picks it). Ownership is not checked here: callers ask bot/access.h (or
// the web's session check) before they ask for a server's chart.
//
//   cpu   user, system, iowait, steal stacked (%)
//   mem   RAM used (area) and swap used, the RAM size as a line (bytes)
//   disk  each filesystem's use (%); with a device, that filesystem's bytes used and size
//   io    disk read and write (bytes/s): all disks, or one
//   net   in and out (bytes/s): all interfaces but lo, or one
//   load  1 and 15 minutes, the core count as a line
//   temp  each sensor (°C), or one
#pragma once

#include "serversan/core/result.h"
#include "serversan/server/charts/chart_data.h"
#include "serversan/server/charts/chart_request.h"
#include "serversan/server/store/store.h"

namespace serversan::charts {

// Filesystems and sensors drawn at most on one chart (the legend's two rows).
inline constexpr size_t kMaxDeviceLayers = 6;

Result<ChartData> load_chart(store::Store& store, const ChartRequest& request);

// The devices one kind of chart can be drawn for alone (ChartRequest::device), by name: the
// filesystems (disk), disks (io), interfaces but lo (net) or sensors (temp) seen since from_ms;
// none for cpu, mem and load.
Result<std::vector<std::string>> chart_devices(store::Store& store, uint64_t server_id, ChartKind kind,
                                               int64_t from_ms);

// The last hour of one metric for an alert message's sparkline, with the rule's threshold.
struct SparklineRequest {
	uint64_t server_id = 0;
	std::string metric; // a metric_catalog() name
	std::string device;
	std::string title; // what the alert is about, in the reader's language; empty: metric and device
	std::optional<double> threshold;
	int64_t now_ms = 0;
	int64_t span_ms = store::kHourMs;
	Words words; // the reader's language (words.h); empty: English
};
Result<ChartData> load_sparkline(store::Store& store, const SparklineRequest& request);

} // namespace serversan::charts
