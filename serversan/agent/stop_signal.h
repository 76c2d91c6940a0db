// StopSignal: SIGTERM and SIGINT ask the agent to stop. The handler only writes a byte to a
// pipe; everything that waits (the interval sleep, network I/O) polls that pipe's read end
// too, so a stop request ends any wait at once instead of after the interval or a timeout.
//
// One instance per process (it owns the signal handlers); install() before waiting.
#pragma once

#include <chrono>

namespace serversan::agent {

class StopSignal {
public:
	StopSignal();
	~StopSignal();
	StopSignal(const StopSignal&) = delete;
	StopSignal& operator=(const StopSignal&) = delete;

	// Routes SIGTERM and SIGINT here (and ignores SIGPIPE: a closed socket is an error value).
	void install();

	// Stops as if a signal had arrived (tests, fatal errors).
	void request();
	bool requested() const;

	// Sleeps up to `d`; true if a stop was requested (before or during the wait).
	bool wait_for(std::chrono::duration<double> d) const;

	// Readable once a stop was requested; never drained. -1 if the pipe could not be made.
	int fd() const { return read_fd_; }

private:
	int read_fd_ = -1;
	int write_fd_ = -1;
};

} // namespace serversan::agent
