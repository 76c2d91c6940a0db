#include "serversan/agent/collectors/sessions.h"

#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include "serversan/agent/collectors/text.h"

namespace serversan::agent {

namespace {

// The on-disk record (glibc's struct utmp on Linux, bits/utmp.h).
struct UtmpRecord {
	int16_t ut_type;
	int16_t pad;
	int32_t ut_pid;
	char ut_line[32];
	char ut_id[4];
	char ut_user[32];
	char ut_host[256];
	int16_t e_termination, e_exit;
	int32_t ut_session;
	int32_t tv_sec, tv_usec;
	int32_t ut_addr_v6[4];
	char unused[20];
};
static_assert(sizeof(UtmpRecord) == 384);
constexpr int16_t kUserProcess = 7;

} // namespace

uint64_t count_utmp_sessions(std::string_view bytes) {
	uint64_t n = 0;
	for (size_t pos = 0; pos + sizeof(UtmpRecord) <= bytes.size(); pos += sizeof(UtmpRecord)) {
		UtmpRecord r;
		std::memcpy(&r, bytes.data() + pos, sizeof r);
		if (r.ut_type == kUserProcess && r.ut_user[0] != '\0')
			++n;
	}
	return n;
}

SessionCollector::SessionCollector(const HostPaths& paths)
    // <root>/run first: /var/run is usually a symlink to the absolute /run, which under another
    // root would lead to the agent's own /run.
    : utmp_{join_path(paths.root, "run/utmp"), join_path(paths.root, "var/run/utmp")},
      logind_(join_path(paths.root, "run/systemd/sessions")) {}

std::optional<uint64_t> SessionCollector::from_utmp(const std::string& path) {
	int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return std::nullopt;
	if (buf_.size() < 64 * sizeof(UtmpRecord))
		buf_.resize(64 * sizeof(UtmpRecord));
	size_t len = 0;
	for (;;) {
		if (len == buf_.size()) {
			if (buf_.size() >= (4 << 20))
				break;
			buf_.resize(buf_.size() * 2);
		}
		ssize_t n = ::read(fd, buf_.data() + len, buf_.size() - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += static_cast<size_t>(n);
	}
	::close(fd);
	return count_utmp_sessions(std::string_view(buf_.data(), len));
}

std::optional<uint64_t> SessionCollector::from_logind() {
	DIR* d = ::opendir(logind_.c_str());
	if (!d)
		return std::nullopt;
	uint64_t n = 0;
	while (dirent* e = ::readdir(d)) {
		std::string_view name = e->d_name;
		if (name.empty() || name[0] == '.' || name.ends_with(".ref"))
			continue;
		auto text = read_text_file(join_path(logind_, name), 64 << 10);
		if (!text)
			continue;
		std::string_view t = *text;
		while (!t.empty()) {
			if (next_line(t) == "CLASS=user") {
				++n;
				break;
			}
		}
	}
	::closedir(d);
	return n;
}

Result<uint64_t> SessionCollector::collect() {
	for (int k = 0; k < 3; ++k) {
		int source = (last_ + k) % 3;
		auto n = source < 2 ? from_utmp(utmp_[source]) : from_logind();
		if (n) {
			last_ = source;
			return *n;
		}
	}
	return Err(fmt::format("no {}, {} or {}", utmp_[0], utmp_[1], logind_));
}

Result<uint64_t> collect_sessions(const HostPaths& paths) {
	return SessionCollector(paths).collect();
}

} // namespace serversan::agent
