// Top processes as lines for a chat message, one per process: "45% · nginx 1234" (by CPU) or
// "1.2 GiB · mysqld 812" (by memory). The /stat view and the alert messages show them alike.
// Processes at 0 % tell nothing on an idle machine: the CPU list keeps only busy ones. Names are
// the agent's: clipped and escaped (agent_text.h).
#pragma once

#include <span>
#include <string>
#include <vector>

#include "serversan/core/report.h"

namespace serversan::bot::views {

std::vector<std::string> process_lines(std::span<const ProcessEntry> list, bool by_cpu, size_t max);

} // namespace serversan::bot::views
