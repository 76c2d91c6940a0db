#include "serversan/server/web/live_hub.h"

#include <algorithm>

#include "serversan/server/fleet/ownership.h"
#include "serversan/server/web/api_endpoints.h"
#include "serversan/server/web/server_json.h"

namespace serversan::web {

class LiveHub::Stream final : public ingest::ResponseStream {
public:
	Stream(LiveHub& hub, int64_t user_id, std::set<int64_t> chats)
	    : hub_(hub), user_id_(user_id), chats_(std::move(chats)) {}
	void start(std::shared_ptr<ingest::StreamWriter> writer) override {
		// Reconnect after 5 s if the connection drops (EventSource's own retry).
		if (writer->write("retry: 5000\n\n"))
			hub_.add(user_id_, std::move(chats_), std::move(writer));
	}

private:
	LiveHub& hub_;
	int64_t user_id_;
	std::set<int64_t> chats_;
};

LiveHub::LiveHub(store::Store& store, const Clock& clock, LiveHubOptions options)
    : store_(store), clock_(clock), options_(options), last_ping_ms_(clock.unix_millis()) {}

LiveHub::~LiveHub() {
	stop();
}

void LiveHub::start() {
	std::lock_guard lock(mu_);
	if (running_)
		return;
	running_ = true;
	thread_ = std::thread([this] {
		std::unique_lock held(mu_);
		while (running_) {
			cv_.wait_for(held, std::chrono::milliseconds(250));
			if (!running_)
				break;
			held.unlock();
			tick();
			held.lock();
		}
	});
}

void LiveHub::stop() {
	{
		std::lock_guard lock(mu_);
		if (!running_)
			return;
		running_ = false;
	}
	cv_.notify_all();
	thread_.join();
	std::lock_guard lock(mu_);
	for (Sub& s : subs_)
		s.writer->close();
	subs_.clear();
}

void LiveHub::committed(const std::vector<store::IngestBatch>& batches,
                        const std::vector<store::IngestOutcome>& outcomes) {
	std::lock_guard lock(mu_);
	for (size_t i = 0; i < batches.size() && i < outcomes.size(); ++i)
		if (outcomes[i].accepted > 0 && pending_.size() < options_.max_pending)
			pending_.insert(batches[i].server_id);
}

void LiveHub::alerts_changed(const std::vector<store::AlertState>& changed) {
	std::lock_guard lock(mu_);
	for (const store::AlertState& a : changed)
		if (alerts_.size() < options_.max_pending)
			alerts_.push_back(a);
}

std::shared_ptr<ingest::ResponseStream> LiveHub::stream_for(int64_t user_id, std::set<int64_t> chats) {
	return std::make_shared<Stream>(*this, user_id, std::move(chats));
}

void LiveHub::add(int64_t user_id, std::set<int64_t> chats, std::shared_ptr<ingest::StreamWriter> writer) {
	std::shared_ptr<ingest::StreamWriter> evicted;
	{
		std::lock_guard lock(mu_);
		size_t mine =
		    std::count_if(subs_.begin(), subs_.end(), [&](const Sub& s) { return s.user_id == user_id; });
		if (mine >= options_.streams_per_user) {
			auto oldest =
			    std::find_if(subs_.begin(), subs_.end(), [&](const Sub& s) { return s.user_id == user_id; });
			evicted = std::move(oldest->writer);
			subs_.erase(oldest);
		}
		subs_.push_back({user_id, std::move(chats), std::move(writer), clock_.unix_millis()});
	}
	if (evicted)
		evicted->close();
}

size_t LiveHub::streams() const {
	std::lock_guard lock(mu_);
	return subs_.size();
}

void LiveHub::send(std::optional<int64_t> chat, const std::string& chunk) {
	std::vector<std::shared_ptr<ingest::StreamWriter>> targets;
	{
		std::lock_guard lock(mu_);
		for (const Sub& s : subs_)
			if (!chat || s.chats.contains(*chat))
				targets.push_back(s.writer);
	}
	std::vector<ingest::StreamWriter*> gone;
	for (auto& w : targets)
		if (!w->write(chunk))
			gone.push_back(w.get());
	if (gone.empty())
		return;
	std::lock_guard lock(mu_);
	std::erase_if(subs_, [&](const Sub& s) {
		return std::find(gone.begin(), gone.end(), s.writer.get()) != gone.end();
	});
}

void LiveHub::tick() {
	int64_t now = clock_.unix_millis();
	std::vector<uint64_t> due;
	std::set<int64_t> listening;
	std::vector<store::AlertState> alerts;
	std::vector<std::shared_ptr<ingest::StreamWriter>> expired;
	bool ping = false;
	{
		std::lock_guard lock(mu_);
		alerts.swap(alerts_);
		for (const Sub& s : subs_)
			listening.insert(s.chats.begin(), s.chats.end());
		for (auto it = pending_.begin(); it != pending_.end();) {
			auto last = last_sent_ms_.find(*it);
			if (last != last_sent_ms_.end() && now - last->second < options_.min_gap_ms) {
				++it; // sent less than a second ago: stays pending for the next tick
				continue;
			}
			due.push_back(*it);
			last_sent_ms_[*it] = now;
			it = pending_.erase(it);
		}
		if (now - last_ping_ms_ >= options_.ping_every_ms) {
			ping = true;
			last_ping_ms_ = now;
		}
		// Forget servers quiet for a while, so the map holds only the active ones.
		std::erase_if(last_sent_ms_, [&](const auto& kv) { return now - kv.second > 60'000; });
		std::erase_if(subs_, [&](Sub& s) {
			if (now - s.opened_ms < options_.max_age_ms)
				return false;
			expired.push_back(std::move(s.writer));
			return true;
		});
	}
	for (auto& w : expired) {
		w->write("retry: 500\n\n"); // come back now, authenticated and checked again
		w->close();
	}
	std::vector<store::ServerRecord> watched; // servers due whose owner chat someone watches
	for (uint64_t id : due) {
		auto server = store_.find_server(id);
		if (server.ok() && *server && listening.contains(fleet::owner_of(**server)))
			watched.push_back(std::move(**server)); // nobody watching: no more reads
	}
	if (auto views = load_views(store_, std::move(watched)); views.ok())
		for (const ServerView& v : *views)
			send(fleet::owner_of(v.server),
			     "event: status\ndata: " +
			         server_summary(v, now).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
			         "\n\n");
	if (!alerts.empty())
		send_alerts(std::move(alerts), listening);
	if (ping)
		send(std::nullopt, ": ping\n\n");
}

// Every change goes out (a resolve right after its firing included): the page's list of what
// fires now must end where the engine's does.
void LiveHub::send_alerts(std::vector<store::AlertState> changed, const std::set<int64_t>& listening) {
	std::map<int64_t, std::vector<store::AlertRule>> rules; // per owner, read once a tick
	for (store::AlertState& a : changed) {
		auto server = store_.find_server(a.server_id);
		if (!server.ok() || !*server)
			continue;
		int64_t owner = fleet::owner_of(**server);
		if (!listening.contains(owner))
			continue;
		auto it = rules.find(owner);
		if (it == rules.end()) {
			auto r = store_.list_alert_rules(owner);
			if (!r.ok())
				continue;
			it = rules.emplace(owner, std::move(*r)).first;
		}
		if (a.state == "ok")
			a.state = "resolved";
		send(owner, "event: alert\ndata: " +
		                alert_json(**server, a, it->second)
		                    .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
		                "\n\n");
	}
}

ingest::CommitHook with_live_hub(LiveHub& hub, ingest::CommitHook next) {
	return [&hub, next = std::move(next)](std::vector<store::IngestBatch>&& batches,
	                                      std::vector<store::IngestOutcome>&& outcomes) {
		hub.committed(batches, outcomes);
		if (next)
			next(std::move(batches), std::move(outcomes));
	};
}

} // namespace serversan::web
