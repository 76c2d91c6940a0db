// /stream: the live updates (live_hub.h) as server-sent events.
#include <set>

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
		// The servers it may carry are decided now, by the one access rule: a group joined or
		// left later counts from the next connection (EventSource reconnects on its own).
		auto chats = deps.access->chats(r.who.user_id);
		if (!chats.ok())
			return internal(chats.error());
		std::set<int64_t> watched;
		for (const fleet::UserAccess::Chat& c : *chats)
			watched.insert(c.id);
		resp.stream = deps.hub->stream_for(r.who.user_id, std::move(watched));
		return resp;
	});
}

} // namespace serversan::web
