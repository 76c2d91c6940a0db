// The one check in front of every web API handler: who is asking (Authenticator), and, for a
// request that changes state from a cookie session, that it carries X-CSRF-Token equal to the
// session's csrf (principal.h). The auth routes and the API layer both call guard(); no handler
// looks at cookies, tokens or the CSRF header itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/server/ingest/routes.h"
#include "serversan/server/web/principal.h"

namespace serversan::web {

// The request headers the guard reads: routes behind it register them (Routes::add's headers).
const std::vector<std::string>& guard_headers();

// POST, PUT, PATCH, DELETE.
bool changes_state(std::string_view method);

struct Guarded {
	std::optional<Principal> principal;
	ingest::RouteResponse refusal; // when principal is empty: 401 unauthorized or 403 csrf
};
Guarded guard(Authenticator& auth, const ingest::RouteRequest& request);

} // namespace serversan::web
