// StopSignal: SIGTERM and SIGINT ask the agent to stop; SIGHUP asks it to reload its
// configuration. The handlers only write a byte to a pipe; everything that waits (the interval
// sleep, network I/O) polls the stop pipe's read end too, so a stop request ends any wait at once
// instead of after the interval or a timeout. A reload request ends the interval sleep (not a
// network exchange) so that the main loop applies it promptly.
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

	// Routes SIGTERM, SIGINT and SIGHUP here (and ignores SIGPIPE: a closed socket is an error
	// value).
	void install();

	// Stops as if a signal had arrived (tests, fatal errors).
	void request();
	bool requested() const;

	// As if SIGHUP had arrived.
	void request_reload();
	// True (once) if a reload was requested since the last call.
	bool take_reload();

	// Sleeps up to `d`; true if a stop was requested (before or during the wait). Returns false
	// early when a reload is requested (check take_reload()).
	bool wait_for(std::chrono::duration<double> d) const;

	// Readable once a stop was requested; never drained. -1 if the pipe could not be made.
	int fd() const { return read_fd_; }

private:
	int read_fd_ = -1;
	int write_fd_ = -1;
	int reload_read_fd_ = -1;
	int reload_write_fd_ = -1;
};

} // namespace serversan::agent
