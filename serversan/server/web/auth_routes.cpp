#include "serversan/server/web/auth_routes.h"

#include <nlohmann/json.hpp>

#include "serversan/core/log.h"
#include "serversan/server/store/web_login.h"
#include "serversan/server/web/account_routes.h"
#include "serversan/server/web/api_error.h"
#include "serversan/server/web/login_page.h"
#include "serversan/server/web/miniapp.h"

namespace serversan::web {

namespace {

constexpr std::string_view kLoginPrefix = "/login/";
constexpr size_t kMaxBody = 64 * 1024;

// A token as new_secret() makes them: 43 base64url characters. Anything else is not looked up.
bool plausible_token(std::string_view t) {
	return t.size() == 43 && std::all_of(t.begin(), t.end(), [](char c) {
		       return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
	       });
}

// The language of a link's pages: its user's, when the link and the user are known (the console
// operator has no Telegram language), else the browser's. A failed read only costs the language.
PageLang link_language(const AuthDeps& deps, std::string_view token, const ingest::RouteRequest& req) {
	std::string user_language;
	if (plausible_token(token)) {
		auto user = deps.store.login_link_user(store::secret_hash(token));
		if (user.ok() && *user && **user != store::kConsoleUser) {
			auto found = deps.store.find_user(**user);
			if (found.ok() && *found)
				user_language = (*found)->language;
		}
	}
	return page_language(user_language, req.header("Accept-Language"));
}

void retry_after(ingest::RouteResponse& r, const ingest::RateDecision& d) {
	r.headers.emplace_back("Retry-After", std::to_string(d.retry_after_s));
}

ingest::RouteResponse spend_link(const AuthDeps& deps, ingest::RateLimiter& limiter,
                                 const ingest::RouteRequest& req) {
	if (auto d = limiter.admit(req.client_ip); !d.allowed) {
		auto r = login_failed_page(429, page_language("", req.header("Accept-Language")));
		retry_after(r, d);
		return r;
	}
	std::string_view token = req.path.substr(kLoginPrefix.size());
	if (!plausible_token(token))
		return login_failed_page(410, page_language("", req.header("Accept-Language")));
	auto user = deps.store.spend_login_link(store::secret_hash(token), deps.clock.unix_millis());
	if (!user.ok()) {
		log::error("web: spending a login link: {}", user.error().message);
		return json_error(500, "internal", "could not read the login link");
	}
	if (!*user) {
		log::info("web: a spent, expired or unknown login link was tried from {}", req.client_ip);
		return login_failed_page(410, link_language(deps, token, req));
	}
	auto started = deps.auth.start(**user, **user == store::kConsoleUser ? "console" : "link", req);
	if (!started.ok()) {
		log::error("web: starting a session: {}", started.error().message);
		return json_error(500, "internal", "could not start a session");
	}
	ingest::RouteResponse r;
	r.status = 303;
	r.content_type = "text/plain; charset=utf-8";
	r.headers = {{"Location", "/"},
	             {"Set-Cookie", started->set_cookie},
	             {"Cache-Control", "no-store"},
	             {"Referrer-Policy", "no-referrer"}};
	return r;
}

ingest::RouteResponse miniapp_login(const AuthDeps& deps, ingest::RateLimiter& limiter,
                                    const ingest::RouteRequest& req) {
	if (auto d = limiter.admit(req.client_ip); !d.allowed) {
		auto r = json_error(429, "rate_limited", "too many login attempts");
		retry_after(r, d);
		return r;
	}
	if (deps.bot_token.empty())
		return json_error(503, "unavailable", "no Telegram bot is configured");
	if (req.body.size() > kMaxBody)
		return json_error(413, "too_large", "request body over 64 KiB");
	auto body = nlohmann::json::parse(req.body, nullptr, false);
	if (!body.is_object() || !body.contains("init_data") || !body["init_data"].is_string())
		return json_error(400, "bad_request", "expected {\"init_data\": \"...\"}");
	auto user =
	    verify_init_data(body["init_data"].get<std::string>(), deps.bot_token, deps.clock.unix_seconds());
	if (!user.ok()) {
		log::info("web: Mini App login refused from {}: {}", req.client_ip, user.error().message);
		return json_error(401, "unauthorized", "Telegram's init data did not check out");
	}
	// Only users the bot registered (/start): the bot is where people agree to use ServerSan, and
	// where a ban is set; the web never creates users.
	auto known = deps.store.find_user(user->id);
	if (!known.ok())
		return json_error(500, "internal", "could not read the user");
	if (!*known)
		return json_error(403, "forbidden", "open the bot and send /start first");
	auto started = deps.auth.start(user->id, "miniapp", req);
	if (!started.ok()) {
		log::error("web: starting a session: {}", started.error().message);
		return json_error(500, "internal", "could not start a session");
	}
	auto r = json_answer(me_json(deps.store, started->principal));
	r.headers.emplace_back("Set-Cookie", started->set_cookie);
	return r;
}

} // namespace

void add_auth_routes(ingest::Routes& routes, const AuthDeps& deps) {
	auto limiter = std::make_shared<ingest::RateLimiter>(deps.login_limit, 4096, deps.clock);
	routes.add_prefix("GET", std::string(kLoginPrefix),
	                  [deps](const ingest::RouteRequest& req) {
		                  return login_button_page(
		                      link_language(deps, req.path.substr(kLoginPrefix.size()), req));
	                  },
	                  {"Accept-Language"});
	routes.add_prefix(
	    "POST", std::string(kLoginPrefix),
	    [deps, limiter](const ingest::RouteRequest& req) { return spend_link(deps, *limiter, req); },
	    {"User-Agent", "Accept-Language"});
	routes.add(
	    "POST", "/api/v1/auth/miniapp",
	    [deps, limiter](const ingest::RouteRequest& req) { return miniapp_login(deps, *limiter, req); },
	    {"User-Agent"});
	add_account_routes(routes, deps);
}

} // namespace serversan::web
