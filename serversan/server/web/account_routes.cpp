#include "serversan/server/web/account_routes.h"

#include <nlohmann/json.hpp>

#include "serversan/core/encoding.h"
#include "serversan/core/log.h"
#include "serversan/server/store/web_login.h"
#include "serversan/server/web/api_error.h"
#include "serversan/server/web/guard.h"

namespace serversan::web {

namespace {

using json = nlohmann::json;
using ingest::RouteRequest;
using ingest::RouteResponse;
using Handler = std::function<RouteResponse(const RouteRequest&, const Principal&)>;

constexpr size_t kMaxBody = 64 * 1024;
constexpr size_t kMaxTokenName = 64;
constexpr std::string_view kTokenPrefix = "ss_";
constexpr size_t kListedPrefix = 8; // "ss_" and 5 characters: tells tokens apart, guesses nothing

json opt(const std::optional<int64_t>& v) {
	return v ? json(*v) : json(nullptr);
}

RouteResponse internal(const Error& e) {
	log::error("web: {}", e.message);
	return json_error(500, "internal", "the server could not read its data");
}

// The id after `prefix` in the path ("/api/v1/sessions/12"); empty if not a number.
std::optional<uint64_t> id_after(std::string_view path, std::string_view prefix) {
	return parse_u64(path.substr(prefix.size()));
}

RouteResponse me(store::Store& store, const RouteRequest&, const Principal& p) {
	return json_answer(me_json(store, p));
}

RouteResponse logout(store::Store& store, SessionAuth& auth, const RouteRequest& req, const Principal& p) {
	if (p.via == Principal::Via::session)
		if (auto r = store.revoke_web_session(p.session_id, p.user_id); !r.ok())
			return internal(r.error());
	auto r = json_answer("{}");
	r.headers.emplace_back("Set-Cookie", auth.clear_cookie(req.tls));
	return r;
}

RouteResponse sessions(store::Store& store, const Clock& clock, const RouteRequest&, const Principal& p) {
	auto list = store.web_sessions_of(p.user_id, clock.unix_millis());
	if (!list.ok())
		return internal(list.error());
	json out = json::array();
	for (const store::WebSession& s : *list)
		out.push_back({{"id", s.id},
		               {"via", s.via},
		               {"created_ms", s.created_ms},
		               {"last_seen_ms", s.last_seen_ms},
		               {"expires_ms", s.expires_ms},
		               {"user_agent", s.user_agent},
		               {"ip", s.ip},
		               {"current", p.via == Principal::Via::session && s.id == p.session_id}});
	return json_answer(
	    json{{"sessions", std::move(out)}}.dump(-1, ' ', false, json::error_handler_t::replace));
}

RouteResponse revoke_session(store::Store& store, const RouteRequest& req, const Principal& p) {
	auto id = id_after(req.path, "/api/v1/sessions/");
	if (!id)
		return json_error(404, "not_found", "no such session");
	auto done = store.revoke_web_session(*id, p.user_id);
	if (!done.ok())
		return internal(done.error());
	if (!*done)
		return json_error(404, "not_found", "no such session");
	return json_answer("{}");
}

RouteResponse tokens(store::Store& store, const RouteRequest&, const Principal& p) {
	auto list = store.api_tokens_of(p.user_id);
	if (!list.ok())
		return internal(list.error());
	json out = json::array();
	for (const store::ApiToken& t : *list)
		out.push_back({{"id", t.id},
		               {"name", t.name},
		               {"prefix", t.prefix},
		               {"created_ms", t.created_ms},
		               {"last_used_ms", opt(t.last_used_ms)},
		               {"revoked_ms", opt(t.revoked_ms)}});
	return json_answer(json{{"tokens", std::move(out)}}.dump(-1, ' ', false, json::error_handler_t::replace));
}

RouteResponse create_token(store::Store& store, const Clock& clock, const RouteRequest& req,
                           const Principal& p) {
	if (req.body.size() > kMaxBody)
		return json_error(413, "too_large", "request body over 64 KiB");
	auto body = json::parse(req.body, nullptr, false);
	if (!body.is_object() || !body.contains("name") || !body["name"].is_string())
		return json_error(400, "bad_request", "expected {\"name\": \"...\"}");
	std::string name(trim_blanks(body["name"].get<std::string>()));
	if (name.empty() || name.size() > kMaxTokenName)
		return json_error(400, "bad_request", "a token's name is 1 to 64 characters");
	store::ApiToken t;
	std::string secret = std::string(kTokenPrefix) + store::new_secret();
	t.token_hash = store::secret_hash(secret);
	t.user_id = p.user_id;
	t.name = name;
	t.prefix = secret.substr(0, kListedPrefix);
	t.created_ms = clock.unix_millis();
	auto id = store.create_api_token(t);
	if (!id.ok())
		return internal(id.error());
	log::info("web: user {} created API token {} ({})", p.user_id, *id, t.prefix);
	return json_answer(json{{"id", *id}, {"name", name}, {"token", secret}}.dump(
	                       -1, ' ', false, json::error_handler_t::replace),
	                   201);
}

RouteResponse revoke_token(store::Store& store, const Clock& clock, const RouteRequest& req,
                           const Principal& p) {
	auto id = id_after(req.path, "/api/v1/tokens/");
	if (!id)
		return json_error(404, "not_found", "no such token");
	auto done = store.revoke_api_token(*id, p.user_id, clock.unix_millis());
	if (!done.ok())
		return internal(done.error());
	if (!*done)
		return json_error(404, "not_found", "no such token");
	return json_answer("{}");
}

// Every account route goes through guard() first: the one place that decides who asks and
// checks CSRF.
ingest::RouteHandler guarded(SessionAuth& auth, Handler h) {
	return [&auth, h = std::move(h)](const RouteRequest& req) {
		Guarded g = guard(auth, req);
		if (!g.principal)
			return g.refusal;
		return h(req, *g.principal);
	};
}

} // namespace

std::string me_json(store::Store& store, const Principal& p) {
	json j{{"user_id", p.user_id},
	       {"name", "Console"},
	       {"admin", p.admin},
	       {"language", "en"},
	       {"time_zone", "UTC"},
	       {"csrf", p.via == Principal::Via::session ? json(p.csrf) : json(nullptr)},
	       {"via", p.via == Principal::Via::session ? "session" : "api_token"}};
	if (p.user_id != store::kConsoleUser) {
		auto user = store.find_user(p.user_id);
		if (user.ok() && *user) {
			const store::User& u = **user;
			j["name"] = !u.display_name.empty() ? u.display_name : u.username;
			j["language"] = u.language;
			j["time_zone"] = u.time_zone;
		}
	}
	return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

void add_account_routes(ingest::Routes& routes, const AuthDeps& deps) {
	store::Store& store = deps.store;
	const Clock& clock = deps.clock;
	SessionAuth& auth = deps.auth;
	const auto& headers = guard_headers();
	routes.add("GET", "/api/v1/me", guarded(auth, [&store](auto& req, auto& p) { return me(store, req, p); }),
	           headers);
	routes.add("POST", "/api/v1/logout",
	           guarded(auth, [&store, &auth](auto& req, auto& p) { return logout(store, auth, req, p); }),
	           headers);
	routes.add("GET", "/api/v1/sessions",
	           guarded(auth, [&store, &clock](auto& req, auto& p) { return sessions(store, clock, req, p); }),
	           headers);
	routes.add_prefix("DELETE", "/api/v1/sessions/",
	                  guarded(auth, [&store](auto& req, auto& p) { return revoke_session(store, req, p); }),
	                  headers);
	routes.add("GET", "/api/v1/tokens",
	           guarded(auth, [&store](auto& req, auto& p) { return tokens(store, req, p); }), headers);
	routes.add(
	    "POST", "/api/v1/tokens",
	    guarded(auth, [&store, &clock](auto& req, auto& p) { return create_token(store, clock, req, p); }),
	    headers);
	routes.add_prefix(
	    "DELETE", "/api/v1/tokens/",
	    guarded(auth, [&store, &clock](auto& req, auto& p) { return revoke_token(store, clock, req, p); }),
	    headers);
}

} // namespace serversan::web
