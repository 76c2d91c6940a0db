// The alert kinds a user can set a threshold for, the defaults every chat starts with, and how a
// server's effective rules are found. Pure data and one resolution function: /threshold and
// /notify (bot), the engine (alerts) and the web API all read the same table, so "cpu 90 % for
// 10 min" means one thing everywhere.
//
// Resolution, most specific first: a rule of the server for that device, a rule of the server
// for the kind, a rule of one of the server's tags for that device, a tag rule for the kind, a
// chat rule (server_id and tag empty) for that device, a chat rule for the kind, the built-in
// default. When two of a server's tags have rules for the same kind and device, the tag first
// in alphabetical order wins ("db" before "prod"), then the older rule. A stored rule with enabled = false is
// an explicit "off" and wins like any other. For per-device kinds an empty device means "each device
// separately" (every mount, every interface), never a sum over them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/server/store/store.h"

namespace serversan::alerts {

enum class Unit { percent, per_core, bytes_per_s, celsius, minutes };

struct AlertKind {
	std::string_view name;   // what users type and what settings store: "cpu", "disk", "offline"
	std::string_view metric; // AlertRule.metric: a metric_catalog() name or a pseudo metric below
	Unit unit;
	bool per_device; // disk and inodes per mount, net per interface, io per disk, temp per sensor
	double min, max; // thresholds a user may set (in unit; bytes/s for rates)
};

// Pseudo metrics an alert rule may name beside metric_catalog() names.
inline constexpr std::string_view kMetricOffline = "offline";           // minutes without a report
inline constexpr std::string_view kMetricLoadPerCore = "load.per_core"; // load.1 / logical cores

// In the order users see them.
std::span<const AlertKind> alert_kinds();
const AlertKind* find_kind(std::string_view name);        // by name, ASCII case-insensitive
const AlertKind* kind_of_metric(std::string_view metric); // by AlertRule.metric

// The built-in defaults (owner_chat 0, server_id empty, id 0): one per kind, some disabled
// (those that have no number right for most servers). docs/alerts.md gives the reason for each.
std::span<const store::AlertRule> default_rules();
const store::AlertRule& default_rule(const AlertKind& kind);

enum class RuleSource { builtin, chat, tag, server };
struct EffectiveRule {
	const AlertKind* kind = nullptr;
	store::AlertRule rule;
	RuleSource source = RuleSource::builtin;
};

// The rules that apply to one server (server_id set) or, without one, the chat's own defaults:
// one entry per kind in alert_kinds() order, then one per device-specific rule that overrides
// its kind (after the kind's entry). chat_rules are the chat's stored rules (any server's and
// tag's; the other servers' and tags' are ignored). tags: the server's (or, for a tag's own
// view without a server, that one tag). Rules with an unknown metric are skipped.
std::vector<EffectiveRule> effective_rules(std::span<const store::AlertRule> chat_rules,
                                           std::optional<uint64_t> server_id,
                                           std::span<const std::string> tags = {});

// The rule for one (kind, device) of a server: what the engine evaluates for that device.
EffectiveRule effective_rule(std::span<const store::AlertRule> chat_rules, std::optional<uint64_t> server_id,
                             const AlertKind& kind, std::string_view device,
                             std::span<const std::string> tags = {});

// The level at which a firing rule clears: clear_threshold, else the threshold itself.
double clear_level(const store::AlertRule& rule);

} // namespace serversan::alerts
