// SessionAuth: the Authenticator over the store's web sessions and API tokens. A browser carries
// the cookie ss_session (HttpOnly, SameSite=Lax, Path=/, Secure under TLS); a script sends
// Authorization: Bearer ss_<...>. Both secrets are looked up by their SHA-256 only; last_seen /
// last_used are written at most once a minute. The console operator (store::kConsoleUser) is an
// admin; any other user is one if their role allows "admin", and a banned user is nobody.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "serversan/core/clock.h"
#include "serversan/core/result.h"
#include "serversan/server/store/store.h"
#include "serversan/server/web/principal.h"

namespace serversan::web {

inline constexpr std::string_view kSessionCookie = "ss_session";
inline constexpr int64_t kSessionTtlMs = 30 * store::kDayMs;

// The value of cookie `name` in a Cookie header ("a=1; ss_session=xyz"); empty if absent.
std::string_view cookie_value(std::string_view cookie_header, std::string_view name);

class SessionAuth final : public Authenticator {
public:
	SessionAuth(store::Store& store, const Clock& clock, int64_t session_ttl_ms = kSessionTtlMs)
	    : store_(store), clock_(clock), ttl_ms_(session_ttl_ms) {}

	std::optional<Principal> authenticate(const ingest::RouteRequest& request) override;

	// A new session for user_id ("link", "console" or "miniapp"), remembering the request's
	// address and User-Agent for the sessions list. set_cookie is the Set-Cookie header's value:
	// the cookie's secret is in it and nowhere else.
	struct Started {
		std::string set_cookie;
		Principal principal;
	};
	Result<Started> start(int64_t user_id, std::string via, const ingest::RouteRequest& request);
	// The Set-Cookie value that deletes the cookie (logout).
	std::string clear_cookie(bool tls) const;
	int64_t ttl_ms() const { return ttl_ms_; }

private:
	// Admin or not; empty: the user is banned (or gone) and gets no principal.
	std::optional<bool> admin_of(int64_t user_id);

	store::Store& store_;
	const Clock& clock_;
	int64_t ttl_ms_;
};

} // namespace serversan::web
