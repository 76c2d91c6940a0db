// Walking text that is already valid UTF-8 (sanitize_utf8's output, our own catalogue) one code
// point at a time. Not a validator: html.h's sanitize_utf8 is the one place that repairs input.
#pragma once

#include <cstddef>
#include <string_view>

namespace serversan::bot::views {

// The code point at s[i]; moves i past it (never past s.size()).
inline char32_t next_code_point(std::string_view s, size_t& i) {
	auto b = static_cast<unsigned char>(s[i]);
	size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
	char32_t cp = n == 1 ? b : n == 2 ? (b & 0x1F) : n == 3 ? (b & 0x0F) : (b & 0x07);
	for (size_t k = 1; k < n && i + k < s.size(); ++k)
		cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
	i = i + n < s.size() ? i + n : s.size();
	return cp;
}

} // namespace serversan::bot::views
