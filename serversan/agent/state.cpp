#include "serversan/agent/state.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "serversan/agent/collectors/text.h"
#include "serversan/core/crypto.h"
#include "serversan/core/encoding.h"
#include "serversan/core/log.h"

namespace serversan::agent {

namespace {

constexpr size_t kStreamHexDigits = 16;
constexpr std::string_view kHeader =
    "# serversan-agent state. Deleting this file starts a new report stream.\n";

std::string new_stream_id() {
	std::array<uint8_t, kStreamHexDigits / 2> raw{};
	crypto::random_bytes(raw);
	return hex_encode(raw);
}

std::string errno_text(int e) {
	return std::strerror(e);
}

Result<void> write_all(int fd, std::string_view data, const std::string& path) {
	while (!data.empty()) {
		ssize_t n = ::write(fd, data.data(), data.size());
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return Err(fmt::format("{}: write: {}", path, errno_text(errno)));
		}
		data.remove_prefix(static_cast<size_t>(n));
	}
	return Ok();
}

} // namespace

Result<void> make_directories(const std::string& dir, unsigned mode) {
	size_t pos = 0;
	do {
		pos = dir.find('/', pos + 1);
		std::string part = dir.substr(0, pos);
		if (::mkdir(part.c_str(), mode) != 0 && errno != EEXIST)
			return Err(fmt::format("cannot create the directory {}: {}", part, errno_text(errno)));
	} while (pos != std::string::npos);
	return Ok();
}

Result<void> write_file_atomic(const std::string& path, std::string_view content, unsigned mode) {
	size_t slash = path.rfind('/');
	std::string dir = slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
	std::string tmp = fmt::format("{}.tmp.{}", path, ::getpid());
	int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return Err(fmt::format("{}: cannot create: {}", tmp, errno_text(errno)));
	Result<void> written = write_all(fd, content, tmp);
	if (written && ::fsync(fd) != 0)
		written = Err(fmt::format("{}: fsync: {}", tmp, errno_text(errno)));
	if (::close(fd) != 0 && written)
		written = Err(fmt::format("{}: close: {}", tmp, errno_text(errno)));
	if (!written) {
		::unlink(tmp.c_str());
		return written;
	}
	if (::rename(tmp.c_str(), path.c_str()) != 0) {
		int e = errno;
		::unlink(tmp.c_str());
		return Err(fmt::format("{}: rename: {}", path, errno_text(e)));
	}
	// The rename is durable only once the directory entry is.
	int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		::fsync(dfd);
		::close(dfd);
	}
	return Ok();
}

std::string AgentState::format(std::string_view stream, uint64_t next_seq) {
	return fmt::format("{}stream={}\nnext_seq={}\n", kHeader, stream, next_seq);
}

Result<AgentState::Parsed> AgentState::parse(std::string_view text) {
	Parsed p;
	bool have_stream = false, have_seq = false;
	Result<void> bad = Ok();
	for_each_line(text, [&](std::string_view line) {
		line = trim(line);
		if (line.empty() || line.front() == '#' || !bad)
			return;
		size_t eq = line.find('=');
		std::string_view key = line.substr(0, eq);
		std::string_view value = eq == std::string_view::npos ? std::string_view{} : line.substr(eq + 1);
		if (key == "stream" && !have_stream) {
			if (value.size() != kStreamHexDigits || !is_lower_hex(value))
				bad = Err("stream must be 16 lowercase hex digits");
			p.stream = value;
			have_stream = true;
		} else if (key == "next_seq" && !have_seq) {
			auto n = parse_u64(value);
			if (!n || *n == 0)
				bad = Err("next_seq must be a positive integer");
			else
				p.next_seq = *n;
			have_seq = true;
		} else {
			bad = Err(fmt::format("unexpected line \"{}\"", line.substr(0, 40)));
		}
	});
	if (!bad)
		return bad.error();
	if (!have_stream || !have_seq)
		return Err("stream and next_seq are both required");
	return p;
}

std::optional<AgentState> AgentState::peek(const std::string& path) {
	auto text = read_text_file(path, 64 << 10);
	if (!text)
		return std::nullopt;
	auto parsed = parse(*text);
	if (!parsed)
		return std::nullopt;
	return AgentState(path, parsed->stream, parsed->next_seq);
}

Result<AgentState> AgentState::open(std::string path) {
	struct stat st {};
	bool missing = ::stat(path.c_str(), &st) != 0 && errno == ENOENT;
	if (!missing) {
		auto text = read_text_file(path, 64 << 10);
		if (!text)
			return Err(fmt::format("cannot read the state file: {}", text.error().message));
		auto parsed = parse(*text);
		if (parsed)
			return AgentState(std::move(path), std::move(parsed->stream), parsed->next_seq);
		log::warn("state file {} is malformed ({}); starting a new report stream", path,
		          parsed.error().message);
	}

	if (size_t slash = path.rfind('/'); slash != std::string::npos && slash > 0) {
		if (auto made = make_directories(path.substr(0, slash)); !made)
			return made.error();
	}
	AgentState state(std::move(path), new_stream_id(), 1);
	auto written = write_file_atomic(state.path_, format(state.stream_, state.next_seq_));
	if (!written)
		return Err(fmt::format("cannot write the state file: {}", written.error().message));
	log::info("new report stream {} (state file {})", state.stream_, state.path_);
	return state;
}

Result<uint64_t> AgentState::reserve_seq() {
	uint64_t seq = next_seq_;
	auto written = write_file_atomic(path_, format(stream_, seq + 1));
	if (!written)
		return Err(fmt::format("cannot reserve sequence number {}: {}", seq, written.error().message));
	next_seq_ = seq + 1;
	saved_seq_ = next_seq_;
	return seq;
}

Result<void> AgentState::raise_to(uint64_t n) {
	if (n > next_seq_)
		next_seq_ = n;
	return save();
}

Result<void> AgentState::save() {
	if (next_seq_ <= saved_seq_)
		return Ok();
	auto written = write_file_atomic(path_, format(stream_, next_seq_));
	if (!written)
		return Err(fmt::format("cannot save the state file: {}", written.error().message));
	saved_seq_ = next_seq_;
	return Ok();
}

} // namespace serversan::agent
