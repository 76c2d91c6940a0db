#include "serversan/agent/collectors/counters_file.h"

#include <cerrno>
#include <sys/stat.h>

#include <fmt/format.h>

#include "serversan/agent/collectors/text.h"
#include "serversan/agent/state.h"

namespace serversan::agent {

namespace {
constexpr std::string_view kMagic = "serversan-counters 1";

bool valid_name(std::string_view name) {
	// Linux interface names: 1..15 bytes, no '/', ':' or whitespace.
	if (name.empty() || name.size() > 15)
		return false;
	for (char c : name) {
		if (c == '/' || c == ':' || static_cast<unsigned char>(c) <= ' ' || c == 0x7f)
			return false;
	}
	return true;
}
} // namespace

std::string format_counters(const SavedCounters& c) {
	std::string out;
	out.reserve(64 + 96 * c.interfaces.size());
	out.append(kMagic);
	out.push_back('\n');
	fmt::format_to(std::back_inserter(out), "boot_id {}\n", c.boot_id.empty() ? "-" : c.boot_id);
	for (const InterfaceTotals& t : c.interfaces) {
		if (!valid_name(t.name))
			continue;
		fmt::format_to(std::back_inserter(out), "net {} {} {} {} {} {}\n", t.name, t.raw_rx, t.raw_tx,
		               t.total_rx, t.total_tx, t.seen_unix);
	}
	return out;
}

Result<SavedCounters> parse_counters(std::string_view text) {
	SavedCounters c;
	size_t line_no = 0;
	bool boot_seen = false;
	while (!text.empty()) {
		std::string_view line = next_line(text);
		++line_no;
		if (line_no == 1) {
			if (line != kMagic)
				return Err("not a counters file (first line)");
			continue;
		}
		std::string_view rest = line;
		std::string_view key = next_field(rest);
		if (key.empty())
			continue;
		if (key == "boot_id" && !boot_seen) {
			std::string_view id = next_field(rest);
			if (id.empty() || id.size() > 64 || !next_field(rest).empty())
				return Err(fmt::format("line {}: bad boot_id", line_no));
			c.boot_id = id == "-" ? "" : std::string(id);
			boot_seen = true;
		} else if (key == "net") {
			InterfaceTotals t;
			std::string_view name = next_field(rest);
			auto raw_rx = to_u64(next_field(rest)), raw_tx = to_u64(next_field(rest));
			auto total_rx = to_u64(next_field(rest)), total_tx = to_u64(next_field(rest));
			auto seen = to_i64(next_field(rest));
			if (!valid_name(name) || !raw_rx || !raw_tx || !total_rx || !total_tx || !seen ||
			    !next_field(rest).empty() || c.interfaces.size() >= kMaxTotals)
				return Err(fmt::format("line {}: bad interface entry", line_no));
			for (const InterfaceTotals& other : c.interfaces) {
				if (other.name == name)
					return Err(fmt::format("line {}: interface {} twice", line_no, name));
			}
			c.interfaces.push_back({std::string(name), *raw_rx, *raw_tx, *total_rx, *total_tx, *seen, true});
		} else {
			return Err(fmt::format("line {}: unknown entry \"{}\"", line_no, key));
		}
	}
	if (line_no == 0)
		return Err("empty file");
	if (!boot_seen)
		return Err("no boot_id line");
	return c;
}

Result<SavedCounters> load_counters(const std::string& path) {
	struct stat st {};
	if (::stat(path.c_str(), &st) != 0 && errno == ENOENT)
		return SavedCounters{};
	auto text = read_text_file(path, 1 << 20);
	if (!text)
		return text.error();
	auto parsed = parse_counters(*text);
	if (!parsed)
		return Err(fmt::format("{}: {}", path, parsed.error().message));
	return parsed;
}

Result<void> save_counters(const std::string& path, const SavedCounters& c) {
	return write_file_atomic(path, format_counters(c), 0600);
}

std::string read_boot_id(const std::string& proc_root) {
	auto text = read_text_file(join_path(proc_root, "sys/kernel/random/boot_id"), 128);
	if (!text)
		return {};
	std::string_view id = trim(*text);
	if (id.empty() || id.size() > 64 || id.find_first_of(" \t") != std::string_view::npos)
		return {};
	return std::string(id);
}

} // namespace serversan::agent
