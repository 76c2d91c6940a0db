// /prometheus: the user's servers for a Prometheus scrape (prometheus_text.h). API tokens only:
// a scraper holds a token, never a browser session.
#include "serversan/server/fleet/ownership.h"
#include "serversan/server/web/api_endpoints.h"
#include "serversan/server/web/prometheus_text.h"

namespace serversan::web {

void add_prometheus_endpoint(ApiRouter& router, const ApiDeps& deps) {
	router.add(
	    "GET", "/prometheus",
	    [deps](const ApiRequest& r) -> ApiAnswer {
		    auto servers = fleet::owned_servers(*deps.store, r.who.user_id);
		    if (!servers.ok())
			    return internal(servers.error());
		    auto views = load_views(*deps.store, std::move(*servers));
		    if (!views.ok())
			    return internal(views.error());
		    ingest::RouteResponse resp;
		    resp.content_type = "text/plain; version=0.0.4; charset=utf-8";
		    resp.body = prometheus_text(*views, r.now_ms);
		    return resp;
	    },
	    true);
}

} // namespace serversan::web
