// Logging facade. Call sites format with fmt; where the line goes is chosen at link time:
// the server links log_spdlog (spdlog sinks, rotation), the agent links log_stderr (a few
// hundred bytes of code, no spdlog, so the agent can be fully static and small).
//
// Never pass a secret (token, signing key, HMAC) to a log call: there is no redaction layer,
// by design, so that a secret has no path into a log at all.
#pragma once

#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace serversan::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3, off = 4 };

// Implemented by the linked backend.
void write(Level level, std::string_view message);
void set_level(Level level);
Level level();

// Parses "debug", "info", "warn", "error", "off"; false if unknown.
bool parse_level(std::string_view text, Level& out);
std::string_view level_name(Level level);

template <typename... Args>
void debug(fmt::format_string<Args...> f, Args&&... args) {
	if (level() <= Level::debug)
		write(Level::debug, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void info(fmt::format_string<Args...> f, Args&&... args) {
	if (level() <= Level::info)
		write(Level::info, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void warn(fmt::format_string<Args...> f, Args&&... args) {
	if (level() <= Level::warn)
		write(Level::warn, fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
void error(fmt::format_string<Args...> f, Args&&... args) {
	if (level() <= Level::error)
		write(Level::error, fmt::format(f, std::forward<Args>(args)...));
}

} // namespace serversan::log
