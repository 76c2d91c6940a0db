// /thresholds: the effective rules of a server or of the user's defaults (what /threshold shows),
// written through the bot's own rule editing (alerts/rule_edit.h): a PUT changes the rule in
// force at that scope and stores it as the scope's own rule, a DELETE returns to the wider one.
// After a write the alert engine reloads (ApiDeps::rules_changed), as after /threshold.
#include <cmath>

#include "serversan/server/alerts/rule_edit.h"
#include "serversan/server/fleet/ownership.h"
#include "serversan/server/web/api_endpoints.h"
#include "serversan/server/web/server_json.h"

namespace serversan::web {

namespace {

namespace edit = alerts::rule_edit;

std::string_view source_name(alerts::RuleSource s) {
	switch (s) {
	case alerts::RuleSource::builtin:
		return "builtin";
	case alerts::RuleSource::chat:
		return "chat";
	case alerts::RuleSource::tag:
		return "tag";
	case alerts::RuleSource::server:
		break;
	}
	return "server";
}

nlohmann::json rule_json(const alerts::EffectiveRule& e) {
	const store::AlertRule& r = e.rule;
	return {{"kind", e.kind->name},
	        {"device", r.device},
	        {"server", or_null(r.server_id)},
	        {"tag", r.tag.empty() ? nlohmann::json() : nlohmann::json(r.tag)},
	        {"source", source_name(e.source)},
	        {"op", r.op},
	        {"threshold", r.threshold},
	        {"clear", or_null(r.clear_threshold)},
	        {"for_s", r.for_s},
	        {"severity", r.severity},
	        {"repeat_s", r.repeat_s},
	        {"enabled", r.enabled},
	        {"route_chat", or_null(r.route_chat)}};
}

struct Where {
	edit::Scope scope;
	edit::Target target;
};

// The scope (?server= or body "server") and, with `need_kind`, the kind and device. A server's
// rules live in its owner's chat: a group's server's in the group's (as /threshold there), so
// members read them and only admins write them (`action`); a tag or the defaults are the user's.
std::variant<Where, ApiError> read_where(const ApiDeps& deps, const ApiRequest& r, bool need_kind,
                                         fleet::UserAction action) {
	auto field = [&](const char* name) -> std::string {
		if (r.body.contains(name) && !r.body[name].is_null())
			return r.body[name].is_string() ? r.body[name].get<std::string>() : r.body[name].dump();
		return std::string(r.arg(name));
	};
	Where w;
	w.scope.owner_chat = r.who.user_id;
	if (std::string server = field("server"); !server.empty()) {
		auto s = owned(deps, r.who, server, action);
		if (auto* e = std::get_if<ApiError>(&s))
			return *e;
		const store::ServerRecord& record = std::get<fleet::UserServer>(s).server;
		w.scope.server_id = record.id;
		w.scope.owner_chat = fleet::owner_of(record);
		// Its tags' rules apply to it, as /threshold shows them.
		auto tags = deps.store->server_tags(*w.scope.server_id);
		if (!tags.ok())
			return ApiError{503, "unavailable", tags.error().message};
		w.scope.tags = std::move(*tags);
	} else if (std::string tag = field("tag"); !tag.empty()) {
		if (!store::valid_server_tag(tag))
			return bad_request("a tag is 1-24 of a-z, 0-9, _ and -");
		w.scope.tag = tag;
		w.scope.tags = {tag};
	}
	if (!need_kind)
		return w;
	std::string kind = field("kind");
	w.target.kind = alerts::find_kind(kind);
	if (!w.target.kind)
		return bad_request("unknown kind '" + kind + "'");
	w.target.device = field("device");
	if (!w.target.device.empty() && !w.target.kind->per_device)
		return bad_request("this kind has no devices");
	return w;
}

std::variant<edit::Change, ApiError> read_change(const ApiRequest& r, const alerts::AlertKind& kind) {
	const nlohmann::json& b = r.body;
	edit::Change c;
	auto number = [&](const char* name) -> std::optional<double> {
		if (!b.contains(name) || b[name].is_null())
			return std::nullopt;
		return b[name].get<double>(); // a wrong type throws: the router answers 400
	};
	c.value = number("threshold");
	c.clear = number("clear");
	for (auto v : {c.value, c.clear})
		if (v && (!std::isfinite(*v) || *v < kind.min || *v > kind.max))
			return bad_request("threshold out of range for this kind");
	if (auto f = number("for_s")) {
		if (*f < 0 || *f > 86400)
			return bad_request("for_s: 0 to 86400 seconds");
		c.for_s = static_cast<int64_t>(*f);
	}
	if (b.contains("severity")) {
		std::string s = b["severity"].get<std::string>();
		if (s != "warning" && s != "critical")
			return bad_request("severity: warning or critical");
		c.severity = s;
	}
	if (b.contains("enabled"))
		c.enabled = b["enabled"].get<bool>();
	return c;
}

} // namespace

void add_threshold_endpoints(ApiRouter& router, const ApiDeps& deps) {
	router.add("GET", "/thresholds", [deps](const ApiRequest& r) -> ApiAnswer {
		auto w = read_where(deps, r, false, fleet::UserAction::see);
		if (auto* e = std::get_if<ApiError>(&w))
			return *e;
		auto rules = edit::ChatRules::load(*deps.store, std::get<Where>(w).scope.owner_chat);
		if (!rules.ok())
			return internal(rules.error());
		nlohmann::json list = nlohmann::json::array();
		for (const alerts::EffectiveRule& e : rules->overview(std::get<Where>(w).scope))
			list.push_back(rule_json(e));
		return json_response({{"rules", std::move(list)}});
	});

	router.add("PUT", "/thresholds", [deps](const ApiRequest& r) -> ApiAnswer {
		auto w = read_where(deps, r, true, fleet::UserAction::change);
		if (auto* e = std::get_if<ApiError>(&w))
			return *e;
		const Where& where = std::get<Where>(w);
		auto change = read_change(r, *where.target.kind);
		if (auto* e = std::get_if<ApiError>(&change))
			return *e;
		auto rules = edit::ChatRules::load(*deps.store, where.scope.owner_chat);
		if (!rules.ok())
			return internal(rules.error());
		auto stored = edit::apply(*deps.store, *rules, where.scope, where.target,
		                          std::get<edit::Change>(change), r.now_ms);
		if (!stored.ok())
			return internal(stored.error());
		if (deps.rules_changed)
			deps.rules_changed();
		return json_response(
		    rule_json({where.target.kind, *stored,
		               where.scope.server_id ? alerts::RuleSource::server : alerts::RuleSource::chat}));
	});

	router.add("DELETE", "/thresholds", [deps](const ApiRequest& r) -> ApiAnswer {
		auto w = read_where(deps, r, true, fleet::UserAction::change);
		if (auto* e = std::get_if<ApiError>(&w))
			return *e;
		const Where& where = std::get<Where>(w);
		auto rules = edit::ChatRules::load(*deps.store, where.scope.owner_chat);
		if (!rules.ok())
			return internal(rules.error());
		auto removed = edit::remove_own(*deps.store, *rules, where.scope, where.target);
		if (!removed.ok())
			return internal(removed.error());
		if (*removed && deps.rules_changed)
			deps.rules_changed();
		auto now = edit::ChatRules::load(*deps.store, where.scope.owner_chat);
		if (!now.ok())
			return internal(now.error());
		return json_response(
		    {{"removed", *removed}, {"rule", rule_json(now->effective(where.scope, where.target))}});
	});
}

} // namespace serversan::web
