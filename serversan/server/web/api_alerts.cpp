// /alerts: the alerts pending or firing now on the servers the user may see (the store's alert
// state, as the engine left it) with the rule in force; /events: what happened to those servers, newest first
// (paging back with before=<ms>) or oldest first from after=<id>.
#include <limits>
#include <map>

#include "serversan/server/alerts/rule_catalog.h"
#include "serversan/server/fleet/ownership.h"
#include "serversan/server/web/api_endpoints.h"
#include "serversan/server/web/server_json.h"

namespace serversan::web {

namespace {

inline constexpr size_t kDefaultEvents = 100, kMaxEvents = 500;

// The servers a request names (?server=) or all the user may see.
std::variant<std::vector<fleet::UserServer>, ApiError> servers_of_request(const ApiDeps& deps,
                                                                          const ApiRequest& r) {
	if (!r.arg("server").empty()) {
		auto s = owned(deps, r.who, r.arg("server"));
		if (auto* e = std::get_if<ApiError>(&s))
			return *e;
		return std::vector<fleet::UserServer>{std::get<fleet::UserServer>(std::move(s))};
	}
	auto all = visible_servers(deps, r.who);
	if (!all.ok())
		return internal(all.error());
	return std::move(*all);
}

} // namespace

nlohmann::json alert_json(const store::ServerRecord& server, const store::AlertState& a,
                          std::span<const store::AlertRule> chat_rules) {
	const alerts::AlertKind* kind = alerts::kind_of_metric(a.metric);
	nlohmann::json j = {{"server", server.id},
	                    {"server_name", server.name},
	                    {"kind", kind ? nlohmann::json(kind->name) : nlohmann::json(a.metric)},
	                    {"device", a.device},
	                    {"state", a.state},
	                    {"since_ms", a.since_ms},
	                    {"value", or_null(a.value)},
	                    {"severity", nullptr},
	                    {"threshold", nullptr}};
	if (kind) {
		alerts::EffectiveRule rule = alerts::effective_rule(chat_rules, server.id, *kind, a.device);
		j["severity"] = rule.rule.severity;
		j["threshold"] = rule.rule.threshold;
	}
	return j;
}

void add_alert_endpoints(ApiRouter& router, const ApiDeps& deps) {
	router.add("GET", "/alerts", [deps](const ApiRequest& r) -> ApiAnswer {
		std::string_view want = r.arg("state");
		if (!want.empty() && want != "firing" && want != "pending")
			return bad_request("state: firing or pending");
		auto servers = servers_of_request(deps, r);
		if (auto* e = std::get_if<ApiError>(&servers))
			return *e;
		// A group's servers follow the group's rules: one read per owner chat.
		std::map<int64_t, std::vector<store::AlertRule>> rules;
		nlohmann::json list = nlohmann::json::array();
		for (const fleet::UserServer& us : std::get<std::vector<fleet::UserServer>>(servers)) {
			const store::ServerRecord& s = us.server;
			int64_t owner = fleet::owner_of(s);
			auto it = rules.find(owner);
			if (it == rules.end()) {
				auto read = deps.store->list_alert_rules(owner);
				if (!read.ok())
					return internal(read.error());
				it = rules.emplace(owner, std::move(*read)).first;
			}
			auto states = deps.store->alert_states(s.id);
			if (!states.ok())
				return internal(states.error());
			for (const store::AlertState& a : *states)
				if (a.state != "ok" && (want.empty() || a.state == want))
					list.push_back(alert_json(s, a, it->second));
		}
		return json_response({{"alerts", std::move(list)}});
	});

	router.add("GET", "/events", [deps](const ApiRequest& r) -> ApiAnswer {
		store::EventQuery q;
		if (!r.arg("server").empty()) {
			auto s = owned(deps, r.who, r.arg("server"));
			if (auto* e = std::get_if<ApiError>(&s))
				return *e;
			q.server_id = std::get<fleet::UserServer>(s).server.id;
		} else if (r.who.user_id != fleet::kConsoleOperator) {
			q.owner_chat = r.who.user_id;
			auto chats = deps.access->chats(r.who.user_id);
			if (!chats.ok())
				return internal(chats.error());
			for (const fleet::UserAccess::Chat& c : *chats)
				if (c.group)
					q.also_chats.push_back(c.id);
		} else {
			q.unowned = true; // the console operator's: servers without an owner chat
		}
		if (!r.arg("after").empty() && !r.arg("before").empty())
			return bad_request("after or before, not both");
		// Without after: the newest first, paging back in time with before.
		q.newest_first = r.arg("after").empty();
		if (!r.arg("after").empty()) {
			auto after = parse_id(r.arg("after"));
			if (!after)
				return bad_request("after: an event id");
			q.after_id = *after;
		}
		if (!r.arg("before").empty()) {
			auto before = parse_id(r.arg("before"));
			if (!before || *before > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
				return bad_request("before: a time in ms");
			q.before_ms = static_cast<int64_t>(*before);
		}
		q.limit = kDefaultEvents;
		if (!r.arg("limit").empty()) {
			auto limit = parse_id(r.arg("limit"));
			if (!limit || *limit == 0)
				return bad_request("limit: a positive number");
			q.limit = std::min<size_t>(*limit, kMaxEvents);
		}
		auto events = deps.store->list_events(q);
		if (!events.ok())
			return internal(events.error());
		nlohmann::json list = nlohmann::json::array();
		for (const store::Event& e : *events) {
			list.push_back({{"id", e.id},
			                {"ts_ms", e.ts_ms},
			                {"kind", e.kind},
			                {"server", or_null(e.server_id)},
			                {"server_name", e.server_name},
			                {"detail", e.detail}});
		}
		nlohmann::json answer = {{"events", std::move(list)}};
		// A full page has more behind it: the next page is before its oldest millisecond.
		if (q.newest_first)
			answer["next_before"] =
			    events->size() >= q.limit ? nlohmann::json(events->back().ts_ms) : nullptr;
		return json_response(std::move(answer));
	});
}

} // namespace serversan::web
