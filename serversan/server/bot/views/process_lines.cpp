#include "serversan/server/bot/views/process_lines.h"

#include <fmt/format.h>

#include "serversan/server/bot/views/agent_text.h"
#include "serversan/server/bot/views/units.h"

namespace serversan::bot::views {

std::vector<std::string> process_lines(std::span<const ProcessEntry> list, bool by_cpu, size_t max) {
	std::vector<std::string> out;
	for (const ProcessEntry& p : list) {
		if (out.size() >= max)
			break;
		if (by_cpu && p.cpu_percent.value_or(0) < 0.05)
			continue;
		std::string value;
		if (by_cpu)
			// Several cores can exceed 100 %, which format_percent clamps.
			value = !p.cpu_percent         ? "-"
			        : *p.cpu_percent > 100 ? fmt::format("{:.0f}%", *p.cpu_percent)
			                               : format_percent(*p.cpu_percent);
		else
			value = p.rss ? format_bytes(static_cast<double>(*p.rss)) : "-";
		out.push_back(fmt::format("{} · {} <i>{}</i>", value, agent_text(p.name, kLabelChars), p.pid));
	}
	return out;
}

} // namespace serversan::bot::views
