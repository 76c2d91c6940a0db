// /threshold's typed form, read without the store: which server (as typed), which alert kind and
// device, and what to do with it, every value already in the store's units. The forms:
//   /threshold [SERVER]                                   the overview
//   /threshold [SERVER] KIND[:DEVICE]                     that kind's editor
//   /threshold [SERVER] KIND[:DEVICE] VALUE [DURATION] [clear VALUE] [warning|critical]
//   /threshold [SERVER] KIND[:DEVICE] off|on|default
//   any form that sets or turns on, or none, followed by "here": this rule's alerts go to the chat
//   the command was typed in (a server's rule only; who may is the command's call)
// The first word that names a kind ends the server's name, so a server named like a kind is
// reached by its id. Byte units are binary like the rest of the bot (50MB/s = 50 MiB/s), bit
// units decimal as links are sold (400Mbit/s = 50,000,000 B/s); a rate needs its unit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/core/result.h"
#include "serversan/server/alerts/rule_catalog.h"

namespace serversan::bot::threshold {

enum class Verb { show, set, off, on, reset, route };

struct Request {
	std::string server_ref;                  // empty: the chat's defaults
	const alerts::AlertKind* kind = nullptr; // null: the overview
	std::string device;                      // empty: the whole kind
	Verb verb = Verb::show;
	std::optional<double> value, clear; // store units (alerts::Unit), in the kind's range
	std::optional<int64_t> for_s;
	std::optional<std::string> severity; // "warning" or "critical"
	bool here =
	    false; // a trailing "here": route this rule's alerts to the typing chat (Verb::route: only that)
};

// Why a typed form was refused; view.h words it.
struct Problem {
	enum Code {
		unknown_kind,  // token: the word where a kind was expected
		no_devices,    // kind has no devices, token: what followed ':'
		bad_device,    // token: an empty or over-long device
		bad_value,     // token is not a value of kind
		out_of_range,  // token is a value of kind outside [min, max]
		bad_duration,  // token is not a duration in 0..24 h
		offline_extra, // offline takes its minutes as the value and nothing else but a severity
		clear_missing, // "clear" at the end
		clear_above,   // token (the clear value) is above the threshold
		unexpected,    // token is not understood here (or given twice)
	} code;
	std::string token;
	const alerts::AlertKind* kind = nullptr;
	std::string value_token; // clear_above: the threshold as typed
};

inline constexpr size_t kMaxDeviceBytes = 64;
inline constexpr int64_t kMaxForS = 24 * 3600;

Result<Request, Problem> parse_request(const std::vector<std::string>& args);

// One value of kind in store units, range unchecked; nothing if it is not one.
std::optional<double> parse_value(const alerts::AlertKind& kind, std::string_view text);
// "30s", "5m", "10min", "1h", "0": seconds; a bare number other than 0 is not a duration.
std::optional<int64_t> parse_duration_s(std::string_view text);

} // namespace serversan::bot::threshold
