// Waiting on a non-blocking socket with a deadline and a cancel descriptor: the one primitive
// under every network step of the agent (connect, TLS handshake, write, read), so that each step
// has a time-out and a stop request (the stop pipe becoming readable) ends any of them at once.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace serversan::agent {

enum class Wait { ready, timeout, cancelled, error };

// Waits until fd is ready for `events` (POLLIN, POLLOUT), the deadline passes, or cancel_fd
// (if >= 0) becomes readable. Retries on EINTR.
Wait wait_fd(int fd, short events, std::chrono::steady_clock::time_point deadline, int cancel_fd);

// "<what>: timed out talking to <peer>", "<what>: interrupted by a stop request", ...
std::string wait_error(Wait w, std::string_view what, std::string_view peer);

} // namespace serversan::agent
