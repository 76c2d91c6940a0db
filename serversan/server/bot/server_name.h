// Server names as users type them: trimmed, 1-64 characters, valid UTF-8, no control characters
// (C0, C1, DEL) and no bidirectional overrides, which would let a name disguise itself or the text
// after it in a list. Names are escaped (html.h) wherever they are shown.
#pragma once

#include <string>
#include <string_view>

namespace serversan::bot {

inline constexpr size_t kMaxServerNameChars = 64;

enum class NameProblem { none, empty, too_long, bad_characters };

// The name with white space trimmed at both ends.
std::string trim_name(std::string_view raw);
// Why the (trimmed) name cannot be used, or none.
NameProblem check_server_name(std::string_view name);

} // namespace serversan::bot
