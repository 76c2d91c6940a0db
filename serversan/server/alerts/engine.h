// The alert engine: keeps every alert's state (rule_catalog kinds x server x device) in memory,
// decides after each committed group of reports in O(rules of that server) per report, sweeps
// for offline servers and due reminders on tick(), and writes what changed (alert_state rows
// and outbox notices of kind "alert", alert_message.h) in ONE store call (record_alerts) after
// each decision. It never renders text and never calls the bot.
//
// Contract:
//  - load() once before anything else: rules, servers and the stored states. A state stored as
//    firing stays firing (its notices are not repeated: dedupe keys per firing start, and the
//    stored last notice and reminder count); pending states are not stored (they restart).
//  - on_committed() with the batches the writer committed and their outcomes (batches with
//    nothing accepted or a changed key are skipped). Reports evaluate oldest first; a sample
//    not newer than the newest seen for an alert is ignored; a transition on a sample older than
//    max(fresh_floor_ms, 3 intervals) before now (an agent's backfill) changes the state but
//    sends nothing: the notice waits for a fresh sample that still breaches.
//  - tick() from the jobs (every 15-30 s): offline sweep (offline.h), reminders while firing,
//    and the periodic reload of rules and servers.
//  - Rules: a cache, reloaded by tick() every rules_refresh_ms (the bot or another process writes
//    them) and at the next call after rules_changed() (in-process writers); the reads happen
//    outside the lock, and only servers whose chat's rules or owner changed are recomputed.
//  - A firing notice goes to the rule's route_chat, else the server's alert_chat, else its owner
//    chat; a server without an owner (added by the CLI) is skipped. Its reminders and its
//    recovery go to the chat the firing went to (kept in memory, and after a restart read from
//    the firing notice's outbox row), even if the route changed meanwhile. A server's rules
//    follow its tags (rule_catalog.h); tags are reloaded with the rules.
//    Whether and when one goes out is the DeliveryGate's decision for the chat it goes to
//    (delivery.h, that chat's settings and silences): the engine
//    records a firing as notified only when the gate let it out, and sends "resolved" (or "back
//    online") only for an alert whose firing notice went out.
//  - Mutes (AlertSilence without until_ms) on a server, of its owner chat and of the chats its
//    alerts went to, are lifted (deleted)
//    when a recovery (resolved or back online) leaves none of that server's alerts firing: "until it
//    recovers" ends once, whichever alert recovered last.
//  - Thread-safe (one lock): the writer thread calls on_committed, the jobs thread tick.
//  - A failed store write is kept and retried with the next call; nothing is decided twice.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "serversan/core/result.h"
#include "serversan/server/alerts/alert_message.h"
#include "serversan/server/store/store.h"

namespace serversan::alerts {

// The seam where delivery is decided (alerts/delivery.h plugs in here): quiet hours, mutes,
// snoozes, the chat's switch. send = false drops the notice; at_ms > now holds it until then;
// silent: it goes out without a sound (AlertMessage::silent).
struct DeliveryVerdict {
	bool send = true;
	int64_t at_ms = 0; // 0 or <= now: at once
	bool silent = false;
};
using DeliveryGate = std::function<DeliveryVerdict(int64_t chat_id, const AlertMessage& m, int64_t now_ms)>;

struct EngineOptions {
	int64_t rules_refresh_ms = 30'000;
	int64_t fresh_floor_ms = 2 * 60'000;        // a sample this old or less may make a notice
	int64_t reminder_cap_ms = 24 * 3'600'000LL; // reminder back-off doubles up to this
	int64_t default_interval_ms = 60'000;       // a server's report interval until one is known
	int64_t offline_floor_ms = 3 * 60'000;      // offline.h's floor (tests: seconds)
	// Notices are due this long after they are queued (Alertmanager's group_wait), so the bot
	// can send the ones of a group that come together as one message (bot/alert_group.h).
	int64_t group_wait_ms = 30'000;
};

struct EngineStats {
	uint64_t reports = 0;     // reports evaluated
	uint64_t evaluations = 0; // (rule, device) evaluations
	uint64_t transitions = 0; // state changes written
	uint64_t notices = 0;     // messages queued
};

// Told, after each store write, of the alerts that fired or resolved in it: rows as stored, state
// "firing", or "ok" for one that resolved (or stopped because its rule was turned off). Runs on
// the engine's caller under its lock: copy what is needed and return (the web's live hub queues it).
using AlertObserver = std::function<void(const std::vector<store::AlertState>& changed)>;

class Engine {
public:
	Engine(store::Store& store, EngineOptions options = {}, DeliveryGate gate = {});
	~Engine();
	Engine(const Engine&) = delete;
	Engine& operator=(const Engine&) = delete;

	Result<void> load(int64_t now_ms);
	Result<EngineStats> on_committed(const std::vector<store::IngestBatch>& batches,
	                                 const std::vector<store::IngestOutcome>& outcomes, int64_t now_ms);
	Result<EngineStats> tick(int64_t now_ms);
	void rules_changed();
	// The one observer, from the next write on (main wires the web's live hub to it).
	void set_observer(AlertObserver observer);

	// The in-memory state of one alert (tests, /status); empty if never evaluated.
	std::optional<store::AlertState> state(uint64_t server_id, std::string_view metric,
	                                       std::string_view device = {}) const;

private:
	// Reloads rules and servers if rules_changed() asked, or (periodic) the interval passed; the
	// store reads run outside the lock so the writer's on_committed never waits for them.
	Result<void> refresh(int64_t now_ms, bool periodic);

	struct Impl;
	std::unique_ptr<Impl> impl_;
	mutable std::mutex mu_;
};

} // namespace serversan::alerts
