// Spool: the agent's store-and-forward queue (reliability.md 3.4 and 3.7; docs/agent.md).
//
// Every report is appended here, and fdatasync'ed, *before* its first send attempt: a report
// that was ever handed to the network is on disk, so neither a kill -9 nor a power cut during an
// outage loses one, at the price of one small append and one fdatasync per interval. Reports
// leave in order, oldest first, in batches of one stream, and are "settled" once the server has
// decided on them (stored, or refused for good).
//
// On disk: segment files dir/seg-<20-digit number>.spool (mode 0600 in a 0700 directory), each
// an 8-byte magic then records:
//
//   u32 magic "SSR1" | u8 type | 3 zero bytes | u32 payload length | u32 CRC-32 | payload
//
// (little-endian; the CRC covers type, length and payload). Types: HEADER (first record of a
// file: stream id, the lowest sequence number the file may use, and the settled position and
// dropped counter at creation), REPORT (seq, time_ms, the report's JSON object as
// encode_report() wrote it) and SETTLED (the position up to which everything is settled, and
// the dropped counter). SETTLED records are appended without fsync: losing one to a power cut
// only resends reports, which the server's sequence window turns into counted duplicates.
//
// A torn tail (the agent killed mid-write) or a flipped bit is caught by the CRC: the record is
// skipped with one log line per file (the reader resynchronises on the next magic), never a
// crash. A file whose header is unreadable is removed, with a log line.
//
// Limits: the files' total size (default 64 MiB) and the age of a report (default 7 days): the
// oldest pending reports are dropped first, and counted (dropped(), which reports carry as
// spool_dropped). A new file is started every segment_bytes (at most a quarter of max_bytes, so
// dropping goes in small steps), and each time the agent starts. Files whose reports are all
// settled are deleted.
//
// If the directory cannot be used (permissions, a full or read-only disk), reports are kept in
// memory instead (at most 4 MiB, same rules), logged once; the disk is tried again once the
// memory queue has drained. Such reports do not survive a restart (on_disk() says which mode).
//
// Not thread-safe: the agent's one loop owns it. Only one process may use a directory (the
// agent holds a lock, see lock_instance()).
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/agent/log_once.h"
#include "serversan/core/clock.h"
#include "serversan/core/result.h"

namespace serversan::agent {

inline constexpr const char* kDefaultSpoolDir = "/var/lib/serversan/spool";
inline constexpr uint64_t kDefaultSpoolMaxBytes = 64ull << 20;
inline constexpr double kDefaultSpoolMaxAgeS = 7 * 86400.0;
inline constexpr uint64_t kDefaultSegmentBytes = 1ull << 20;
inline constexpr uint64_t kMemorySpoolMaxBytes = 4ull << 20;

struct SpoolSettings {
	std::string dir = kDefaultSpoolDir;
	uint64_t max_bytes = kDefaultSpoolMaxBytes;
	double max_age_s = kDefaultSpoolMaxAgeS; // 0: no age limit
	uint64_t segment_bytes = kDefaultSegmentBytes;

	bool operator==(const SpoolSettings&) const = default;
};

struct SpooledReport {
	uint64_t seq = 0;
	int64_t time_ms = 0;
	std::string json; // the report object exactly as encode_report() wrote it
};

// The oldest pending reports, all of one stream, as next_batch() found them.
struct SpoolBatch {
	std::string stream;
	std::vector<SpooledReport> reports;
	size_t json_bytes = 0; // sum of the reports' JSON sizes

	// Where the batch ends, for settle(); not for callers.
	struct Taken {
		uint64_t segment;
		uint64_t count;
	};
	std::vector<Taken> taken; // reports taken per segment, in order
	uint64_t end_segment = 0, end_offset = 0;
	size_t memory_count = 0;
	uint64_t generation = 0;

	void clear();
};

class Spool {
public:
	// Opens (creating it, mode 0700) or falls back to memory, and reads what earlier runs left.
	// stream: this run's stream id (new files carry it). Nothing is deleted or written yet: the
	// caller first makes its sequence counter reach next_seq_floor(), then calls begin().
	static std::unique_ptr<Spool> open(SpoolSettings settings, std::string stream, const Clock& clock);
	~Spool();
	Spool(const Spool&) = delete;
	Spool& operator=(const Spool&) = delete;

	// No sequence number below this was ever spooled for this stream (1 if none): after a lost
	// or older state file, numbering must resume here so that no number is reused.
	uint64_t next_seq_floor() const { return floor_; }

	// Removes files that hold nothing pending. Call once the sequence counter is safe (above).
	void begin();

	// Appends a report (the caller reserved `seq`). Ok: it is on disk (fdatasync'ed). An error
	// (logged once) means it is kept in memory only and would not survive a restart.
	Result<void> append(uint64_t seq, int64_t time_ms, std::string_view json);

	// Fills `out` with the oldest pending reports of one stream: at most max_reports, and at
	// most max_json_bytes of JSON unless the first report alone is larger. Applies the limits
	// first. False if nothing is pending.
	bool next_batch(size_t max_reports, size_t max_json_bytes, SpoolBatch& out);

	// The server has decided on every report of `batch` (the last one next_batch() returned):
	// they leave the spool.
	void settle(const SpoolBatch& batch);

	// Drops the newest report if it is held in memory only (the caller could not make its
	// sequence number durable another way, so it must never be sent).
	void forget_newest_in_memory();

	void set_limits(uint64_t max_bytes, double max_age_s);
	const SpoolSettings& settings() const { return settings_; }

	size_t pending() const;
	uint64_t bytes() const; // files plus memory-only reports
	uint64_t dropped() const { return dropped_; }
	bool on_disk() const { return disk_ok_ && memory_.empty(); }
	size_t files() const { return segments_.size(); }

	// Applies the age and size limits now (append and next_batch do this themselves).
	void enforce_limits();

	// One file, as the spool keeps track of it.
	struct Segment {
		uint64_t number = 0;
		std::string path;
		std::string stream;
		uint64_t size = 0;                        // bytes in the file
		uint64_t data_start = 0;                  // offset of the first record after the header
		uint64_t pending = 0;                     // reports not yet settled
		int64_t newest_ms = 0;                    // time of its newest report
		std::optional<int64_t> oldest_pending_ms; // time of its oldest pending report, if known
	};

private:
	Spool(SpoolSettings settings, std::string stream, const Clock& clock);
	void scan();
	Result<void> start_segment(uint64_t floor_seq);
	void close_active();
	void remove_settled();
	void drop_segment_front(std::string_view why);
	void drop_old_records_in_front(int64_t cutoff_ms);
	void write_settled_record();
	void note_dropped(uint64_t count, std::string_view why);
	bool is_active(const Segment& s) const;
	// A descriptor to read `s` with: the active file's own, or a new one (owned: close it).
	int open_for_reading(const Segment& s, bool& owned);
	uint64_t disk_bytes() const;
	uint64_t memory_bytes() const;

	SpoolSettings settings_;
	std::string stream_;
	const Clock& clock_;
	std::vector<Segment> segments_; // oldest first; the active one (if any) last
	int active_fd_ = -1;
	uint64_t next_number_ = 1;
	bool disk_ok_ = true;
	bool begun_ = false;
	// Everything before (frontier_segment_, frontier_offset_) is settled.
	uint64_t frontier_segment_ = 0, frontier_offset_ = 0;
	uint64_t dropped_ = 0;
	uint64_t floor_ = 1;
	uint64_t generation_ = 0;
	std::deque<SpooledReport> memory_; // memory-only reports, oldest first (after every file)
	LogOnce log_;
};

// Holds an exclusive lock (flock) on `path` for the life of the process, so that two agents
// never share a state file and spool (a cron --once overlapping the daemon). Error if another
// process holds it.
Result<int> lock_instance(const std::string& path);

} // namespace serversan::agent
