// Reading and parsing the small text files the kernel exports (/proc, /sys, /etc). Every helper
// answers "no value" (nullopt, an Error) for anything unexpected, so a collector never turns a
// missing or malformed field into a zero.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/core/result.h"

namespace serversan::agent {

// The whole file, up to max_bytes (procfs files report size 0, so the size is not trusted).
// The error names the path and the errno text.
Result<std::string> read_text_file(const std::string& path, size_t max_bytes = 1 << 20);

// path joined with a relative name, with exactly one '/' between them.
std::string join_path(std::string_view base, std::string_view name);

std::string_view trim(std::string_view s);

// Splits on runs of spaces and tabs; no empty fields.
std::vector<std::string_view> split_ws(std::string_view line);

// Removes and returns the next field of `rest` (fields are separated by runs of spaces and
// tabs); empty when none is left. The allocation-free form of split_ws for per-round parsers.
std::string_view next_field(std::string_view& rest);

// Removes and returns the next line of `rest`, without its '\n'.
std::string_view next_line(std::string_view& rest);

// Calls f(line) for each line, without the '\n'.
template <typename F>
void for_each_line(std::string_view text, F&& f) {
	while (!text.empty()) {
		size_t nl = text.find('\n');
		std::string_view line = text.substr(0, nl);
		f(line);
		if (nl == std::string_view::npos)
			break;
		text.remove_prefix(nl + 1);
	}
}

// Whole-field parses: the entire text must be the number (no sign for unsigned, no trailing
// junk); nullopt otherwise.
std::optional<uint64_t> to_u64(std::string_view text);
std::optional<int64_t> to_i64(std::string_view text);
std::optional<double> to_double(std::string_view text);

} // namespace serversan::agent
