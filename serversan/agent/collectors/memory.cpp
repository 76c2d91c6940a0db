#include "serversan/agent/collectors/memory.h"

#include <map>

#include "serversan/agent/collectors/text.h"

namespace serversan::agent {

Memory parse_meminfo(std::string_view text) {
	std::map<std::string_view, uint64_t, std::less<>> kb;
	for_each_line(text, [&](std::string_view line) {
		size_t colon = line.find(':');
		if (colon == std::string_view::npos)
			return;
		auto fields = split_ws(line.substr(colon + 1));
		// Every field we read is "<n> kB"; a unitless one (HugePages_Total) is a count.
		if (fields.size() != 2 || fields[1] != "kB")
			return;
		auto v = to_u64(fields[0]);
		if (v && *v <= UINT64_MAX / 1024)
			kb.emplace(line.substr(0, colon), *v);
	});
	auto bytes = [&](std::string_view name) -> std::optional<uint64_t> {
		auto it = kb.find(name);
		if (it == kb.end())
			return std::nullopt;
		return it->second * 1024;
	};

	Memory m;
	m.total = bytes("MemTotal");
	m.free = bytes("MemFree");
	m.available = bytes("MemAvailable");
	m.buffers = bytes("Buffers");
	m.cached = bytes("Cached");
	if (m.cached) {
		if (auto sr = bytes("SReclaimable"))
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
	m.swap_total = bytes("SwapTotal");
	auto swap_free = bytes("SwapFree");
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
