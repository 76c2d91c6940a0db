// AgentState: the agent's identity as a report stream, kept across restarts in a small file
// (default /var/lib/serversan/agent.state):
//
//   stream=<16 lowercase hex digits>   random on first run
//   next_seq=<n>                       the first sequence number not yet handed out
//
// A sequence number is reserved (the file rewritten) before the report carrying it is sent, so
// a crash or restart can skip numbers but never reuse one: the server treats a reused number
// as a duplicate and would silently drop a new report under it. Writes are atomic (temporary
// file, fsync, rename, fsync of the directory), so a power cut leaves the old or the new file.
//
// A file that exists but cannot be parsed (edited by hand) is replaced by a new stream: a new
// stream id is always safe, a guessed sequence number is not.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "serversan/core/result.h"

namespace serversan::agent {

class AgentState {
public:
	// Loads the file, or creates it (and missing parent directories) with a new stream. Error if
	// the file cannot be read or written (permissions, read-only filesystem).
	static Result<AgentState> open(std::string path);

	// Reads the file without creating or changing anything; nullopt if missing or malformed.
	static std::optional<AgentState> peek(const std::string& path);

	const std::string& stream() const { return stream_; }
	uint64_t next_seq() const { return next_seq_; }
	const std::string& path() const { return path_; }

	// Persists next_seq + 1, then returns the reserved number. On error nothing is reserved.
	Result<uint64_t> reserve_seq();

	// The file's text for these values; parse() is its strict inverse.
	static std::string format(std::string_view stream, uint64_t next_seq);
	struct Parsed {
		std::string stream;
		uint64_t next_seq = 0;
	};
	static Result<Parsed> parse(std::string_view text);

private:
	AgentState(std::string path, std::string stream, uint64_t next_seq)
	    : path_(std::move(path)), stream_(std::move(stream)), next_seq_(next_seq) {}

	std::string path_;
	std::string stream_;
	uint64_t next_seq_ = 1;
};

// Replaces path's content atomically: temporary file in the same directory, fsync, rename,
// fsync of the directory.
Result<void> write_file_atomic(const std::string& path, std::string_view content, unsigned mode = 0644);

} // namespace serversan::agent
