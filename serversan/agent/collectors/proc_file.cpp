#include "serversan/agent/collectors/proc_file.h"

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <fcntl.h>
#include <linux/magic.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <fmt/format.h>

#include "serversan/agent/collectors/text.h"

namespace serversan::agent {

ProcFile::ProcFile(ProcFile&& other) noexcept
    : path_(std::move(other.path_)), fd_(other.fd_), pollable_(other.pollable_), buf_(std::move(other.buf_)) {
	other.fd_ = -1;
}

ProcFile& ProcFile::operator=(ProcFile&& other) noexcept {
	if (this != &other) {
		close();
		path_ = std::move(other.path_);
		fd_ = other.fd_;
		pollable_ = other.pollable_;
		buf_ = std::move(other.buf_);
		other.fd_ = -1;
	}
	return *this;
}

ProcFile::~ProcFile() {
	close();
}

void ProcFile::close() {
	if (fd_ >= 0)
		::close(fd_);
	fd_ = -1;
}

bool ProcFile::open() {
	fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd_ < 0)
		return false;
	struct statfs fs {};
	pollable_ = ::fstatfs(fd_, &fs) == 0 && fs.f_type == PROC_SUPER_MAGIC;
	return true;
}

Result<std::string_view> ProcFile::read(size_t max_bytes) {
	if (fd_ < 0 && !open())
		return Err(fmt::format("{}: {}", path_, std::strerror(errno)));
	// Start small: most of these files are a few dozen bytes (loadavg, uptime, every sensor's
	// temp*_input), and each ProcFile keeps its buffer; the big ones grow it once, then keep it.
	if (buf_.size() < 256)
		buf_.resize(256);
	size_t len = 0;
	while (len < max_bytes) {
		if (len == buf_.size())
			buf_.resize(std::min(max_bytes, buf_.size() * 2));
		size_t want = std::min(buf_.size(), max_bytes) - len;
		ssize_t n = ::pread(fd_, buf_.data() + len, want, static_cast<off_t>(len));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close();
			return Err(fmt::format("{}: {}", path_, std::strerror(e)));
		}
		// A short read is not the end: seq_file files (mountinfo, diskstats, net/dev) hand out
		// about a page per call whatever the request. Only 0 is.
		if (n == 0)
			break;
		len += static_cast<size_t>(n);
	}
	return std::string_view(buf_.data(), len);
}

bool ProcFile::changed() {
	if (fd_ < 0 || !pollable_)
		return true;
	// The mount table always polls readable; a change in it adds POLLPRI | POLLERR, once.
	pollfd p{fd_, POLLPRI, 0};
	if (::poll(&p, 1, 0) < 0)
		return true;
	return (p.revents & (POLLPRI | POLLERR | POLLNVAL)) != 0;
}

PidDirectory::PidDirectory(PidDirectory&& other) noexcept
    : path_(std::move(other.path_)), fd_(other.fd_), buf_(std::move(other.buf_)) {
	other.fd_ = -1;
}

PidDirectory& PidDirectory::operator=(PidDirectory&& other) noexcept {
	if (this != &other) {
		close();
		path_ = std::move(other.path_);
		fd_ = other.fd_;
		buf_ = std::move(other.buf_);
		other.fd_ = -1;
	}
	return *this;
}

PidDirectory::~PidDirectory() {
	close();
}

void PidDirectory::close() {
	if (fd_ >= 0)
		::close(fd_);
	fd_ = -1;
}

namespace {
// The kernel's struct linux_dirent64, read field by field (the buffer has no alignment promise).
struct Dirent64Header {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
};
} // namespace

Result<void> PidDirectory::list(std::vector<uint32_t>& pids) {
	pids.clear();
	if (fd_ < 0) {
		fd_ = ::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fd_ < 0)
			return Err(fmt::format("{}: {}", path_, std::strerror(errno)));
	} else if (::lseek(fd_, 0, SEEK_SET) < 0) {
		int e = errno;
		close();
		return Err(fmt::format("{}: {}", path_, std::strerror(e)));
	}
	constexpr size_t kBufferBytes = 32 << 10;
	if (!buf_)
		buf_.reset(new char[kBufferBytes]);
	for (;;) {
		long n = ::syscall(SYS_getdents64, fd_, buf_.get(), kBufferBytes);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close();
			return Err(fmt::format("{}: {}", path_, std::strerror(e)));
		}
		if (n == 0)
			break;
		for (long pos = 0; pos < n;) {
			Dirent64Header h;
			std::memcpy(&h, buf_.get() + pos, sizeof h);
			constexpr size_t name_at = offsetof(Dirent64Header, type) + 1;
			if (h.reclen <= name_at || pos + h.reclen > n)
				break;
			const char* name = buf_.get() + pos + name_at;
			if (name[0] >= '1' && name[0] <= '9') {
				auto pid = to_u64(std::string_view(name, ::strnlen(name, h.reclen - name_at)));
				if (pid && *pid <= UINT32_MAX)
					pids.push_back(static_cast<uint32_t>(*pid));
			}
			pos += h.reclen;
		}
	}
	if (!std::is_sorted(pids.begin(), pids.end()))
		std::sort(pids.begin(), pids.end());
	return Ok();
}

} // namespace serversan::agent
