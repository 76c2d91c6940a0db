// AgentState: the agent's identity as a report stream, kept across restarts in a small file
// (default /var/lib/serversan/agent.state):
//
//   stream=<16 lowercase hex digits>   random on first run
//   next_seq=<n>                       no sequence number below this is handed out again
//
// A number must never be reused: the server treats a reused number as a duplicate and would
// silently drop a new report under it. Two ways keep that true:
//   - reserve_seq() rewrites the file before handing a number out (one atomic write each);
//   - take_seq() hands numbers out from memory, for a caller that makes each one durable
//     elsewhere before using it: the agent's spool fsyncs every report (with its seq) before the
//     first send, and Spool::next_seq_floor() gives the numbers back after a restart; the agent
//     then raise_to()s the file, and save()s it now and then and on exit.
// Writes are atomic (temporary file, fsync, rename, fsync of the directory), so a power cut
// leaves the old or the new file.
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
	// Returns next_seq and counts on in memory only (see above).
	uint64_t take_seq() { return next_seq_++; }
	// Makes next_seq at least n, and persists it if that changed it.
	Result<void> raise_to(uint64_t n);
	// Persists the current next_seq (if the file holds less).
	Result<void> save();

	// The file's text for these values; parse() is its strict inverse.
	static std::string format(std::string_view stream, uint64_t next_seq);
	struct Parsed {
		std::string stream;
		uint64_t next_seq = 0;
	};
	static Result<Parsed> parse(std::string_view text);

private:
	AgentState(std::string path, std::string stream, uint64_t next_seq)
	    : path_(std::move(path)), stream_(std::move(stream)), next_seq_(next_seq), saved_seq_(next_seq) {}

	std::string path_;
	std::string stream_;
	uint64_t next_seq_ = 1;
	uint64_t saved_seq_ = 1; // what the file holds
};

// mkdir -p with the given mode for the directories it creates.
Result<void> make_directories(const std::string& dir, unsigned mode = 0755);

// Replaces path's content atomically: temporary file in the same directory, fsync, rename,
// fsync of the directory.
Result<void> write_file_atomic(const std::string& path, std::string_view content, unsigned mode = 0644);

} // namespace serversan::agent
