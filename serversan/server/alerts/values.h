// The values one report gives each alert kind (rule_catalog.h), the input of the evaluator.
// Server-wide kinds give at most one value; per-device kinds one per device (each mount,
// interface, disk, sensor), never a sum. Absent stays absent: a kind the report does not carry
// gives nothing, never a made-up zero. Skipped as the views skip them: the loopback interface
// and filesystems that are not storage (memory-backed, pseudo, read-only images).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "serversan/core/report.h"
#include "serversan/server/alerts/rule_catalog.h"

namespace serversan::alerts {

struct KindValue {
	const AlertKind* kind = nullptr;
	std::string_view device; // points into the report; empty for server-wide kinds
	double value = 0;
};

// Appends to out (cleared first). cores: the server's logical CPUs, the newest known (a report
// carries host facts only now and then); without it load.per_core is absent. offline has no
// value in a report and is never given.
void report_values(const Report& r, std::optional<uint32_t> cores, std::vector<KindValue>& out);

// Filesystem types that hold no user data worth an alert (the agent skips most already; a
// server must not trust that).
bool is_pseudo_filesystem(std::string_view type);

} // namespace serversan::alerts
