// Server names as users type them: trimmed, 1-64 characters, valid UTF-8, no control characters
// (C0, C1, DEL) and no bidirectional overrides, which would let a name disguise itself or the text
// after it in a list. Names are escaped wherever they are shown
// (bot/html.h, JSON). The bot's /add and /rename and the web API's add and rename share these rules.
#pragma once

#include <string>
#include <string_view>

namespace serversan::fleet {

inline constexpr size_t kMaxServerNameChars = 64;

enum class NameProblem { none, empty, too_long, bad_characters };

// The name with white space trimmed at both ends.
std::string trim_name(std::string_view raw);
// Why the (trimmed) name cannot be used, or none.
NameProblem check_server_name(std::string_view name);

} // namespace serversan::fleet
