#include "serversan/agent/stop_signal.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <fcntl.h>
#include <poll.h>
#include <stdexcept>
#include <unistd.h>

namespace serversan::agent {

namespace {
std::atomic<int> g_write_fd{-1};
std::atomic<int> g_reload_fd{-1};

void poke(int fd) {
	if (fd >= 0) {
		char c = 1;
		[[maybe_unused]] ssize_t n = ::write(fd, &c, 1); // a full pipe already says "requested"
	}
}

extern "C" void on_stop_signal(int) {
	int saved = errno;
	poke(g_write_fd.load());
	errno = saved;
}

extern "C" void on_reload_signal(int) {
	int saved = errno;
	poke(g_reload_fd.load());
	errno = saved;
}

void make_pipe(int& r, int& w, const char* what) {
	int fds[2];
	if (::pipe2(fds, O_CLOEXEC | O_NONBLOCK) != 0)
		throw std::runtime_error(what);
	r = fds[0];
	w = fds[1];
}
} // namespace

StopSignal::StopSignal() {
	make_pipe(read_fd_, write_fd_, "cannot create the stop pipe");
	make_pipe(reload_read_fd_, reload_write_fd_, "cannot create the reload pipe");
}

StopSignal::~StopSignal() {
	if (g_write_fd.load() == write_fd_) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		g_write_fd.store(-1);
		g_reload_fd.store(-1);
	}
	for (int fd : {read_fd_, write_fd_, reload_read_fd_, reload_write_fd_})
		::close(fd);
}

void StopSignal::install() {
	g_write_fd.store(write_fd_);
	g_reload_fd.store(reload_write_fd_);
	struct sigaction sa {};
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; // no SA_RESTART: a blocking call returns EINTR, and the caller polls fd()
	sigaction(SIGTERM, &sa, nullptr);
	sigaction(SIGINT, &sa, nullptr);
	sa.sa_handler = on_reload_signal;
	sa.sa_flags = SA_RESTART; // a reload must not break a system call in flight
	sigaction(SIGHUP, &sa, nullptr);
	signal(SIGPIPE, SIG_IGN);
}

void StopSignal::request() {
	poke(write_fd_);
}

void StopSignal::request_reload() {
	poke(reload_write_fd_);
}

bool StopSignal::take_reload() {
	bool any = false;
	char buf[64];
	while (::read(reload_read_fd_, buf, sizeof buf) > 0)
		any = true;
	return any;
}

bool StopSignal::requested() const {
	pollfd p{read_fd_, POLLIN, 0};
	return ::poll(&p, 1, 0) > 0;
}

bool StopSignal::wait_for(std::chrono::duration<double> d) const {
	auto deadline =
	    std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::nanoseconds>(d);
	for (;;) {
		auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
		                                                                  std::chrono::steady_clock::now());
		int timeout = left.count() <= 0 ? 0 : static_cast<int>(std::min<int64_t>(left.count() + 1, 1 << 30));
		pollfd p[2] = {{read_fd_, POLLIN, 0}, {reload_read_fd_, POLLIN, 0}};
		int r = ::poll(p, 2, timeout);
		if (r > 0 && (p[0].revents & POLLIN))
			return true;
		if (r > 0)
			return false; // a reload request: the caller applies it and waits again
		if (r < 0 && errno == EINTR)
			continue;
		if (std::chrono::steady_clock::now() >= deadline)
			return false;
	}
}

} // namespace serversan::agent
