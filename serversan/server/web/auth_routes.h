// The web login routes (docs/api.md "Authentication"), for the lead to register on the one
// listener: GET/POST /login/<token> (one-time links), POST /api/v1/auth/miniapp (Telegram Mini
// App), and the account endpoints behind guard(): GET /api/v1/me, POST /api/v1/logout,
// GET/DELETE /api/v1/sessions[/id], GET/POST/DELETE /api/v1/tokens[/id].
#pragma once

#include <memory>
#include <string>

#include "serversan/core/clock.h"
#include "serversan/server/ingest/rate_limiter.h"
#include "serversan/server/ingest/routes.h"
#include "serversan/server/store/store.h"
#include "serversan/server/web/session_auth.h"

namespace serversan::web {

struct AuthDeps {
	store::Store& store;
	const Clock& clock;
	SessionAuth& auth;
	std::string bot_token; // for the Mini App's init data; empty: that login answers 503
	// Login attempts (links and Mini App) per client address: a burst of 10, then one per 6 s.
	ingest::RateLimit login_limit{1.0 / 6, 10};
};

void add_auth_routes(ingest::Routes& routes, const AuthDeps& deps);

} // namespace serversan::web
