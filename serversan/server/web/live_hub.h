// Live updates for open dashboards (GET /api/v1/stream, server-sent events). The ingest writer
// tells the hub which servers a committed group touched (with_live_hub wraps its after_commit:
// a few ids copied under a lock, nothing more on the writer's thread); the hub's own thread then
// reads each one's summary and sends `event: status` to the streams that watch its owner chat (the
// user's own, and the groups the user was a member of when the stream opened: fleet/user_access.h
// decides, in GET /stream), at most once per server per second, and a `: ping` comment every 25 s so proxies
// keep the connection. The alert engine tells it (alerts_changed, its observer) which alerts fired or
// resolved; the hub sends each as `event: alert` (docs/api.md's Alert, state "firing" or "resolved") to the
// server's owner, none held back. A
// stream whose write() fails is dropped; one older than max_age_ms is closed (the browser
// reconnects at once, checked again). Time comes from the injected clock; tests call tick()
// instead of start().
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "serversan/core/clock.h"
#include "serversan/server/ingest/routes.h"
#include "serversan/server/ingest/writer.h"
#include "serversan/server/store/store.h"

namespace serversan::web {

struct LiveHubOptions {
	int64_t min_gap_ms = 1000;      // per server
	int64_t ping_every_ms = 25'000; // a comment line, so idle connections stay open
	size_t streams_per_user = 8;    // the oldest is closed beyond this
	size_t max_pending = 100'000;   // servers waiting for their update (more are dropped)
	// A stream is closed this long after it opened (told to come back within half a second):
	// the reconnect authenticates again and decides its servers again, so a revoked session or a
	// group the user left stops within this, not when the tab closes.
	int64_t max_age_ms = 10 * 60'000;
};

class LiveHub {
public:
	LiveHub(store::Store& store, const Clock& clock, LiveHubOptions options = {});
	~LiveHub();
	LiveHub(const LiveHub&) = delete;
	LiveHub& operator=(const LiveHub&) = delete;

	void start(); // the hub's thread: tick() about four times a second
	void stop();

	// The servers of a committed group (any thread; returns at once).
	void committed(const std::vector<store::IngestBatch>& batches,
	               const std::vector<store::IngestOutcome>& outcomes);
	// Alerts that fired (state "firing") or resolved ("ok") in one engine write (any thread;
	// returns at once: the rows are copied, read and sent by tick()).
	void alerts_changed(const std::vector<store::AlertState>& changed);
	// The answer of GET /stream for this user, watching the servers of these owner chats:
	// registers the writer the listener hands it.
	std::shared_ptr<ingest::ResponseStream> stream_for(int64_t user_id, std::set<int64_t> chats);
	// Sends what is due now: status of changed servers, pings. Called by the thread or tests.
	void tick();
	size_t streams() const;

private:
	struct Sub {
		int64_t user_id = 0;
		std::set<int64_t> chats; // whose servers it gets
		std::shared_ptr<ingest::StreamWriter> writer;
		int64_t opened_ms = 0;
	};
	class Stream;
	void add(int64_t user_id, std::set<int64_t> chats, std::shared_ptr<ingest::StreamWriter> writer);
	// To the streams watching chat (every stream: nullopt).
	void send(std::optional<int64_t> chat, const std::string& chunk);
	void send_alerts(std::vector<store::AlertState> changed, const std::set<int64_t>& listening);

	store::Store& store_;
	const Clock& clock_;
	LiveHubOptions options_;
	mutable std::mutex mu_;
	std::condition_variable cv_;
	std::set<uint64_t> pending_;               // servers with news
	std::vector<store::AlertState> alerts_;    // fired or resolved since the last tick
	std::map<uint64_t, int64_t> last_sent_ms_; // per server
	std::vector<Sub> subs_;
	int64_t last_ping_ms_ = 0;
	bool running_ = false;
	std::thread thread_;
};

// The writer's after_commit with the hub told first (ids only), then `next` (the alert feed).
ingest::CommitHook with_live_hub(LiveHub& hub, ingest::CommitHook next);

} // namespace serversan::web
