// spdlog backend of core/log.h (server): one process-wide logger on stderr.
#include "serversan/core/log.h"

#include <atomic>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace serversan::log {

namespace {
std::atomic<Level> g_level{Level::info};

spdlog::logger& logger() {
	static auto l = [] {
		auto lg = spdlog::stderr_color_mt("serversan");
		lg->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v", spdlog::pattern_time_type::utc);
		lg->set_level(spdlog::level::trace);
		return lg;
	}();
	return *l;
}

spdlog::level::level_enum to_spdlog(Level l) {
	switch (l) {
	case Level::debug:
		return spdlog::level::debug;
	case Level::info:
		return spdlog::level::info;
	case Level::warn:
		return spdlog::level::warn;
	case Level::error:
		return spdlog::level::err;
	case Level::off:
		return spdlog::level::off;
	}
	return spdlog::level::info;
}
} // namespace

void set_level(Level lvl) {
	g_level.store(lvl, std::memory_order_relaxed);
}
Level level() {
	return g_level.load(std::memory_order_relaxed);
}

void write(Level lvl, std::string_view message) {
	logger().log(to_spdlog(lvl), "{}", message);
}

} // namespace serversan::log
