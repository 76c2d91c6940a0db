// Helpers for server tests: a temporary data directory and signed report requests.
#pragma once

#include <filesystem>
#include <random>
#include <string>

#include <fmt/format.h>

#include "serversan/core/crypto.h"
#include "serversan/core/report.h"
#include "serversan/core/report_encode.h"
#include "serversan/core/signing.h"
#include "serversan/core/token.h"
#include "serversan/server/store/sqlite/sqlite_schema.h"

namespace serversan::testing {

// The schema version a fresh or migrated store is at: the number of migrations.
inline int latest_schema_version() {
	return static_cast<int>(store::sqlite::migrations().size());
}

class TempDir {
public:
	TempDir() {
		std::random_device rd;
		path_ = std::filesystem::temp_directory_path() /
		        fmt::format("serversan-test-{:016x}", uint64_t{rd()} << 32 | rd());
		std::filesystem::create_directories(path_);
	}
	~TempDir() {
		std::error_code ec;
		std::filesystem::remove_all(path_, ec);
	}
	const std::filesystem::path& path() const { return path_; }
	std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
	std::filesystem::path path_;
};

inline Report sample_report(uint64_t seq, int64_t time_ms) {
	Report r;
	r.seq = seq;
	r.time_ms = time_ms;
	r.interval_s = 60;
	r.uptime_s = 3600;
	r.cpu.total.user = 12.5;
	r.cpu.total.system = 3.5;
	r.cpu.total.idle = 84;
	r.load.load1 = 0.42;
	r.memory.total = 24ull << 30;
	r.memory.used = 3ull << 30;
	Filesystem fs;
	fs.mount = "/";
	fs.device = "/dev/vda1";
	fs.type = "ext4";
	fs.total = 250ull << 30;
	fs.used = 100ull << 30;
	r.filesystems.push_back(fs);
	return r;
}

inline ReportBatch sample_batch(uint64_t first_seq, size_t n, int64_t time_ms,
                                std::string stream = "0123456789abcdef") {
	ReportBatch b;
	b.stream = std::move(stream);
	b.agent_version = "0.1.0";
	for (size_t i = 0; i < n; ++i)
		b.reports.push_back(sample_report(first_seq + i, time_ms + static_cast<int64_t>(i) * 60'000));
	return b;
}

struct SignedPost {
	std::string authorization;
	std::string body;
	std::string content_type = "application/json";
	std::string content_encoding;
	std::string target = "/api/v1/reports";
	std::string method = "POST";
};

inline SignedPost sign_post(const AgentToken& token, std::string body, int64_t timestamp,
                            std::string content_encoding = "", std::string nonce = make_nonce()) {
	SignedPost p;
	p.body = std::move(body);
	p.content_encoding = std::move(content_encoding);
	SignedRequest req{p.method, p.target, "", p.content_type, p.content_encoding, crypto::bytes(p.body)};
	p.authorization = sign_request(derive_signing_key(token), token.server_id, timestamp, nonce, req);
	return p;
}

} // namespace serversan::testing
