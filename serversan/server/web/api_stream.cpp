// /stream: the live updates (live_hub.h) as server-sent events.
#include "serversan/server/web/api_endpoints.h"
#include "serversan/server/web/live_hub.h"

namespace serversan::web {

void add_stream_endpoint(ApiRouter& router, const ApiDeps& deps) {
	router.add("GET", "/stream", [deps](const ApiRequest& r) -> ApiAnswer {
		if (!deps.hub)
			return ApiError{503, "unavailable", "live updates are off"};
		ingest::RouteResponse resp;
		resp.content_type = "text/event-stream";
		resp.headers.emplace_back("Cache-Control", "no-store");
		resp.headers.emplace_back("X-Accel-Buffering", "no"); // nginx: pass events on at once
		resp.stream = deps.hub->stream_for(r.who.user_id);
		return resp;
	});
}

} // namespace serversan::web
