// Downloads: the files the install one-liner needs, served by the ingest listener so that it works
// against the very URL the agents report to:
//   GET /install.sh                           the installer (curl ... | sudo sh -s -- TOKEN URL)
//   GET /download/serversan-agent-ARCH        the agent binary for `uname -m` ARCH
//   GET /download/serversan-agent-ARCH.sha256 its SHA-256 as sha256sum prints it (install.sh checks it)
// The files come from one directory (ingest.downloads_dir; run.sh fills one). Only those names are
// served, matched against a fixed pattern before the file system is touched, so no request can
// reach another file. Contents are kept in memory and re-read when the file's size or mtime
// changes (an upgrade in place is picked up without a restart).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace serversan::ingest {

struct DownloadResponse {
	int status = 200;
	std::string content_type;
	std::shared_ptr<const std::string> body;
};

class Downloads {
public:
	// An empty dir turns downloads off: their paths answer 404 with a hint.
	explicit Downloads(std::string dir, uint64_t max_file_bytes = 64ull << 20)
	    : dir_(std::move(dir)), max_file_bytes_(max_file_bytes) {}

	// nullopt: the path is not a download path (the caller routes it elsewhere). HEAD gets the
	// same status and headers as GET; the caller omits the body.
	std::optional<DownloadResponse> serve(std::string_view method, std::string_view path);

	static bool is_download_path(std::string_view path);

private:
	struct Cached {
		int64_t mtime_ns = 0;
		uint64_t size = 0;
		std::shared_ptr<const std::string> body;
		std::shared_ptr<const std::string> sha256_line;
	};
	std::optional<DownloadResponse> load(const std::string& name, bool want_sha256);

	std::string dir_;
	uint64_t max_file_bytes_;
	std::mutex mu_;
	std::map<std::string, Cached> cache_;
};

} // namespace serversan::ingest
