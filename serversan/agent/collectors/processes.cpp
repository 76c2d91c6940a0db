#include "serversan/agent/collectors/processes.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "serversan/agent/collectors/text.h"

namespace serversan::agent {

std::optional<PidStat> parse_pid_stat(std::string_view text) {
	// "pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime
	//  stime cutime cstime priority nice num_threads itrealvalue starttime vsize rss ..."
	text = trim(text);
	size_t open = text.find('(');
	size_t close = text.rfind(')');
	if (open == std::string_view::npos || close == std::string_view::npos || close < open)
		return std::nullopt;
	auto pid = to_u64(trim(text.substr(0, open)));
	if (!pid || *pid == 0 || *pid > INT32_MAX)
		return std::nullopt;
	PidStat s;
	s.pid = static_cast<uint32_t>(*pid);
	s.comm = text.substr(open + 1, close - open - 1);
	std::string_view rest = text.substr(close + 1);
	std::string_view state = next_field(rest);
	if (state.size() != 1)
		return std::nullopt;
	s.state = state[0];
	// Fields 4.. after the state; we need 14, 15 (utime, stime), 20 (num_threads), 22
	// (starttime) and 24 (rss), numbered as in proc(5).
	std::optional<uint64_t> utime, stime, threads, start, rss;
	for (int field = 4; field <= 24; ++field) {
		std::string_view f = next_field(rest);
		if (f.empty())
			return std::nullopt;
		switch (field) {
		case 14:
			utime = to_u64(f);
			break;
		case 15:
			stime = to_u64(f);
			break;
		case 20:
			threads = to_u64(f);
			break;
		case 22:
			start = to_u64(f);
			break;
		case 24: {
			// rss is signed in the kernel's format; a negative value is nonsense, not a count.
			auto r = to_i64(f);
			if (r && *r >= 0)
				rss = static_cast<uint64_t>(*r);
			break;
		}
		default:
			break;
		}
	}
	if (!utime || !stime || !threads || !start || !rss)
		return std::nullopt;
	s.cpu_ticks = *utime + *stime;
	s.threads = *threads;
	s.start_ticks = *start;
	s.rss_pages = *rss;
	return s;
}

std::optional<uint32_t> parse_status_euid(std::string_view text) {
	while (!text.empty()) {
		std::string_view line = next_line(text);
		if (!line.starts_with("Uid:"))
			continue;
		line.remove_prefix(4);
		next_field(line); // real
		auto euid = to_u64(next_field(line));
		if (!euid || *euid > UINT32_MAX)
			return std::nullopt;
		return static_cast<uint32_t>(*euid);
	}
	return std::nullopt;
}

std::unordered_map<uint32_t, std::string> parse_passwd(std::string_view text) {
	std::unordered_map<uint32_t, std::string> users;
	while (!text.empty()) {
		std::string_view line = next_line(text);
		// name:password:uid:gid:gecos:home:shell
		size_t c1 = line.find(':');
		if (c1 == 0 || c1 == std::string_view::npos || line.front() == '#' || line.front() == '+' ||
		    line.front() == '-')
			continue;
		size_t c2 = line.find(':', c1 + 1);
		if (c2 == std::string_view::npos)
			continue;
		size_t c3 = line.find(':', c2 + 1);
		auto uid =
		    to_u64(line.substr(c2 + 1, c3 == std::string_view::npos ? std::string_view::npos : c3 - c2 - 1));
		if (!uid || *uid > UINT32_MAX)
			continue;
		users.try_emplace(static_cast<uint32_t>(*uid),
		                  line.substr(0, c1)); // the first entry wins, as getpwuid
	}
	return users;
}

namespace {
// The initial pid namespace's inode number (PROC_PID_INIT_INO in the kernel).
constexpr std::string_view kInitPidNamespace = "pid:[4026531836]";

std::optional<int64_t> nlink_of(const std::string& path) {
	struct stat st {};
	if (::stat(path.c_str(), &st) != 0)
		return std::nullopt;
	return static_cast<int64_t>(st.st_nlink);
}
} // namespace

ProcessCounter::ProcessCounter(const std::string& proc_root) : proc_(proc_root), dir_(proc_root) {
	char target[64];
	ssize_t n = ::readlink(join_path(proc_root, "self/ns/pid").c_str(), target, sizeof target);
	nlink_usable_ = n > 0 && std::string_view(target, static_cast<size_t>(n)) == kInitPidNamespace;
}

Result<uint64_t> ProcessCounter::list() {
	if (auto listed = dir_.list(pids_); !listed)
		return listed.error();
	return static_cast<uint64_t>(pids_.size());
}

Result<uint64_t> ProcessCounter::count() {
	if (!nlink_usable_)
		return list();
	if (offset_) {
		auto nlink = nlink_of(proc_);
		if (nlink && *nlink - *offset_ >= 0)
			return static_cast<uint64_t>(*nlink - *offset_);
		offset_.reset();
	}
	// Learn the constant: a listing between two stats that agree (no fork or exit in between).
	auto before = nlink_of(proc_);
	auto listed = list();
	auto after = nlink_of(proc_);
	if (listed && before && after && *before == *after && *before >= static_cast<int64_t>(*listed))
		offset_ = *before - static_cast<int64_t>(*listed);
	return listed;
}

ProcessCollector::ProcessCollector(const HostPaths& paths, uint64_t ticks_per_s, uint64_t page_size)
    : proc_(paths.proc), passwd_path_(join_path(paths.etc, "passwd")),
      ticks_per_s_(ticks_per_s ? ticks_per_s : 100), page_size_(page_size ? page_size : 4096),
      dir_(paths.proc) {}

Result<void> ProcessCollector::snapshot(std::vector<Snap>& out) {
	out.clear();
	if (auto listed = dir_.list(pids_); !listed)
		return listed;
	char path[32];
	char buf[1024];
	for (uint32_t pid : pids_) {
		auto end = fmt::format_to_n(path, sizeof path - 1, "{}/stat", pid).out;
		*end = '\0';
		int fd = ::openat(dir_.fd(), path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue; // exited since the listing
		ssize_t n = ::read(fd, buf, sizeof buf);
		::close(fd);
		if (n <= 0)
			continue;
		auto s = parse_pid_stat(std::string_view(buf, static_cast<size_t>(n)));
		if (!s)
			continue;
		Snap snap{};
		snap.pid = s->pid;
		snap.state = s->state;
		snap.comm_len = static_cast<uint8_t>(std::min(s->comm.size(), sizeof snap.comm));
		std::memcpy(snap.comm, s->comm.data(), snap.comm_len);
		snap.cpu_ticks = s->cpu_ticks;
		snap.start_ticks = s->start_ticks;
		snap.threads = s->threads;
		snap.rss_pages = s->rss_pages;
		out.push_back(snap);
	}
	return Ok();
}

Result<void> ProcessCollector::prime(TimePoint now) {
	auto taken = snapshot(prev_);
	have_prev_ = taken.ok();
	prev_time_ = now;
	return taken;
}

std::string ProcessCollector::user_of(uint32_t pid) {
	char path[48];
	auto end = fmt::format_to_n(path, sizeof path - 1, "{}/status", pid).out;
	*end = '\0';
	int fd = dir_.fd() >= 0 ? ::openat(dir_.fd(), path, O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0)
		return {};
	char buf[4096];
	ssize_t n = ::read(fd, buf, sizeof buf);
	::close(fd);
	if (n <= 0)
		return {};
	auto uid = parse_status_euid(std::string_view(buf, static_cast<size_t>(n)));
	if (!uid)
		return {};
	auto it = users_.find(*uid);
	if (it != users_.end())
		return it->second;
	return std::to_string(*uid);
}

Result<ProcessPass> ProcessCollector::pass(TimePoint now, size_t top_n) {
	auto taken = snapshot(cur_);
	if (!taken) {
		have_prev_ = false;
		return taken.error();
	}
	// Re-read the user names only when the host's passwd changed.
	struct stat st {};
	if (::stat(passwd_path_.c_str(), &st) == 0) {
		int64_t mtime = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
		if (mtime != passwd_mtime_ns_ || st.st_size != passwd_size_) {
			if (auto text = read_text_file(passwd_path_, 16 << 20))
				users_ = parse_passwd(*text);
			passwd_mtime_ns_ = mtime;
			passwd_size_ = st.st_size;
		}
	}

	ProcessPass out;
	uint64_t zombies = 0, threads = 0;
	// Both snapshots are in pid order: a merge finds each process's baseline.
	size_t j = 0;
	for (Snap& s : cur_) {
		if (s.state == 'Z')
			++zombies;
		threads += s.threads;
		while (j < prev_.size() && prev_[j].pid < s.pid)
			++j;
		bool same =
		    have_prev_ && j < prev_.size() && prev_[j].pid == s.pid && prev_[j].start_ticks == s.start_ticks;
		s.delta_ticks =
		    same ? (s.cpu_ticks >= prev_[j].cpu_ticks ? s.cpu_ticks - prev_[j].cpu_ticks : 0) : s.cpu_ticks;
	}
	out.counts.total = cur_.size();
	out.counts.zombie = zombies;
	out.counts.threads = threads;

	double seconds = std::chrono::duration<double>(now - prev_time_).count();
	bool cpu_known = have_prev_ && seconds > 0;
	auto entry = [&](const Snap& s) {
		ProcessEntry e;
		e.pid = s.pid;
		e.name.assign(s.comm, s.comm_len);
		e.user = user_of(s.pid);
		if (cpu_known)
			e.cpu_percent =
			    100.0 * static_cast<double>(s.delta_ticks) / static_cast<double>(ticks_per_s_) / seconds;
		e.rss = s.rss_pages * page_size_;
		return e;
	};
	auto top = [&](auto better) {
		order_.resize(cur_.size());
		for (size_t i = 0; i < cur_.size(); ++i)
			order_[i] = static_cast<uint32_t>(i);
		size_t n = std::min(top_n, order_.size());
		std::partial_sort(order_.begin(), order_.begin() + static_cast<std::ptrdiff_t>(n), order_.end(),
		                  [&](uint32_t a, uint32_t b) { return better(cur_[a], cur_[b]); });
		std::vector<ProcessEntry> list;
		list.reserve(n);
		for (size_t i = 0; i < n; ++i)
			list.push_back(entry(cur_[order_[i]]));
		return list;
	};
	if (cpu_known) {
		out.top_cpu = top([](const Snap& a, const Snap& b) {
			if (a.delta_ticks != b.delta_ticks)
				return a.delta_ticks > b.delta_ticks;
			if (a.rss_pages != b.rss_pages)
				return a.rss_pages > b.rss_pages;
			return a.pid < b.pid;
		});
	}
	out.top_memory = top([](const Snap& a, const Snap& b) {
		if (a.rss_pages != b.rss_pages)
			return a.rss_pages > b.rss_pages;
		return a.pid < b.pid;
	});

	std::swap(prev_, cur_);
	have_prev_ = true;
	prev_time_ = now;
	return out;
}

} // namespace serversan::agent
