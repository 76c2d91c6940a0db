#include "serversan/server/web/guard.h"

#include "serversan/core/crypto.h"
#include "serversan/server/web/api_error.h"

namespace serversan::web {

const std::vector<std::string>& guard_headers() {
	static const std::vector<std::string> names = {"Cookie", "Authorization", "X-CSRF-Token", "User-Agent"};
	return names;
}

bool changes_state(std::string_view method) {
	return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

Guarded guard(Authenticator& auth, const ingest::RouteRequest& request) {
	Guarded g;
	auto who = auth.authenticate(request);
	if (!who) {
		g.refusal = json_error(401, "unauthorized", "log in first (the bot's /web sends a link)");
		return g;
	}
	if (who->via == Principal::Via::session && changes_state(request.method)) {
		std::string_view sent = request.header("X-CSRF-Token");
		if (sent.empty() || !crypto::constant_time_equal(crypto::bytes(sent), crypto::bytes(who->csrf))) {
			g.refusal = json_error(403, "csrf", "missing or wrong X-CSRF-Token header");
			return g;
		}
	}
	g.principal = std::move(who);
	return g;
}

} // namespace serversan::web
