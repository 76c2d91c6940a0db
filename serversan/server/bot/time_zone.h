// IANA time zone names ("Europe/Berlin", "Asia/Shanghai", "UTC") checked against the system's
// tz database (/usr/share/zoneinfo, Debian's tzdata): libstdc++ 12 has no tzdb and nothing
// linked yet reads one. The name is checked character by character before it touches the file
// system, so "../../etc/passwd" or an absolute path is refused without a look.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace serversan::bot {

inline constexpr std::string_view kZoneInfoDir = "/usr/share/zoneinfo";

// The canonical spelling of name if it is a zone in zoneinfo_dir (case-insensitive for the
// common "europe/berlin"), else nothing.
std::optional<std::string> find_time_zone(std::string_view name,
                                          std::string_view zoneinfo_dir = kZoneInfoDir);

} // namespace serversan::bot
