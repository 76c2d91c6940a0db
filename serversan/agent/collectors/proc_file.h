// ProcFile: a kernel text file (procfs, sysfs) kept open and re-read from offset 0 with pread.
// procfs and sysfs generate the content anew on every read from offset 0, so re-reading an open
// descriptor sees fresh values and saves the path lookup, open and close of every round (about a
// third of the cost of a small /proc file). The buffer keeps its capacity, so a steady round
// allocates nothing.
//
// A failed open or read is an Error naming the path; the descriptor is then closed and the next
// read() tries to open the file again (a sensor that came back, a remounted /proc). Not
// thread-safe; move-only.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/core/result.h"

namespace serversan::agent {

class ProcFile {
public:
	ProcFile() = default;
	explicit ProcFile(std::string path) : path_(std::move(path)) {}
	ProcFile(ProcFile&& other) noexcept;
	ProcFile& operator=(ProcFile&& other) noexcept;
	ProcFile(const ProcFile&) = delete;
	ProcFile& operator=(const ProcFile&) = delete;
	~ProcFile();

	// The whole file (at most max_bytes), valid until the next read() or the object's end.
	Result<std::string_view> read(size_t max_bytes = 4 << 20);

	// For files the kernel makes pollable (/proc/self/mountinfo): true if the content may have
	// changed since the last call (always true for a file that is not on procfs, e.g. a fixture,
	// and for one not opened yet). Each change is reported once.
	bool changed();

	const std::string& path() const { return path_; }
	bool is_open() const { return fd_ >= 0; }
	void close();

private:
	bool open();

	std::string path_;
	int fd_ = -1;
	bool pollable_ = false;
	std::string buf_; // its size is the capacity in use; the content length is returned by read()
};

// The numeric entries (pids) of a /proc directory, listed with getdents64 on a descriptor kept
// open, into a vector that keeps its capacity. Ascending order (procfs lists pids in order; other
// directories, e.g. fixtures, are sorted).
class PidDirectory {
public:
	PidDirectory() = default;
	explicit PidDirectory(std::string path) : path_(std::move(path)) {}
	PidDirectory(PidDirectory&& other) noexcept;
	PidDirectory& operator=(PidDirectory&& other) noexcept;
	PidDirectory(const PidDirectory&) = delete;
	PidDirectory& operator=(const PidDirectory&) = delete;
	~PidDirectory();

	Result<void> list(std::vector<uint32_t>& pids);
	// The directory's descriptor (for openat), -1 before a successful list().
	int fd() const { return fd_; }
	const std::string& path() const { return path_; }

private:
	void close();

	std::string path_;
	int fd_ = -1;
	// Allocated uninitialised: getdents64 writes a few kilobytes on most hosts, and only the
	// pages it writes become resident (a zero-filled buffer would be resident whole).
	std::unique_ptr<char[]> buf_;
};

} // namespace serversan::agent
