// /prometheus: the servers the user may see (their groups' too) for a Prometheus scrape (prometheus_text.h).
// API tokens only: a scraper holds a token, never a browser session.
#include "serversan/server/web/api_endpoints.h"
#include "serversan/server/web/prometheus_text.h"

namespace serversan::web {

void add_prometheus_endpoint(ApiRouter& router, const ApiDeps& deps) {
	router.add(
	    "GET", "/prometheus",
	    [deps](const ApiRequest& r) -> ApiAnswer {
		    auto servers = visible_servers(deps, r.who);
		    if (!servers.ok())
			    return internal(servers.error());
		    std::vector<store::ServerRecord> records;
		    for (fleet::UserServer& s : *servers)
			    records.push_back(std::move(s.server));
		    auto views = load_views(*deps.store, std::move(records));
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
