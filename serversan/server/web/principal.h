// Who a web request comes from, as the auth layer (web/auth.h) found it, and the interface the
// API layer asks. One layer in front of every API handler decides it (a session cookie, a bearer
// API token); handlers receive a Principal and never look at cookies or tokens themselves.
//
// CSRF: a request that changes state (POST, PUT, PATCH, DELETE) from a cookie session must carry
// the header X-CSRF-Token equal to Principal::csrf; the API layer refuses it otherwise. A bearer
// token is not sent by browsers on their own, so token requests need no CSRF header.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "serversan/server/ingest/routes.h"

namespace serversan::web {

struct Principal {
	enum class Via { session, api_token };
	int64_t user_id = 0; // the Telegram user id: the same owner the bot checks
	bool admin = false;  // an admin of the bot (sees /fleet-like data, never others' servers)
	Via via = Via::session;
	uint64_t session_id = 0;   // via session: web_sessions.id
	uint64_t api_token_id = 0; // via api_token: api_tokens.id
	std::string csrf;          // via session: the value X-CSRF-Token must carry
};

class Authenticator {
public:
	virtual ~Authenticator() = default;
	// The request's principal from its Cookie or Authorization: Bearer header; empty if neither
	// is valid (expired, revoked, unknown). Never logs the secret.
	virtual std::optional<Principal> authenticate(const ingest::RouteRequest& request) = 0;
};

} // namespace serversan::web
