// Strings an agent or a user chose (server names, hostnames, mount points, interface and process
// names) made safe to put between our tags: valid UTF-8, no control characters, no bidirectional
// overrides (a U+202E in a process name would reverse the rest of the line), at most max_chars
// characters with "…" where it was cut, then HTML-escaped. Any input gives a short, inert string.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace serversan::bot::views {

inline constexpr size_t kNameChars = 32;  // server names, hostnames
inline constexpr size_t kLabelChars = 24; // mounts, interfaces, processes, sensors in a list

std::string agent_text(std::string_view raw, size_t max_chars = kNameChars);
// agent_text() without the escaping, for button labels (Telegram shows them as plain text).
std::string agent_plain_text(std::string_view raw, size_t max_chars = kNameChars);
// What server names sort and match by: ASCII letters folded to lower case, the rest as it is.
std::string name_key(std::string_view name);

} // namespace serversan::bot::views
