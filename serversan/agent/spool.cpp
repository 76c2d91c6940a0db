#include "serversan/agent/spool.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <fmt/format.h>

#include "serversan/agent/state.h"
#include "serversan/core/encoding.h"
#include "serversan/core/log.h"

namespace serversan::agent {

namespace {

constexpr char kFileMagic[8] = {'S', 'S', 'S', 'P', 'O', 'O', 'L', '\n'};
constexpr unsigned char kRecordMagic[4] = {'S', 'S', 'R', '1'};
constexpr size_t kRecordHeaderBytes = 16;
constexpr uint32_t kMaxPayload = 8u << 20;
constexpr size_t kStreamBytes = 16;

enum RecordType : uint8_t { kHeader = 1, kReport = 2, kSettled = 3 };

void put_u32(std::string& out, uint32_t v) {
	for (int i = 0; i < 4; ++i)
		out.push_back(static_cast<char>(v >> (8 * i)));
}
void put_u64(std::string& out, uint64_t v) {
	for (int i = 0; i < 8; ++i)
		out.push_back(static_cast<char>(v >> (8 * i)));
}
uint32_t get_u32(const char* p) {
	uint32_t v = 0;
	for (int i = 3; i >= 0; --i)
		v = (v << 8) | static_cast<unsigned char>(p[i]);
	return v;
}
uint64_t get_u64(const char* p) {
	uint64_t v = 0;
	for (int i = 7; i >= 0; --i)
		v = (v << 8) | static_cast<unsigned char>(p[i]);
	return v;
}

uint32_t record_crc(uint8_t type, uint32_t len, std::string_view payload) {
	char head[5];
	head[0] = static_cast<char>(type);
	for (int i = 0; i < 4; ++i)
		head[1 + i] = static_cast<char>(len >> (8 * i));
	return crc32(payload, crc32(std::string_view(head, sizeof head)));
}

// Appends one framed record to out.
void frame(std::string& out, uint8_t type, std::string_view payload) {
	out.append(reinterpret_cast<const char*>(kRecordMagic), 4);
	out.push_back(static_cast<char>(type));
	out.append(3, '\0');
	put_u32(out, static_cast<uint32_t>(payload.size()));
	put_u32(out, record_crc(type, static_cast<uint32_t>(payload.size()), payload));
	out.append(payload);
}

std::string settled_payload(uint64_t segment, uint64_t offset, uint64_t dropped) {
	std::string p;
	put_u64(p, segment);
	put_u64(p, offset);
	put_u64(p, dropped);
	return p;
}

std::string errno_text() {
	return std::strerror(errno);
}

// Reads exactly n bytes at off unless the file ends first; returns the bytes read, -1 on error.
ssize_t pread_full(int fd, char* buf, size_t n, uint64_t off) {
	size_t done = 0;
	while (done < n) {
		ssize_t r = ::pread(fd, buf + done, n - done, static_cast<off_t>(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		done += static_cast<size_t>(r);
	}
	return static_cast<ssize_t>(done);
}

Result<void> write_all(int fd, std::string_view data) {
	while (!data.empty()) {
		ssize_t n = ::write(fd, data.data(), data.size());
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return Err(errno_text());
		data.remove_prefix(static_cast<size_t>(n));
	}
	return Ok();
}

struct RecordRead {
	enum Status { ok, end, torn, corrupt } status = end;
	uint8_t type = 0;
	uint64_t next = 0; // offset after the record (ok only)
};

RecordRead read_record(int fd, uint64_t off, uint64_t size, std::string& payload) {
	RecordRead r;
	if (off >= size)
		return r;
	if (size - off < kRecordHeaderBytes) {
		r.status = RecordRead::torn;
		return r;
	}
	char head[kRecordHeaderBytes];
	if (pread_full(fd, head, sizeof head, off) != static_cast<ssize_t>(sizeof head)) {
		r.status = RecordRead::torn;
		return r;
	}
	uint32_t len = get_u32(head + 8);
	if (std::memcmp(head, kRecordMagic, 4) != 0 || len > kMaxPayload) {
		r.status = RecordRead::corrupt;
		return r;
	}
	if (size - off - kRecordHeaderBytes < len) {
		r.status = RecordRead::torn;
		return r;
	}
	payload.resize(len);
	if (pread_full(fd, payload.data(), len, off + kRecordHeaderBytes) != static_cast<ssize_t>(len)) {
		r.status = RecordRead::torn;
		return r;
	}
	auto type = static_cast<uint8_t>(head[4]);
	if (record_crc(type, len, payload) != get_u32(head + 12)) {
		r.status = RecordRead::corrupt;
		return r;
	}
	r.status = RecordRead::ok;
	r.type = type;
	r.next = off + kRecordHeaderBytes + len;
	return r;
}

// The offset of the next intact record at or after `from`, or `size` if there is none.
uint64_t resync(int fd, uint64_t from, uint64_t size) {
	std::string chunk(64 << 10, '\0');
	std::string payload;
	uint64_t off = from;
	while (off + 4 <= size) {
		ssize_t n = pread_full(fd, chunk.data(), chunk.size(), off);
		if (n < 4)
			return size;
		std::string_view view(chunk.data(), static_cast<size_t>(n));
		size_t at = 0;
		for (;;) {
			size_t hit = view.find(std::string_view(reinterpret_cast<const char*>(kRecordMagic), 4), at);
			if (hit == std::string_view::npos)
				break;
			if (read_record(fd, off + hit, size, payload).status == RecordRead::ok)
				return off + hit;
			at = hit + 1;
		}
		off += static_cast<uint64_t>(n) - 3; // the magic may straddle two chunks
	}
	return size;
}

struct ReportFields {
	uint64_t seq = 0;
	int64_t time_ms = 0;
	bool ok = false;
};
ReportFields report_fields(const std::string& payload) {
	if (payload.size() < 16)
		return {};
	return {get_u64(payload.data()), static_cast<int64_t>(get_u64(payload.data() + 8)), true};
}

// "seg-" + 20 decimal digits + ".spool"
bool parse_segment_name(const char* name, uint64_t& number) {
	std::string_view n(name);
	if (n.size() != 4 + 20 + 6 || !n.starts_with("seg-") || !n.ends_with(".spool"))
		return false;
	uint64_t v = 0;
	for (char c : n.substr(4, 20)) {
		if (c < '0' || c > '9' || v > (UINT64_MAX - 9) / 10)
			return false;
		v = v * 10 + static_cast<uint64_t>(c - '0');
	}
	number = v;
	return true;
}

void fsync_dir(const std::string& dir) {
	int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		::fsync(dfd);
		::close(dfd);
	}
}

Result<void> usable_dir(const std::string& dir) {
	if (auto made = make_directories(dir, 0700); !made)
		return made;
	struct stat st {};
	if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
		return Err(fmt::format("{} is not a directory", dir));
	if (::access(dir.c_str(), W_OK | X_OK) != 0)
		return Err(fmt::format("cannot write to {}: {}", dir, errno_text()));
	return Ok();
}

} // namespace

void SpoolBatch::clear() {
	stream.clear();
	reports.clear();
	json_bytes = 0;
	taken.clear();
	end_segment = end_offset = 0;
	memory_count = 0;
	generation = 0;
}

Spool::Spool(SpoolSettings settings, std::string stream, const Clock& clock)
    : settings_(std::move(settings)), stream_(std::move(stream)), clock_(clock) {
	set_limits(settings_.max_bytes, settings_.max_age_s);
}

Spool::~Spool() {
	close_active();
}

std::unique_ptr<Spool> Spool::open(SpoolSettings settings, std::string stream, const Clock& clock) {
	std::unique_ptr<Spool> spool(new Spool(std::move(settings), std::move(stream), clock));
	if (auto made = usable_dir(spool->settings_.dir); !made) {
		spool->disk_ok_ = false;
		spool->log_.log(log::Level::error, "disk",
		                fmt::format("spool directory unusable ({}); reports are kept in memory only and do "
		                            "not survive a restart",
		                            made.error().message));
	} else {
		spool->scan();
	}
	return spool;
}

void Spool::set_limits(uint64_t max_bytes, double max_age_s) {
	settings_.max_bytes = std::max<uint64_t>(max_bytes, 64 << 10);
	settings_.max_age_s = max_age_s < 0 ? 0 : max_age_s;
	// Several files per cap, so that dropping the oldest file drops a small part of the spool.
	settings_.segment_bytes =
	    std::clamp<uint64_t>(settings_.segment_bytes, 16 << 10, settings_.max_bytes / 4);
}

bool Spool::is_active(const Segment& s) const {
	return active_fd_ >= 0 && !segments_.empty() && &s == &segments_.back();
}

int Spool::open_for_reading(const Segment& s, bool& owned) {
	owned = !is_active(s);
	return owned ? ::open(s.path.c_str(), O_RDONLY | O_CLOEXEC) : active_fd_;
}

uint64_t Spool::disk_bytes() const {
	uint64_t total = 0;
	for (const auto& s : segments_)
		total += s.size;
	return total;
}

uint64_t Spool::memory_bytes() const {
	uint64_t total = 0;
	for (const auto& r : memory_)
		total += r.json.size() + 32;
	return total;
}

uint64_t Spool::bytes() const {
	return disk_bytes() + memory_bytes();
}

size_t Spool::pending() const {
	size_t n = memory_.size();
	for (const auto& s : segments_)
		n += s.pending;
	return n;
}

void Spool::scan() {
	DIR* d = ::opendir(settings_.dir.c_str());
	if (!d)
		return;
	std::vector<uint64_t> numbers;
	while (dirent* e = ::readdir(d)) {
		uint64_t n = 0;
		if (parse_segment_name(e->d_name, n))
			numbers.push_back(n);
	}
	::closedir(d);
	std::sort(numbers.begin(), numbers.end());

	struct Found {
		Segment seg;
		std::vector<uint64_t> report_offsets;
	};
	std::vector<Found> found;
	std::string payload;
	for (uint64_t number : numbers) {
		Found f;
		f.seg.number = number;
		f.seg.path = fmt::format("{}/seg-{:020}.spool", settings_.dir, number);
		next_number_ = std::max(next_number_, number + 1);
		int fd = ::open(f.seg.path.c_str(), O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			log::warn("spool file {} cannot be read ({}); skipped", f.seg.path, errno_text());
			continue;
		}
		struct stat st {};
		::fstat(fd, &st);
		uint64_t size = static_cast<uint64_t>(st.st_size);
		char magic[sizeof kFileMagic];
		RecordRead head;
		if (pread_full(fd, magic, sizeof magic, 0) == sizeof magic &&
		    std::memcmp(magic, kFileMagic, sizeof magic) == 0)
			head = read_record(fd, sizeof magic, size, payload);
		if (head.status != RecordRead::ok || head.type != kHeader || payload.size() < kStreamBytes + 32) {
			::close(fd);
			log::warn("spool file {} has no readable header (damaged or not a spool file); removed",
			          f.seg.path);
			::unlink(f.seg.path.c_str());
			continue;
		}
		f.seg.stream = payload.substr(0, kStreamBytes);
		uint64_t seg_floor = get_u64(payload.data() + kStreamBytes);
		frontier_segment_ = get_u64(payload.data() + kStreamBytes + 8);
		frontier_offset_ = get_u64(payload.data() + kStreamBytes + 16);
		dropped_ = get_u64(payload.data() + kStreamBytes + 24);
		if (f.seg.stream == stream_)
			floor_ = std::max(floor_, seg_floor);
		f.seg.data_start = head.next;
		f.seg.size = size;
		f.seg.newest_ms = INT64_MIN;

		bool complained = false;
		uint64_t off = head.next;
		while (off < size) {
			RecordRead r = read_record(fd, off, size, payload);
			if (r.status == RecordRead::ok) {
				if (r.type == kReport) {
					ReportFields rf = report_fields(payload);
					if (rf.ok) {
						f.report_offsets.push_back(off);
						f.seg.newest_ms = std::max(f.seg.newest_ms, rf.time_ms);
						if (f.seg.stream == stream_)
							floor_ = std::max(floor_, rf.seq + 1);
					}
				} else if (r.type == kSettled && payload.size() >= 24) {
					frontier_segment_ = get_u64(payload.data());
					frontier_offset_ = get_u64(payload.data() + 8);
					dropped_ = get_u64(payload.data() + 16);
				}
				off = r.next;
				continue;
			}
			if (r.status == RecordRead::torn) {
				if (!complained)
					log::warn("spool file {}: the record at offset {} is incomplete (the agent was stopped "
					          "mid-write); ignored",
					          f.seg.path, off);
				break;
			}
			uint64_t next = resync(fd, off + 1, size);
			if (!complained)
				log::warn(
				    "spool file {}: damaged record at offset {} skipped ({} bytes); later records are kept",
				    f.seg.path, off, next - off);
			complained = true;
			off = next;
		}
		::close(fd);
		found.push_back(std::move(f));
	}

	for (auto& f : found) {
		Segment& s = f.seg;
		if (s.number < frontier_segment_)
			s.pending = 0;
		else if (s.number > frontier_segment_)
			s.pending = f.report_offsets.size();
		else
			s.pending =
			    static_cast<uint64_t>(std::count_if(f.report_offsets.begin(), f.report_offsets.end(),
			                                        [&](uint64_t o) { return o >= frontier_offset_; }));
		segments_.push_back(std::move(s));
	}
	size_t waiting = pending();
	if (waiting > 0)
		log::info("spool {}: {} reports from earlier runs wait to be sent ({} files, {} bytes)",
		          settings_.dir, waiting, segments_.size(), disk_bytes());
}

void Spool::begin() {
	begun_ = true;
	remove_settled();
}

void Spool::remove_settled() {
	for (size_t i = 0; i < segments_.size();) {
		Segment& s = segments_[i];
		if (s.pending > 0 || is_active(s)) {
			++i;
			continue;
		}
		if (::unlink(s.path.c_str()) != 0 && errno != ENOENT)
			log_.log(log::Level::warn, "unlink", fmt::format("cannot remove {}: {}", s.path, errno_text()));
		segments_.erase(segments_.begin() + static_cast<std::ptrdiff_t>(i));
	}
}

void Spool::close_active() {
	if (active_fd_ >= 0)
		::close(active_fd_);
	active_fd_ = -1;
}

Result<void> Spool::start_segment(uint64_t floor_seq) {
	close_active();
	Segment s;
	s.number = next_number_++;
	s.path = fmt::format("{}/seg-{:020}.spool", settings_.dir, s.number);
	s.stream = stream_;
	s.newest_ms = INT64_MIN;
	int fd = ::open(s.path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0)
		return Err(fmt::format("cannot create {}: {}", s.path, errno_text()));
	std::string header_payload = stream_;
	header_payload.resize(kStreamBytes, '0');
	put_u64(header_payload, floor_seq);
	header_payload += settled_payload(frontier_segment_, frontier_offset_, dropped_);
	std::string bytes(kFileMagic, sizeof kFileMagic);
	frame(bytes, kHeader, header_payload);
	auto written = write_all(fd, bytes);
	if (written && ::fdatasync(fd) != 0)
		written = Err(fmt::format("fdatasync: {}", errno_text()));
	if (!written) {
		::close(fd);
		::unlink(s.path.c_str());
		return Err(fmt::format("cannot write {}: {}", s.path, written.error().message));
	}
	// The new name must be durable before any older file is deleted (it carries the floor).
	fsync_dir(settings_.dir);
	s.size = s.data_start = bytes.size();
	segments_.push_back(std::move(s));
	active_fd_ = fd;
	return Ok();
}

Result<void> Spool::append(uint64_t seq, int64_t time_ms, std::string_view json) {
	floor_ = std::max(floor_, seq + 1);
	if (memory_.empty() && !disk_ok_)
		disk_ok_ = true; // the memory queue drained: try the disk again
	Result<void> on_disk = Err("memory-only reports are still waiting; new ones queue behind them");
	if (disk_ok_ && memory_.empty()) {
		std::string payload;
		put_u64(payload, seq);
		put_u64(payload, static_cast<uint64_t>(time_ms));
		payload.append(json);
		std::string record;
		frame(record, kReport, payload);
		on_disk = Ok();
		// A new file once this one is full (and not for a first record larger than a file).
		bool full = active_fd_ >= 0 && segments_.back().size > segments_.back().data_start &&
		            segments_.back().size + record.size() > settings_.segment_bytes;
		if (active_fd_ < 0 || full)
			on_disk = start_segment(seq);
		if (on_disk) {
			Segment& s = segments_.back();
			on_disk = write_all(active_fd_, record);
			// Never retry an fsync and trust it (reliability.md 3.4): a failed one means the
			// record is treated as lost and this report goes to memory instead.
			if (on_disk && ::fdatasync(active_fd_) != 0)
				on_disk = Err(fmt::format("fdatasync: {}", errno_text()));
			if (on_disk) {
				s.size += record.size();
				if (s.pending == 0)
					s.oldest_pending_ms = time_ms;
				++s.pending;
				s.newest_ms = std::max(s.newest_ms, time_ms);
			} else {
				if (::ftruncate(active_fd_, static_cast<off_t>(s.size)) != 0) {
					// The file may end in a partial record now; the reader skips it.
				}
				close_active();
				on_disk = Err(fmt::format("{}: {}", s.path, on_disk.error().message));
			}
		}
		if (on_disk) {
			log_.recovered("disk", fmt::format("spool {} is writable again", settings_.dir));
		} else {
			disk_ok_ = false;
			log_.log(
			    log::Level::error, "disk",
			    fmt::format("cannot write to the spool ({}); reports are kept in memory only until it works "
			                "again, and do not survive a restart",
			                on_disk.error().message));
		}
	}
	if (!on_disk)
		memory_.push_back(SpooledReport{seq, time_ms, std::string(json)});
	enforce_limits();
	return on_disk;
}

void Spool::forget_newest_in_memory() {
	if (!memory_.empty())
		memory_.pop_back();
}

void Spool::note_dropped(uint64_t count, std::string_view why) {
	dropped_ += count;
	log_.once(
	    log::Level::warn, "dropped",
	    fmt::format("spool: dropped the {} oldest unsent report{} ({}); {} dropped so far. Reports carry "
	                "this count as spool_dropped",
	                count, count == 1 ? "" : "s", why, dropped_));
}

void Spool::drop_segment_front(std::string_view why) {
	Segment& s = segments_.front();
	if (s.pending > 0)
		note_dropped(s.pending, why);
	frontier_segment_ = s.number + 1;
	frontier_offset_ = 0;
	if (is_active(s))
		close_active();
	::unlink(s.path.c_str());
	segments_.erase(segments_.begin());
}

void Spool::drop_old_records_in_front(int64_t cutoff_ms) {
	auto it =
	    std::find_if(segments_.begin(), segments_.end(), [](const Segment& s) { return s.pending > 0; });
	if (it == segments_.end())
		return;
	Segment& s = *it;
	// The usual case, every round: the oldest pending report is known and young enough.
	if (s.oldest_pending_ms && *s.oldest_pending_ms >= cutoff_ms)
		return;
	bool owned = false;
	int fd = open_for_reading(s, owned);
	if (fd < 0)
		return;
	uint64_t off = s.number == frontier_segment_ ? std::max(frontier_offset_, s.data_start) : s.data_start;
	uint64_t count = 0;
	std::string payload;
	while (off < s.size && s.pending > 0) {
		RecordRead r = read_record(fd, off, s.size, payload);
		if (r.status == RecordRead::corrupt) {
			off = resync(fd, off + 1, s.size);
			continue;
		}
		if (r.status != RecordRead::ok)
			break;
		if (r.type == kReport) {
			ReportFields rf = report_fields(payload);
			if (rf.ok && rf.time_ms >= cutoff_ms) {
				s.oldest_pending_ms = rf.time_ms;
				break;
			}
			++count;
			--s.pending;
		}
		off = r.next;
		frontier_segment_ = s.number;
		frontier_offset_ = off;
	}
	if (owned)
		::close(fd);
	if (count > 0)
		note_dropped(count, fmt::format("older than {} s", settings_.max_age_s));
}

void Spool::enforce_limits() {
	if (!begun_)
		return;
	uint64_t before = dropped_;
	int64_t cutoff = settings_.max_age_s > 0
	                     ? clock_.unix_millis() - static_cast<int64_t>(settings_.max_age_s * 1000)
	                     : INT64_MIN;
	remove_settled();
	while (!segments_.empty()) {
		Segment& s = segments_.front();
		bool over = disk_bytes() > settings_.max_bytes;
		bool old = s.pending > 0 && s.newest_ms < cutoff;
		if (!over && !old)
			break;
		drop_segment_front(over ? fmt::format("the spool is over its {} byte limit", settings_.max_bytes)
		                        : fmt::format("older than {} s", settings_.max_age_s));
	}
	if (cutoff != INT64_MIN)
		drop_old_records_in_front(cutoff);
	uint64_t memory_cap = std::min(settings_.max_bytes, kMemorySpoolMaxBytes);
	uint64_t memory_dropped = 0;
	while (!memory_.empty() && (memory_.front().time_ms < cutoff || memory_bytes() > memory_cap)) {
		memory_.pop_front();
		++memory_dropped;
	}
	if (memory_dropped > 0)
		note_dropped(memory_dropped, "memory-only queue full or too old");
	if (dropped_ != before)
		write_settled_record();
}

bool Spool::next_batch(size_t max_reports, size_t max_json_bytes, SpoolBatch& out) {
	enforce_limits();
	out.clear();
	out.generation = ++generation_;
	max_reports = std::max<size_t>(max_reports, 1);
	std::string payload;
	bool stop = false;
	for (Segment& s : segments_) {
		if (s.pending == 0)
			continue;
		if (!out.reports.empty() && s.stream != out.stream)
			break;
		bool owned = false;
		int fd = open_for_reading(s, owned);
		if (fd < 0) {
			log_.log(log::Level::error, "read",
			         fmt::format("cannot read spool file {}: {}", s.path, errno_text()));
			break;
		}
		uint64_t off =
		    s.number == frontier_segment_ ? std::max(frontier_offset_, s.data_start) : s.data_start;
		uint64_t taken = 0, seen = 0;
		bool reached_end = true;
		while (off < s.size) {
			RecordRead r = read_record(fd, off, s.size, payload);
			if (r.status == RecordRead::corrupt) {
				uint64_t next = resync(fd, off + 1, s.size);
				log_.log(log::Level::warn, "corrupt:" + s.path,
				         fmt::format("spool file {}: damaged record at offset {} skipped", s.path, off));
				off = next;
				continue;
			}
			if (r.status != RecordRead::ok)
				break;
			if (r.type == kReport) {
				ReportFields rf = report_fields(payload);
				size_t json_size = payload.size() - 16;
				if (out.reports.size() >= max_reports ||
				    (!out.reports.empty() && out.json_bytes + json_size > max_json_bytes)) {
					stop = true;
					reached_end = false;
					break;
				}
				++seen;
				if (rf.ok) {
					if (out.reports.empty())
						out.stream = s.stream;
					out.reports.push_back(SpooledReport{rf.seq, rf.time_ms, payload.substr(16)});
					out.json_bytes += json_size;
					++taken;
				}
			}
			off = r.next;
			out.end_segment = s.number;
			out.end_offset = off;
		}
		if (owned)
			::close(fd);
		// Self-repair: if the file holds fewer pending reports than counted (damage found only
		// now), believe the file.
		if (reached_end && seen < s.pending)
			s.pending = seen;
		if (taken > 0 || reached_end)
			out.taken.push_back({s.number, taken});
		if (stop)
			break;
	}
	if (!stop && (out.reports.empty() || out.stream == stream_)) {
		for (const SpooledReport& r : memory_) {
			if (out.reports.size() >= max_reports ||
			    (!out.reports.empty() && out.json_bytes + r.json.size() > max_json_bytes))
				break;
			if (out.reports.empty())
				out.stream = stream_;
			out.reports.push_back(r);
			out.json_bytes += r.json.size();
			++out.memory_count;
		}
	}
	remove_settled();
	return !out.reports.empty();
}

void Spool::settle(const SpoolBatch& batch) {
	if (batch.generation != generation_ || batch.generation == 0) {
		log::debug("spool: ignoring a stale batch");
		return;
	}
	++generation_;
	for (const auto& t : batch.taken) {
		auto it = std::find_if(segments_.begin(), segments_.end(),
		                       [&](const Segment& s) { return s.number == t.segment; });
		if (it != segments_.end() && t.count > 0) {
			it->pending -= std::min(it->pending, t.count);
			it->oldest_pending_ms.reset(); // unknown until read again (or the next append)
		}
	}
	if (batch.end_segment != 0 &&
	    (batch.end_segment > frontier_segment_ ||
	     (batch.end_segment == frontier_segment_ && batch.end_offset > frontier_offset_))) {
		frontier_segment_ = batch.end_segment;
		frontier_offset_ = batch.end_offset;
	}
	for (size_t i = 0; i < batch.memory_count && !memory_.empty(); ++i)
		memory_.pop_front();
	write_settled_record();
	remove_settled();
	if (pending() == 0)
		log_.recovered("dropped"); // delivered everything: a new episode of drops is logged again
}

void Spool::write_settled_record() {
	if (active_fd_ < 0)
		return;
	std::string record;
	frame(record, kSettled, settled_payload(frontier_segment_, frontier_offset_, dropped_));
	// No fsync: see the header. A failure here only means a resend after a restart.
	if (write_all(active_fd_, record))
		segments_.back().size += record.size();
}

Result<int> lock_instance(const std::string& path) {
	int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return Err(fmt::format("cannot open the lock file {}: {}", path, errno_text()));
	if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno;
		::close(fd);
		if (e == EWOULDBLOCK)
			return Err(fmt::format("another serversan-agent is running with the same state (lock {} is held)",
			                       path));
		return Err(fmt::format("cannot lock {}: {}", path, std::strerror(e)));
	}
	return fd;
}

} // namespace serversan::agent
