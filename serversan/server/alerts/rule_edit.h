// Where /threshold (bot) and PUT /api/v1/thresholds (web) write: a chat's own rule for a kind
// (or one device of it), either its default for every server (server_id and tag empty), a tag's
// rule (the servers carrying it) or one server's override. A change starts from the rule that applies there
// now and stores a complete rule, so what the user did not name (duration, severity) is kept as it was when
// they set it. Removing the own rule ("default") lets the wider one apply again. Access is checked by the
// caller; this only reads and writes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "serversan/server/alerts/rule_catalog.h"
#include "serversan/server/store/store.h"

namespace serversan::alerts::rule_edit {

struct Scope {
	int64_t owner_chat = 0;
	std::optional<uint64_t> server_id; // empty: the chat's defaults (or a tag's)
	std::string tag;                   // non-empty (server_id empty): the rules of a tag
	// What resolution sees (rule_catalog.h): the server's tags, or {tag} for a tag's scope.
	std::vector<std::string> tags;
};

struct Target {
	const alerts::AlertKind* kind = nullptr;
	std::string device; // empty: the whole kind
};

// What a command changes; empty fields keep the current rule's.
struct Change {
	std::optional<double> value, clear;
	std::optional<int64_t> for_s;
	std::optional<std::string> severity;
	std::optional<bool> enabled;
	// Where the rule's alerts go (AlertRule::route_chat): unset keeps it; set to nullopt, the
	// server's route again. Access to the target chat is the caller's check.
	std::optional<std::optional<int64_t>> route_chat;
};

// One chat's stored rules, read once per update.
class ChatRules {
public:
	static Result<ChatRules> load(store::Store& store, int64_t owner_chat);

	const std::vector<store::AlertRule>& all() const { return rules_; }
	// The rule stored exactly at scope for target, if any.
	const store::AlertRule* own(const Scope& scope, const Target& target) const;
	// What applies at scope now, and what would without the own rule.
	alerts::EffectiveRule effective(const Scope& scope, const Target& target) const;
	alerts::EffectiveRule wider(const Scope& scope, const Target& target) const;
	std::vector<alerts::EffectiveRule> overview(const Scope& scope) const;

private:
	std::vector<store::AlertRule> rules_;
};

// The rule current becomes with change. A new value without a clear level keeps the distance
// between them (cpu 90 clearing at 80, set to 70, clears at 60), so hysteresis survives a preset.
store::AlertRule changed(const store::AlertRule& current, const Change& change);

// Stores rule as the own rule at scope for target (created or updated); returns what was stored.
Result<store::AlertRule> put_own(store::Store& store, const ChatRules& rules, const Scope& scope,
                                 const Target& target, store::AlertRule rule, int64_t now_ms);
// Applies change at scope: the effective rule changed, stored as the own rule.
Result<store::AlertRule> apply(store::Store& store, const ChatRules& rules, const Scope& scope,
                               const Target& target, const Change& change, int64_t now_ms);
// Deletes the own rule at scope; false if there was none.
Result<bool> remove_own(store::Store& store, const ChatRules& rules, const Scope& scope,
                        const Target& target);

} // namespace serversan::alerts::rule_edit
