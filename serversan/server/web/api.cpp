#include "serversan/server/web/api.h"

#include <charconv>

#include "serversan/server/fleet/ownership.h"
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

std::variant<store::ServerRecord, ApiError> owned(const ApiDeps& deps, const Principal& who,
                                                  std::string_view id) {
	auto n = parse_id(id);
	if (!n)
		return not_found(); // a malformed id is just another server the user does not have
	auto s = fleet::owned_server(*deps.store, who.user_id, *n);
	if (!s.ok())
		return internal(s.error());
	if (!*s)
		return not_found();
	return std::move(**s);
}

std::shared_ptr<ApiRouter> make_api_router(const ApiDeps& deps) {
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
