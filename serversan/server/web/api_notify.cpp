// /notify: the notification settings of the user's own chat (a private chat's id is the user's
// id), what /notify shows and changes. A PUT changes the fields it names and keeps the rest.
// Group chats' settings are changed in the group, by its admins (the bot knows who they are).
#include <algorithm>

#include "serversan/core/zone_time.h"
#include "serversan/server/alerts/rule_catalog.h"
#include "serversan/server/web/api_endpoints.h"
#include "serversan/server/web/server_json.h"

namespace serversan::web {

namespace {

nlohmann::json settings_json(const store::ChatSettings& s) {
	return {{"chat_id", s.chat_id},
	        {"notify", s.notify},
	        {"muted_kinds", s.muted_kinds},
	        {"quiet_from_min", or_null(s.quiet_from_min)},
	        {"quiet_to_min", or_null(s.quiet_to_min)},
	        {"quiet_lets_critical", s.quiet_lets_critical},
	        {"silent_warnings", s.silent_warnings},
	        {"reminder_s", s.reminder_s},
	        {"digest_hour", or_null(s.digest_hour)},
	        {"time_zone", s.time_zone},
	        {"updated_ms", s.updated_ms}};
}

std::optional<ApiError> apply_body(const nlohmann::json& b, store::ChatSettings& s) {
	if (b.contains("notify"))
		s.notify = b["notify"].get<bool>();
	if (b.contains("muted_kinds")) {
		std::vector<std::string> kinds;
		for (const auto& k : b["muted_kinds"]) {
			const alerts::AlertKind* kind = alerts::find_kind(k.get<std::string>());
			if (!kind)
				return bad_request("unknown alert kind in muted_kinds");
			kinds.emplace_back(kind->name);
		}
		std::sort(kinds.begin(), kinds.end());
		kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
		s.muted_kinds = std::move(kinds);
	}
	auto minute = [&](const char* name, std::optional<int>& out) -> bool {
		if (!b.contains(name))
			return true;
		if (b[name].is_null()) {
			out.reset();
			return true;
		}
		int v = b[name].get<int>();
		out = v;
		return v >= 0 && v < 24 * 60;
	};
	if (!minute("quiet_from_min", s.quiet_from_min) || !minute("quiet_to_min", s.quiet_to_min))
		return bad_request("quiet hours: minutes 0-1439");
	if (s.quiet_from_min.has_value() != s.quiet_to_min.has_value())
		return bad_request("quiet hours need both quiet_from_min and quiet_to_min");
	if (b.contains("quiet_lets_critical"))
		s.quiet_lets_critical = b["quiet_lets_critical"].get<bool>();
	if (b.contains("silent_warnings"))
		s.silent_warnings = b["silent_warnings"].get<bool>();
	if (b.contains("reminder_s")) {
		s.reminder_s = b["reminder_s"].get<int64_t>();
		if (s.reminder_s < 0 || s.reminder_s > 7 * 86400)
			return bad_request("reminder_s: 0 to 604800");
	}
	if (b.contains("digest_hour")) {
		if (b["digest_hour"].is_null())
			s.digest_hour.reset();
		else if (int h = b["digest_hour"].get<int>(); h >= 0 && h < 24)
			s.digest_hour = h;
		else
			return bad_request("digest_hour: 0-23 or null");
	}
	if (b.contains("time_zone")) {
		std::string zone = b["time_zone"].get<std::string>();
		if (!zone.empty() && !is_known_zone(zone))
			return bad_request("unknown time zone");
		s.time_zone = std::move(zone);
	}
	return std::nullopt;
}

// The chat a request names: only the user's own.
std::optional<ApiError> check_chat(const ApiRequest& r) {
	if (r.arg("chat").empty())
		return std::nullopt;
	auto chat = parse_int(r.arg("chat"));
	if (!chat || *chat != r.who.user_id)
		return not_found("no such chat");
	return std::nullopt;
}

} // namespace

void add_notify_endpoints(ApiRouter& router, const ApiDeps& deps) {
	router.add("GET", "/notify", [deps](const ApiRequest& r) -> ApiAnswer {
		if (auto e = check_chat(r))
			return *e;
		auto s = deps.store->chat_settings(r.who.user_id);
		if (!s.ok())
			return internal(s.error());
		return json_response(settings_json(*s));
	});

	router.add("PUT", "/notify", [deps](const ApiRequest& r) -> ApiAnswer {
		if (auto e = check_chat(r))
			return *e;
		auto s = deps.store->chat_settings(r.who.user_id);
		if (!s.ok())
			return internal(s.error());
		if (auto e = apply_body(r.body, *s))
			return *e;
		s->chat_id = r.who.user_id;
		s->updated_ms = r.now_ms;
		if (auto done = deps.store->put_chat_settings(*s); !done.ok())
			return internal(done.error());
		return json_response(settings_json(*s));
	});
}

} // namespace serversan::web
