// The /threshold buttons' callback data, "th:<scope>[:<kind>[:<action>]]" with scope "c" (the
// chat's defaults) or a server id, and "th:p" (pick a server). Actions: "t<i>" the kind's i-th
// threshold preset, "d<m>" a duration of m minutes, "sev" (warning <-> critical), "on", "off",
// "rst" (remove the own rule). At most 35 bytes, within Telegram's 64. Parsing only reads the
// shape; the server id is checked by access.h like every other id from a client.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "serversan/server/alerts/rule_catalog.h"

namespace serversan::bot::threshold {

inline constexpr std::string_view kPrefix = "th";

struct Callback {
	enum What { overview, pick, editor, press } what = overview;
	std::optional<uint64_t> server; // empty: the chat's defaults
	const alerts::AlertKind* kind = nullptr;
	std::string action;
};

std::string overview_data(std::optional<uint64_t> server);
std::string pick_data();
std::string editor_data(std::optional<uint64_t> server, const alerts::AlertKind& kind);
std::string action_data(std::optional<uint64_t> server, const alerts::AlertKind& kind,
                        std::string_view action);
// payload: the data after "th:".
std::optional<Callback> parse_callback(std::string_view payload);

} // namespace serversan::bot::threshold
