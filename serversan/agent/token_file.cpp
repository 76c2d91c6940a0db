#include "serversan/agent/token_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

namespace serversan::agent {

Result<AgentToken> load_token_file(const std::string& path) {
	// fstat on the opened file, not stat on the name: what is checked is what is read.
	int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return Err(fmt::format("cannot open the token file {}: {}", path, std::strerror(errno)));
	struct stat st {};
	if (::fstat(fd, &st) != 0) {
		int e = errno;
		::close(fd);
		return Err(fmt::format("cannot stat the token file {}: {}", path, std::strerror(e)));
	}
	if (!S_ISREG(st.st_mode)) {
		::close(fd);
		return Err(fmt::format("the token file {} is not a regular file", path));
	}
	if ((st.st_mode & 077) != 0) {
		::close(fd);
		return Err(fmt::format("UNPROTECTED TOKEN FILE: permissions {:04o} for {} are too open; the token "
		                       "must not be readable by group or others. Run: chmod 600 {}",
		                       st.st_mode & 07777, path, path));
	}
	if (st.st_uid != 0 && st.st_uid != ::geteuid()) {
		::close(fd);
		return Err(fmt::format("the token file {} is owned by uid {}; it must be owned by root or by the "
		                       "user running the agent (uid {})",
		                       path, st.st_uid, ::geteuid()));
	}
	std::string text;
	char buf[512];
	while (text.size() < 4096) {
		ssize_t n = ::read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			::close(fd);
			return Err(fmt::format("cannot read the token file {}: {}", path, std::strerror(e)));
		}
		if (n == 0)
			break;
		text.append(buf, static_cast<size_t>(n));
	}
	::close(fd);
	auto token = parse_token(text);
	// explicit_bzero, unlike a plain fill, is not optimised away before the string is freed.
	::explicit_bzero(text.data(), text.size());
	if (!token)
		return Err(fmt::format("the token file {} holds no valid token: {}", path, token.error().message));
	return token;
}

} // namespace serversan::agent
