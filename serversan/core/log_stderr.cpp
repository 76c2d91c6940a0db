// Lean log backend (agent): one line per message on stderr, ISO-8601 UTC time, level, text.
// stderr is unbuffered and each line goes out in one write(2), so lines from threads never mix.
#include <atomic>
#include <ctime>
#include <string>
#include <unistd.h>

#include "serversan/core/log.h"

namespace serversan::log {

namespace {
std::atomic<Level> g_level{Level::info};
}

void set_level(Level lvl) {
	g_level.store(lvl, std::memory_order_relaxed);
}
Level level() {
	return g_level.load(std::memory_order_relaxed);
}

void write(Level lvl, std::string_view message) {
	timespec ts{};
	clock_gettime(CLOCK_REALTIME, &ts);
	tm utc{};
	gmtime_r(&ts.tv_sec, &utc);
	char stamp[32];
	size_t n = strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
	std::string line;
	line.reserve(n + message.size() + 24);
	line.append(stamp, n);
	line += fmt::format(".{:03d}Z {} ", static_cast<int>(ts.tv_nsec / 1'000'000), level_name(lvl));
	line.append(message);
	line.push_back('\n');
	const char* p = line.data();
	size_t left = line.size();
	while (left > 0) {
		ssize_t w = ::write(STDERR_FILENO, p, left);
		if (w <= 0)
			return;
		p += w;
		left -= static_cast<size_t>(w);
	}
}

} // namespace serversan::log
