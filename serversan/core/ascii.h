// ASCII-only case folding and white space, for what people type and what protocols name: command
// names, bot usernames, time zone names, server names typed as references, alert kinds, HTTP
// header names. Locale-free on purpose: a Turkish locale must not change how "/List" is read.
#pragma once

#include <string_view>

namespace serversan {

constexpr char ascii_lower(char c) {
	return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool ascii_space(char c) {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

constexpr bool equal_ascii_ci(std::string_view a, std::string_view b) {
	if (a.size() != b.size())
		return false;
	for (size_t i = 0; i < a.size(); ++i)
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return false;
	return true;
}

constexpr std::string_view trim_ascii_space(std::string_view s) {
	while (!s.empty() && ascii_space(s.front()))
		s.remove_prefix(1);
	while (!s.empty() && ascii_space(s.back()))
		s.remove_suffix(1);
	return s;
}

} // namespace serversan
