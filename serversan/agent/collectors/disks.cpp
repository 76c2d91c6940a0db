#include "serversan/agent/collectors/disks.h"

#include <algorithm>
#include <sys/stat.h>

#include "serversan/agent/collectors/text.h"

namespace serversan::agent {

namespace {

bool all_digits(std::string_view s) {
	return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "<prefix><digits>p<digits>", e.g. nvme0n1p2 with prefix "nvme" needs "n" handled by the caller.
bool digits_p_digits(std::string_view s) {
	size_t p = s.find('p');
	return p != std::string_view::npos && all_digits(s.substr(0, p)) && all_digits(s.substr(p + 1));
}

} // namespace

bool looks_like_partition(std::string_view name) {
	// (h|s|v|xv)d[a-z]+[0-9]+
	for (std::string_view prefix : {"xvd", "hd", "sd", "vd"}) {
		if (name.starts_with(prefix)) {
			std::string_view rest = name.substr(prefix.size());
			size_t letters = 0;
			while (letters < rest.size() && rest[letters] >= 'a' && rest[letters] <= 'z')
				++letters;
			return letters > 0 && all_digits(rest.substr(letters));
		}
	}
	// nvme[0-9]+n[0-9]+p[0-9]+
	if (name.starts_with("nvme")) {
		std::string_view rest = name.substr(4);
		size_t n = rest.find('n');
		return n != std::string_view::npos && all_digits(rest.substr(0, n)) &&
		       digits_p_digits(rest.substr(n + 1));
	}
	// (mmcblk|md|nbd)[0-9]+p[0-9]+
	for (std::string_view prefix : {"mmcblk", "md", "nbd"}) {
		if (name.starts_with(prefix))
			return digits_p_digits(name.substr(prefix.size()));
	}
	return false;
}

bool is_virtual_disk(std::string_view name) {
	for (std::string_view prefix : {"loop", "ram", "zram", "fd"}) {
		if (name.starts_with(prefix) && all_digits(name.substr(prefix.size())))
			return true;
	}
	return false;
}

void parse_diskstats_into(std::string_view text, std::vector<DiskCounters>& out) {
	size_t n = 0;
	while (!text.empty()) {
		std::string_view rest = next_line(text);
		// major minor name, then: reads merged sectors ms, writes merged sectors ms, in_flight
		// io_ticks time_in_queue [discards x4] [flushes x2].
		std::string_view major = next_field(rest), minor = next_field(rest), name = next_field(rest);
		if (name.empty() || !to_u64(major) || !to_u64(minor))
			continue;
		uint64_t v[11];
		size_t got = 0;
		for (; got < 11; ++got) {
			auto x = to_u64(next_field(rest));
			if (!x)
				break;
			v[got] = *x;
		}
		if (got < 11)
			continue; // the 4-field partition lines of kernels before 2.6.25
		if (n == out.size())
			out.emplace_back();
		DiskCounters& d = out[n++];
		d.name.assign(name);
		d.reads = v[0];
		d.sectors_read = v[2];
		d.writes = v[4];
		d.sectors_written = v[6];
		d.io_ticks_ms = v[9];
	}
	out.resize(n);
}

std::vector<DiskCounters> parse_diskstats(std::string_view text) {
	std::vector<DiskCounters> out;
	parse_diskstats_into(text, out);
	return out;
}

void disks_between(const std::vector<DiskCounters>& before, const std::vector<DiskCounters>& after,
                   double seconds, std::vector<DiskIo>& out) {
	out.clear();
	if (!(seconds > 0))
		return;
	out.reserve(std::min(after.size(), kMaxDisks));
	for (size_t i = 0; i < after.size() && out.size() < kMaxDisks; ++i) {
		const DiskCounters& b = after[i];
		const DiskCounters* a = nullptr;
		if (i < before.size() && before[i].name == b.name) {
			a = &before[i];
		} else {
			for (const DiskCounters& d : before) {
				if (d.name == b.name) {
					a = &d;
					break;
				}
			}
		}
		if (!a)
			continue;
		DiskIo io;
		io.device = b.name;
		auto rate = [seconds](uint64_t x, uint64_t y, double scale) -> std::optional<double> {
			if (y < x)
				return std::nullopt;
			return static_cast<double>(y - x) * scale / seconds;
		};
		io.read_bytes_per_s = rate(a->sectors_read, b.sectors_read, 512);
		io.write_bytes_per_s = rate(a->sectors_written, b.sectors_written, 512);
		io.reads_per_s = rate(a->reads, b.reads, 1);
		io.writes_per_s = rate(a->writes, b.writes, 1);
		if (b.io_ticks_ms >= a->io_ticks_ms)
			io.busy_percent =
			    std::min(100.0, static_cast<double>(b.io_ticks_ms - a->io_ticks_ms) / (seconds * 10.0));
		out.push_back(std::move(io));
	}
}

DiskCollector::DiskCollector(const HostPaths& paths)
    : sys_block_(join_path(paths.sys, "class/block")), file_(join_path(paths.proc, "diskstats")) {}

bool DiskCollector::reported(const std::string& name) {
	for (const auto& [n, verdict] : verdicts_) {
		if (n == name)
			return verdict;
	}
	bool verdict = !is_virtual_disk(name);
	if (verdict) {
		struct stat st {};
		std::string dir = join_path(sys_block_, name);
		if (::stat(dir.c_str(), &st) == 0)
			verdict = ::stat((dir + "/partition").c_str(), &st) != 0;
		else
			verdict = !looks_like_partition(name);
	}
	if (verdicts_.size() < 4 * kMaxDisks)
		verdicts_.emplace_back(name, verdict);
	return verdict;
}

Result<void> DiskCollector::collect(std::optional<double> seconds, std::vector<DiskIo>& out) {
	out.clear();
	auto text = file_.read();
	if (!text) {
		have_prev_ = false;
		return text.error();
	}
	parse_diskstats_into(*text, all_);
	size_t n = 0;
	for (DiskCounters& d : all_) {
		if ((d.reads == 0 && d.writes == 0) || !reported(d.name))
			continue;
		if (n == cur_.size())
			cur_.emplace_back();
		std::swap(cur_[n++], d);
	}
	cur_.resize(n);
	if (have_prev_ && seconds)
		disks_between(prev_, cur_, *seconds, out);
	std::swap(prev_, cur_);
	have_prev_ = true;
	return Ok();
}

} // namespace serversan::agent
