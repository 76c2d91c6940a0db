#include "serversan/server/web/api.h"

#include <charconv>

#include "serversan/server/web/api_endpoints.h"

namespace serversan::web {

std::optional<uint64_t> parse_id(std::string_view text) {
	uint64_t v = 0;
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
	if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
		return std::nullopt;
	return v;
}

std::optional<int64_t> parse_int(std::string_view text) {
	int64_t v = 0;
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
	if (ec != std::errc{} || end != text.data() + text.size() || text.empty())
		return std::nullopt;
	return v;
}

std::variant<fleet::UserServer, ApiError> owned(const ApiDeps& deps, const Principal& who,
                                                std::string_view id, fleet::UserAction action) {
	auto n = parse_id(id);
	if (!n)
		return not_found(); // a malformed id is just another server the user does not have
	auto a = deps.access->check(who.user_id, *n, action);
	if (!a.ok())
		return internal(a.error());
	switch (a->verdict) {
	case fleet::UserAccess::Verdict::allowed:
		return std::move(*a->server);
	case fleet::UserAccess::Verdict::admins_only:
		return forbidden("only the group's admins can change this server");
	case fleet::UserAccess::Verdict::hidden:
		break;
	}
	return not_found();
}

Result<std::vector<fleet::UserServer>> visible_servers(const ApiDeps& deps, const Principal& who) {
	return deps.access->servers(who.user_id);
}

nlohmann::json group_json(const fleet::UserServer& s) {
	if (!s.group)
		return nullptr;
	// The title as the bot last saw it in the group; null if it never noted one.
	return {{"id", s.server.owner_chat.value_or(0)},
	        {"title", s.group_title ? nlohmann::json(*s.group_title) : nlohmann::json(nullptr)},
	        {"admin", *s.group == fleet::Membership::admin}};
}

std::shared_ptr<ApiRouter> make_api_router(const ApiDeps& given) {
	ApiDeps deps = given;
	if (!deps.access)
		deps.access = std::make_shared<fleet::UserAccess>(*deps.store, deps.membership);
	auto router = std::make_shared<ApiRouter>(*deps.auth, *deps.clock, deps.limits);
	add_server_endpoints(*router, deps);
	add_series_endpoints(*router, deps);
	add_alert_endpoints(*router, deps);
	add_threshold_endpoints(*router, deps);
	add_notify_endpoints(*router, deps);
	add_prometheus_endpoint(*router, deps);
	add_stream_endpoint(*router, deps);
	return router;
}

void add_api_routes(ingest::Routes& routes, const ApiDeps& deps) {
	auto router = make_api_router(deps);
	std::string prefix = std::string(kApiPrefix) + "/";
	for (const std::string& method : router->methods())
		routes.add_prefix(
		    method, prefix, [router](const ingest::RouteRequest& r) { return router->handle(r); },
		    api_headers());
}

} // namespace serversan::web
