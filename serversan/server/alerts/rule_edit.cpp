#include "serversan/server/alerts/rule_edit.h"

#include <algorithm>

namespace serversan::alerts::rule_edit {

Result<ChatRules> ChatRules::load(store::Store& store, int64_t owner_chat) {
	auto rules = store.list_alert_rules(owner_chat);
	if (!rules.ok())
		return rules.error();
	ChatRules out;
	out.rules_ = std::move(*rules);
	return out;
}

const store::AlertRule* ChatRules::own(const Scope& scope, const Target& target) const {
	for (const auto& r : rules_)
		if (r.owner_chat == scope.owner_chat && r.server_id == scope.server_id && r.tag == scope.tag &&
		    r.metric == target.kind->metric && r.device == target.device)
			return &r;
	return nullptr;
}

alerts::EffectiveRule ChatRules::effective(const Scope& scope, const Target& target) const {
	return alerts::effective_rule(rules_, scope.server_id, *target.kind, target.device, scope.tags);
}

alerts::EffectiveRule ChatRules::wider(const Scope& scope, const Target& target) const {
	const store::AlertRule* mine = own(scope, target);
	std::vector<store::AlertRule> others;
	for (const auto& r : rules_)
		if (&r != mine)
			others.push_back(r);
	return alerts::effective_rule(others, scope.server_id, *target.kind, target.device, scope.tags);
}

std::vector<alerts::EffectiveRule> ChatRules::overview(const Scope& scope) const {
	return alerts::effective_rules(rules_, scope.server_id, scope.tags);
}

store::AlertRule changed(const store::AlertRule& current, const Change& change) {
	store::AlertRule r = current;
	if (change.value) {
		double gap = current.threshold - alerts::clear_level(current);
		r.threshold = *change.value;
		if (change.clear)
			r.clear_threshold = change.clear;
		else if (gap <= 0)
			r.clear_threshold.reset();
		else if (*change.value > gap)
			r.clear_threshold = *change.value - gap;
		else // the same share below the line, where the distance would go below zero
			r.clear_threshold = *change.value * alerts::clear_level(current) / current.threshold;
	} else if (change.clear) {
		r.clear_threshold = change.clear;
	}
	if (change.for_s)
		r.for_s = *change.for_s;
	if (change.severity)
		r.severity = *change.severity;
	if (change.route_chat)
		r.route_chat = *change.route_chat;
	r.enabled = change.enabled.value_or(change.value ? true : current.enabled);
	return r;
}

Result<store::AlertRule> put_own(store::Store& store, const ChatRules& rules, const Scope& scope,
                                 const Target& target, store::AlertRule rule, int64_t now_ms) {
	const store::AlertRule* mine = rules.own(scope, target);
	rule.owner_chat = scope.owner_chat;
	rule.server_id = scope.server_id;
	rule.tag = scope.tag;
	rule.metric = std::string(target.kind->metric);
	rule.device = target.device;
	if (mine) {
		rule.id = mine->id;
		rule.created_ms = mine->created_ms;
		auto done = store.update_alert_rule(rule);
		if (!done.ok())
			return done.error();
		return rule;
	}
	rule.id = 0;
	rule.created_ms = now_ms;
	auto id = store.create_alert_rule(rule);
	if (!id.ok())
		return id.error();
	rule.id = *id;
	return rule;
}

Result<store::AlertRule> apply(store::Store& store, const ChatRules& rules, const Scope& scope,
                               const Target& target, const Change& change, int64_t now_ms) {
	return put_own(store, rules, scope, target, changed(rules.effective(scope, target).rule, change), now_ms);
}

Result<bool> remove_own(store::Store& store, const ChatRules& rules, const Scope& scope,
                        const Target& target) {
	const store::AlertRule* mine = rules.own(scope, target);
	if (!mine)
		return false;
	return store.delete_alert_rule(mine->id);
}

} // namespace serversan::alerts::rule_edit
