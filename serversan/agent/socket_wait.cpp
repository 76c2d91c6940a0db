#include "serversan/agent/socket_wait.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <poll.h>

#include <fmt/format.h>

namespace serversan::agent {

Wait wait_fd(int fd, short events, std::chrono::steady_clock::time_point deadline, int cancel_fd) {
	for (;;) {
		auto left =
		    std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now())
		        .count();
		if (left <= 0)
			return Wait::timeout;
		pollfd p[2] = {{fd, events, 0}, {cancel_fd, POLLIN, 0}};
		int r = ::poll(p, cancel_fd >= 0 ? 2 : 1, static_cast<int>(std::min<int64_t>(left + 1, 1 << 30)));
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return Wait::error;
		}
		if (r == 0)
			continue;
		if (cancel_fd >= 0 && (p[1].revents & POLLIN))
			return Wait::cancelled;
		if (p[0].revents)
			return Wait::ready;
	}
}

std::string wait_error(Wait w, std::string_view what, std::string_view peer) {
	switch (w) {
	case Wait::timeout:
		return fmt::format("{}: timed out talking to {}", what, peer);
	case Wait::cancelled:
		return fmt::format("{}: interrupted by a stop request", what);
	default:
		return fmt::format("{}: poll: {}", what, std::strerror(errno));
	}
}

} // namespace serversan::agent
