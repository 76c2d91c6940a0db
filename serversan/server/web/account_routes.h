// The account endpoints of the JSON API (docs/api.md): who am I, logout, my sessions, my API
// tokens. Every handler runs behind guard() and only ever reads or changes the principal's own
// sessions and tokens. Registered by add_auth_routes (auth_routes.h).
#pragma once

#include "serversan/server/web/auth_routes.h"
#include "serversan/server/web/principal.h"

namespace serversan::web {

void add_account_routes(ingest::Routes& routes, const AuthDeps& deps);
// GET /api/v1/me's body for p (also the Mini App login's answer).
std::string me_json(store::Store& store, const Principal& p);

} // namespace serversan::web
