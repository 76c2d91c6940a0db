#include "serversan/agent/collectors/uptime.h"

#include <cmath>

#include "serversan/agent/collectors/text.h"

namespace serversan::agent {

std::optional<uint64_t> parse_uptime(std::string_view text) {
	std::string_view rest = trim(text);
	std::string_view first = next_field(rest);
	if (first.empty())
		return std::nullopt;
	auto v = to_double(first);
	if (!v || *v < 0 || *v > 1e15)
		return std::nullopt;
	return static_cast<uint64_t>(std::floor(*v));
}

Result<std::optional<uint64_t>> collect_uptime(const std::string& proc_root) {
	auto text = read_text_file(join_path(proc_root, "uptime"));
	if (!text)
		return text.error();
	return parse_uptime(*text);
}

} // namespace serversan::agent
