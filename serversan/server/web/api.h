// The dashboard's JSON API under /api/v1 (docs/api.md), registered on the listener's route table.
// main.cpp builds ApiDeps once; every handler reaches only the servers the Principal may see
// (fleet/user_access.h: their own, and their groups' with a GroupMembership) and answers any other
// server as 404; a group member's write to a group's server is 403 (admins only).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "serversan/core/clock.h"
#include "serversan/server/fleet/membership.h"
#include "serversan/server/fleet/user_access.h"
#include "serversan/server/ingest/routes.h"
#include "serversan/server/store/store.h"
#include "serversan/server/web/api_router.h"
#include "serversan/server/web/principal.h"

namespace serversan::web {

class LiveHub;

struct ApiDeps {
	store::Store* store = nullptr;
	Authenticator* auth = nullptr;
	const Clock* clock = nullptr;
	std::string public_url;              // the install lines' server address
	std::function<void()> rules_changed; // a threshold changed: the alert engine reloads (may be empty)
	LiveHub* hub = nullptr;              // GET /stream; empty: the endpoint answers 503
	// Who is in which group (the bot's getChatMember); empty: a user sees their own servers only.
	fleet::GroupMembership* membership = nullptr;
	// Made by make_api_router from store and membership when empty.
	std::shared_ptr<fleet::UserAccess> access;
	ApiLimits limits;
};

// The router with every endpoint; shared so the route table's handlers keep it alive.
std::shared_ptr<ApiRouter> make_api_router(const ApiDeps& deps);
// Registers "/api/v1/" as a prefix route for each method the API answers.
void add_api_routes(ingest::Routes& routes, const ApiDeps& deps);

} // namespace serversan::web
