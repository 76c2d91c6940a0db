#include "test/unit/web/log_capture.h"

#include <atomic>
#include <mutex>

#include "serversan/core/log.h"

namespace {
std::mutex mu;
std::string lines;
std::atomic<serversan::log::Level> current{serversan::log::Level::debug};
} // namespace

namespace serversan::log {

void write(Level, std::string_view message) {
	std::lock_guard lock(mu);
	lines.append(message);
	lines.push_back('\n');
}
void set_level(Level lvl) {
	current = lvl;
}
Level level() {
	return current;
}

} // namespace serversan::log

namespace serversan::testing {

std::string captured_log() {
	std::lock_guard lock(mu);
	return lines;
}
void clear_captured_log() {
	std::lock_guard lock(mu);
	lines.clear();
}

} // namespace serversan::testing
