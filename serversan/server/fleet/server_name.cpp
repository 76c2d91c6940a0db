#include "serversan/server/fleet/server_name.h"

#include <simdjson.h>

#include "serversan/core/ascii.h"

namespace serversan::fleet {

namespace {

// Decodes the code point at s[i] (s is valid UTF-8) and advances i.
char32_t next_code_point(std::string_view s, size_t& i) {
	auto b = static_cast<unsigned char>(s[i]);
	int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
	char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
	for (int k = 1; k < len; ++k)
		cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
	i += len;
	return cp;
}

bool forbidden(char32_t cp) {
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFD || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

} // namespace

std::string trim_name(std::string_view raw) {
	return std::string(trim_ascii_space(raw));
}

NameProblem check_server_name(std::string_view name) {
	if (name.empty())
		return NameProblem::empty;
	if (!simdjson::validate_utf8(name.data(), name.size()))
		return NameProblem::bad_characters;
	size_t chars = 0;
	for (size_t i = 0; i < name.size(); ++chars)
		if (forbidden(next_code_point(name, i)))
			return NameProblem::bad_characters;
	return chars > kMaxServerNameChars ? NameProblem::too_long : NameProblem::none;
}

} // namespace serversan::fleet
