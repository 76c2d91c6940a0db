#include "serversan/server/ingest/downloads.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "serversan/core/crypto.h"
#include "serversan/core/encoding.h"
#include "serversan/core/log.h"

namespace serversan::ingest {

namespace {

constexpr std::string_view kInstall = "/install.sh";
constexpr std::string_view kPrefix = "/download/";
constexpr std::string_view kAgent = "serversan-agent-";
constexpr std::string_view kSha = ".sha256";

// `uname -m` values: lowercase letters, digits and '_' (x86_64, aarch64, armv7l, riscv64...).
bool is_arch(std::string_view a) {
	if (a.empty() || a.size() > 32)
		return false;
	for (char c : a)
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
	return true;
}

DownloadResponse text(int status, std::string body) {
	return {status, "text/plain; charset=utf-8", std::make_shared<const std::string>(std::move(body) + "\n")};
}

} // namespace

bool Downloads::is_download_path(std::string_view path) {
	return path == kInstall || path.starts_with(kPrefix);
}

std::optional<DownloadResponse> Downloads::serve(std::string_view method, std::string_view path) {
	if (!is_download_path(path))
		return std::nullopt;
	if (method != "GET" && method != "HEAD")
		return text(405, "use GET");
	std::string name;
	bool sha = false;
	if (path == kInstall) {
		name = "install.sh";
	} else {
		std::string_view file = path.substr(kPrefix.size());
		if (file.ends_with(kSha)) {
			sha = true;
			file.remove_suffix(kSha.size());
		}
		if (!file.starts_with(kAgent) || !is_arch(file.substr(kAgent.size())))
			return text(404, "no such download");
		name = std::string(file);
	}
	if (dir_.empty())
		return text(404, "this server offers no downloads (set ingest.downloads_dir); install the agent with "
		                 "install.sh --binary PATH");
	return load(name, sha);
}

std::optional<DownloadResponse> Downloads::load(const std::string& name, bool want_sha256) {
	std::string path = dir_ + "/" + name;
	int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return text(404, name.starts_with(kAgent) ? fmt::format("no agent build for {} on this server",
			                                                        name.substr(kAgent.size()))
			                                          : std::string("no such download"));
		log::error("downloads: cannot open {}: {}", path, std::strerror(errno));
		return text(500, "cannot read the file");
	}
	struct stat st {};
	if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    static_cast<uint64_t>(st.st_size) > max_file_bytes_) {
		::close(fd);
		log::error("downloads: {} is not a regular file of at most {} bytes", path, max_file_bytes_);
		return text(500, "cannot read the file");
	}
	int64_t mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
	auto size = static_cast<uint64_t>(st.st_size);
	std::shared_ptr<const std::string> body, sha_line;
	{
		std::lock_guard lock(mu_);
		auto it = cache_.find(name);
		if (it != cache_.end() && it->second.mtime_ns == mtime_ns && it->second.size == size) {
			body = it->second.body;
			sha_line = it->second.sha256_line;
		}
	}
	if (!body) {
		std::string data(size, '\0');
		size_t got = 0;
		while (got < size) {
			ssize_t n = ::pread(fd, data.data() + got, size - got, static_cast<off_t>(got));
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			got += static_cast<size_t>(n);
		}
		if (got != size) {
			::close(fd);
			log::error("downloads: short read of {} ({} of {} bytes)", path, got, size);
			return text(500, "cannot read the file");
		}
		auto digest = crypto::sha256(crypto::bytes(data));
		sha_line = std::make_shared<const std::string>(fmt::format("{}  {}\n", hex_encode(digest), name));
		body = std::make_shared<const std::string>(std::move(data));
		std::lock_guard lock(mu_);
		cache_[name] = Cached{mtime_ns, size, body, sha_line};
	}
	::close(fd);
	if (want_sha256)
		return DownloadResponse{200, "text/plain; charset=utf-8", sha_line};
	return DownloadResponse{
	    200, name == "install.sh" ? "text/x-shellscript; charset=utf-8" : "application/octet-stream", body};
}

} // namespace serversan::ingest
