#include "serversan/agent/stop_signal.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <unistd.h>

namespace serversan::agent {

namespace {
std::atomic<int> g_write_fd{-1};

extern "C" void on_stop_signal(int) {
	int saved = errno;
	int fd = g_write_fd.load();
	if (fd >= 0) {
		char c = 1;
		[[maybe_unused]] ssize_t n = ::write(fd, &c, 1);
	}
	errno = saved;
}
} // namespace

StopSignal::StopSignal() {
	int fds[2];
	if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0)
		throw std::runtime_error("cannot create the stop pipe");
	read_fd_ = fds[0];
	write_fd_ = fds[1];
}

StopSignal::~StopSignal() {
	if (g_write_fd.load() == write_fd_) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		g_write_fd.store(-1);
	}
	::close(read_fd_);
	::close(write_fd_);
}

void StopSignal::install() {
	g_write_fd.store(write_fd_);
	struct sigaction sa {};
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; // no SA_RESTART: a blocking call returns EINTR, and the caller polls fd()
	sigaction(SIGTERM, &sa, nullptr);
	sigaction(SIGINT, &sa, nullptr);
	signal(SIGPIPE, SIG_IGN);
}

void StopSignal::request() {
	char c = 1;
	[[maybe_unused]] ssize_t n = ::write(write_fd_, &c, 1);
}

bool StopSignal::requested() const {
	return wait_for(std::chrono::duration<double>(0));
}

bool StopSignal::wait_for(std::chrono::duration<double> d) const {
	auto deadline =
	    std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::nanoseconds>(d);
	for (;;) {
		auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
		                                                                  std::chrono::steady_clock::now());
		int timeout = left.count() <= 0 ? 0 : static_cast<int>(std::min<int64_t>(left.count() + 1, 1 << 30));
		pollfd p{read_fd_, POLLIN, 0};
		int r = ::poll(&p, 1, timeout);
		if (r > 0)
			return true;
		if (r < 0 && errno == EINTR)
			continue;
		if (std::chrono::steady_clock::now() >= deadline)
			return false;
	}
}

} // namespace serversan::agent
