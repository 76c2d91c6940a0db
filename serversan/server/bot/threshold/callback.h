// The /threshold buttons' callback data, "th:<scope>[:<kind>[:<action>]]" with scope "c" (the
// chat's defaults), a server id, or "#<tag>" (the rules of the chat's servers with that tag; the
// tag itself, at most 24 characters of [a-z0-9_-]), and "th:p" (pick a server). Actions: "t<i>"
// the kind's i-th threshold preset, "d<m>" a duration of m minutes, "sev" (warning <-> critical),
// "on", "off", "rst" (remove the own rule). At most 40 bytes (a 24-character tag, net_out, sev),
// within Telegram's 64. Parsing only reads the shape; the server id is checked by access.h like
// every other id from a client, a tag scope is the chat's like its defaults.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "serversan/server/alerts/rule_catalog.h"

namespace serversan::bot::threshold {

inline constexpr std::string_view kPrefix = "th";

// Where the buttons act: a server, a tag, or (neither) the chat's defaults.
struct ButtonScope {
	std::optional<uint64_t> server;
	std::string tag; // a valid server tag; only without a server
	ButtonScope(std::optional<uint64_t> s = std::nullopt, std::string t = {})
	    : server(s), tag(std::move(t)) {}
};

struct Callback {
	enum What { overview, pick, editor, press } what = overview;
	std::optional<uint64_t> server; // empty: the chat's defaults, or the tag's
	const alerts::AlertKind* kind = nullptr;
	std::string action;
	std::string tag; // non-empty: the tag's rules
};

std::string overview_data(const ButtonScope& scope);
std::string pick_data();
std::string editor_data(const ButtonScope& scope, const alerts::AlertKind& kind);
std::string action_data(const ButtonScope& scope, const alerts::AlertKind& kind, std::string_view action);
// payload: the data after "th:".
std::optional<Callback> parse_callback(std::string_view payload);

} // namespace serversan::bot::threshold
