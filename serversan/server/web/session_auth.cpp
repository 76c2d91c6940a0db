#include "serversan/server/web/session_auth.h"

#include <algorithm>

#include <fmt/format.h>

#include "serversan/core/encoding.h"
#include "serversan/core/log.h"
#include "serversan/server/store/web_login.h"

namespace serversan::web {

namespace {

// The role the bot's /ban gives (bot/commands/ban.cpp).
constexpr std::string_view kBannedRole = "blocked";
constexpr std::string_view kBearer = "Bearer ";

std::string cookie_header(std::string_view value, int64_t max_age_s, bool tls) {
	return fmt::format("{}={}; Max-Age={}; Path=/; HttpOnly; SameSite=Lax{}", kSessionCookie, value,
	                   max_age_s, tls ? "; Secure" : "");
}

} // namespace

std::string_view cookie_value(std::string_view header, std::string_view name) {
	while (!header.empty()) {
		size_t end = header.find(';');
		std::string_view pair = trim_blanks(header.substr(0, end));
		header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
		size_t eq = pair.find('=');
		if (eq != std::string_view::npos && trim_blanks(pair.substr(0, eq)) == name)
			return trim_blanks(pair.substr(eq + 1));
	}
	return {};
}

std::optional<bool> SessionAuth::admin_of(int64_t user_id) {
	if (user_id == store::kConsoleUser)
		return true;
	auto user = store_.find_user(user_id);
	if (!user.ok()) {
		log::warn("web: reading user {}: {}", user_id, user.error().message);
		return std::nullopt;
	}
	if (!*user || (*user)->role == kBannedRole)
		return std::nullopt;
	auto roles = store_.list_roles();
	if (!roles.ok())
		return false;
	auto it = std::find_if(roles->begin(), roles->end(),
	                       [&](const store::Role& r) { return r.name == (*user)->role; });
	return it != roles->end() && it->allows(store::kPermAdmin);
}

std::optional<Principal> SessionAuth::authenticate(const ingest::RouteRequest& request) {
	int64_t now = clock_.unix_millis();
	Principal p;
	std::string_view auth = request.header("Authorization");
	if (auth.size() > kBearer.size() &&
	    std::equal(kBearer.begin(), kBearer.end(), auth.begin(),
	               [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
		auto token = store_.find_api_token(store::secret_hash(trim_blanks(auth.substr(kBearer.size()))));
		if (!token.ok()) {
			log::warn("web: looking up an API token: {}", token.error().message);
			return std::nullopt;
		}
		if (!*token)
			return std::nullopt;
		p.user_id = (*token)->user_id;
		p.via = Principal::Via::api_token;
		p.api_token_id = (*token)->id;
		if (!(*token)->last_used_ms || *(*token)->last_used_ms + store::kMinuteMs <= now)
			if (auto r = store_.touch_api_token(p.api_token_id, now); !r.ok())
				log::warn("web: noting token {} used: {}", p.api_token_id, r.error().message);
	} else {
		std::string_view cookie = cookie_value(request.header("Cookie"), kSessionCookie);
		if (cookie.empty())
			return std::nullopt;
		auto session = store_.find_web_session(store::secret_hash(cookie), now);
		if (!session.ok()) {
			log::warn("web: looking up a session: {}", session.error().message);
			return std::nullopt;
		}
		if (!*session)
			return std::nullopt;
		p.user_id = (*session)->user_id;
		p.via = Principal::Via::session;
		p.session_id = (*session)->id;
		p.csrf = (*session)->csrf;
		if ((*session)->last_seen_ms + store::kMinuteMs <= now)
			if (auto r = store_.touch_web_session(p.session_id, now); !r.ok())
				log::warn("web: noting session {} seen: {}", p.session_id, r.error().message);
	}
	auto admin = admin_of(p.user_id);
	if (!admin)
		return std::nullopt;
	p.admin = *admin;
	return p;
}

Result<SessionAuth::Started> SessionAuth::start(int64_t user_id, std::string via,
                                                const ingest::RouteRequest& request) {
	std::string secret = store::new_secret();
	store::WebSession s;
	s.token_hash = store::secret_hash(secret);
	s.user_id = user_id;
	s.csrf = store::new_secret();
	s.via = std::move(via);
	s.created_ms = s.last_seen_ms = clock_.unix_millis();
	s.expires_ms = s.created_ms + ttl_ms_;
	s.user_agent = std::string(request.header("User-Agent").substr(0, 200));
	s.ip = std::string(request.client_ip);
	auto id = store_.create_web_session(s);
	if (!id.ok())
		return id.error();
	log::info("web: user {} logged in ({}, session {}) from {}", user_id, s.via, *id, s.ip);
	Started out;
	out.set_cookie = cookie_header(secret, ttl_ms_ / 1000, request.tls);
	out.principal.user_id = user_id;
	out.principal.admin = admin_of(user_id).value_or(false);
	out.principal.session_id = *id;
	out.principal.csrf = std::move(s.csrf);
	return out;
}

std::string SessionAuth::clear_cookie(bool tls) const {
	return cookie_header("", 0, tls);
}

} // namespace serversan::web
