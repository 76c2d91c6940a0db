// The facts of one alert notice, as the engine writes them into the outbox (OutboxMessage.kind
// "alert", payload = encode(AlertMessage)). The alerts part never renders text: the bot renders
// these at send time in the chat's language and time zone, so a notice queued during quiet hours
// reads right when it goes out. JSON, versioned ("v"); decode accepts what encode writes and
// refuses anything without the required fields.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/core/result.h"

namespace serversan::alerts {

inline constexpr std::string_view kOutboxKindAlert = "alert";
inline constexpr int kAlertMessageVersion = 1;

// firing: the alert fired (offline: the server went silent); resolved: it cleared (offline: back
// online), sent only where firing was; reminder: still firing, the n-th reminder; forecast: a
// disk predicted full (kind "disk", forecast.h), no rule and nothing that resolves it.
enum class NoticeState { firing, resolved, reminder, forecast };
std::string_view notice_state_name(NoticeState s);

struct TopProcess {
	uint32_t pid = 0;
	std::string name;
	std::string user;
	std::optional<double> cpu_percent; // of one core
	std::optional<uint64_t> rss;       // bytes
	bool operator==(const TopProcess&) const = default;
};

// Captured when the alert fired (and carried by its later notices).
struct Evidence {
	std::vector<TopProcess> top;        // cpu: top by CPU; ram: top by memory (the newest slow section)
	std::optional<int64_t> top_ms;      // when that section was measured
	std::optional<uint64_t> bytes_left; // disk, inodes: free bytes (inodes: free inodes) on the mount
	std::optional<uint64_t> total;
	std::optional<double> fill_per_s; // disk: bytes/s the mount filled over the window (< 0: emptying)
	std::optional<int64_t> full_ms;   // forecast: when the mount is predicted full
	bool operator==(const Evidence&) const = default;
};

struct AlertMessage {
	uint64_t server_id = 0;
	std::string server_name;
	std::string kind;   // an alert_kinds() name: "cpu", "disk", "offline"...
	std::string device; // mount, interface, disk or sensor; empty for server-wide kinds
	NoticeState state = NoticeState::firing;
	std::string severity = "warning";
	bool above = true;           // op ">"
	std::optional<double> value; // the window's average at the notice (offline: minutes silent)
	// The newest sample at the notice: what a recovery reports ("back to 20%"), where the
	// window's average still carries the breach. Empty for offline (and notices of older engines).
	std::optional<double> latest;
	double threshold = 0;
	double clear = 0;
	int64_t for_s = 0;      // the rule's window
	int64_t started_ms = 0; // when the breach began (offline: the last report)
	int64_t at_ms = 0;      // the sample (or sweep) that made this notice
	int64_t held_s = 0;     // how long the condition held at this notice
	int reminder = 0;       // reminder: its number, from 1
	// The gate's "without a sound" when the notice was queued (the chat's silent_warnings). The
	// bot decides again from the chat's settings when it sends, so a change in between counts.
	bool silent = false;
	// The gate held it through quiet hours until then: the bot says so, and a firing that
	// resolved while held goes out as one message (docs/alerts.md, "Held through quiet hours").
	std::optional<int64_t> quiet_until_ms;
	Evidence evidence;
	bool operator==(const AlertMessage&) const = default;
};

std::string encode(const AlertMessage& m);
Result<AlertMessage> decode_alert_message(std::string_view json);

// Never queued twice: one key per (server, metric, device, firing start, what). what: "firing",
// "resolved", "reminder-<n>".
std::string alert_dedupe_key(uint64_t server_id, std::string_view metric, std::string_view device,
                             int64_t started_ms, std::string_view what);
// What every alert_dedupe_key of one server starts with (Store::messages_with_key_prefix).
std::string alert_key_prefix(uint64_t server_id);

} // namespace serversan::alerts
