// The few numbers a one-line status is made of: shared with the web API (fleet/report_summary.h).
#pragma once

#include "serversan/server/fleet/report_summary.h"

namespace serversan::bot::views {

using fleet::counts_as_host_traffic;
using fleet::cpu_busy;
using fleet::is_hot;
using fleet::kHotPercent;
using fleet::ReportSummary;
using fleet::summarize;

} // namespace serversan::bot::views
