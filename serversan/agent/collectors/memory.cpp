#include "serversan/agent/collectors/memory.h"

#include "serversan/agent/collectors/text.h"

namespace serversan::agent {

Memory parse_meminfo(std::string_view text) {
	// The fields read, in bytes; the first occurrence of a key wins. meminfo has ~55 lines, so a
	// short table beats a map (and allocates nothing).
	enum Key { kTotal, kFree, kAvailable, kBuffers, kCached, kSReclaimable, kSwapTotal, kSwapFree, kKeys };
	static constexpr std::string_view names[kKeys] = {"MemTotal", "MemFree",      "MemAvailable", "Buffers",
	                                                  "Cached",   "SReclaimable", "SwapTotal",    "SwapFree"};
	std::optional<uint64_t> kb[kKeys];
	while (!text.empty()) {
		std::string_view line = next_line(text);
		size_t colon = line.find(':');
		if (colon == std::string_view::npos)
			continue;
		std::string_view name = line.substr(0, colon);
		size_t k = 0;
		while (k < kKeys && names[k] != name)
			++k;
		if (k == kKeys || kb[k])
			continue;
		// Every field we read is "<n> kB"; a unitless one (HugePages_Total) is a count.
		std::string_view rest = line.substr(colon + 1);
		std::string_view number = next_field(rest);
		std::string_view unit = next_field(rest);
		if (unit != "kB" || !next_field(rest).empty())
			continue;
		auto v = to_u64(number);
		if (v && *v <= UINT64_MAX / 1024)
			kb[k] = *v;
	}
	auto bytes = [&](Key k) -> std::optional<uint64_t> {
		if (!kb[k])
			return std::nullopt;
		return *kb[k] * 1024;
	};

	Memory m;
	m.total = bytes(kTotal);
	m.free = bytes(kFree);
	m.available = bytes(kAvailable);
	m.buffers = bytes(kBuffers);
	m.cached = bytes(kCached);
	if (m.cached) {
		if (auto sr = bytes(kSReclaimable))
			*m.cached += *sr;
	}
	// "used" as free(1) of procps 4 (Debian 12) shows it: MemTotal - MemAvailable, the memory the
	// kernel could not hand out without swapping. Kernels before 3.14 have no MemAvailable; there
	// procps falls back to total - free - buffers - cache, and so do we.
	if (m.total && m.available) {
		if (*m.available <= *m.total)
			m.used = *m.total - *m.available;
	} else if (m.total && m.free && m.buffers && m.cached) {
		uint64_t not_used = *m.free + *m.buffers + *m.cached;
		// Can exceed total in odd containers (lxcfs views); no honest "used" then.
		if (not_used <= *m.total)
			m.used = *m.total - not_used;
	}
	m.swap_total = bytes(kSwapTotal);
	auto swap_free = bytes(kSwapFree);
	if (m.swap_total && swap_free && *swap_free <= *m.swap_total)
		m.swap_used = *m.swap_total - *swap_free;
	return m;
}

Result<Memory> collect_memory(const std::string& proc_root) {
	auto text = read_text_file(join_path(proc_root, "meminfo"));
	if (!text)
		return text.error();
	return parse_meminfo(*text);
}

} // namespace serversan::agent
