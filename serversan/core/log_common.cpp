#include "serversan/core/log.h"

namespace serversan::log {

bool parse_level(std::string_view text, Level& out) {
	static constexpr std::pair<std::string_view, Level> names[] = {
	    {"debug", Level::debug},  {"info", Level::info},   {"warn", Level::warn},
	    {"warning", Level::warn}, {"error", Level::error}, {"off", Level::off}};
	for (const auto& [name, lvl] : names) {
		if (name == text) {
			out = lvl;
			return true;
		}
	}
	return false;
}

std::string_view level_name(Level level) {
	switch (level) {
	case Level::debug:
		return "debug";
	case Level::info:
		return "info";
	case Level::warn:
		return "warn";
	case Level::error:
		return "error";
	case Level::off:
		return "off";
	}
	return "?";
}

} // namespace serversan::log
