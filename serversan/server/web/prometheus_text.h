// The fleet in Prometheus' text exposition format (version 0.0.4): every owned server's latest
// values, named after node_exporter where it has the same quantity and unit, serversan_* where
// it has none. Labels: server (its name), mount, iface, device, sensor. ServerSan stores rates,
// not counters, so traffic and disk I/O are gauges in bytes per second (serversan_*_per_second);
// node_network_*_bytes_total is there too when the agent sent its counters. CPU busy is a ratio
// 0-1 (serversan_cpu_busy_ratio), as node_exporter's ratios are. An offline server gives only
// serversan_up 0 and its last-seen time: its old values would draw as a flat, wrong line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "serversan/server/web/server_json.h"

namespace serversan::web {

// A label value escaped: backslash, double quote and line feed.
std::string escape_label_value(std::string_view value);
std::string prometheus_text(const std::vector<ServerView>& servers, int64_t now_ms);

} // namespace serversan::web
