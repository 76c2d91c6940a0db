#include "serversan/server/alerts/engine.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "serversan/server/alerts/evaluator.h"
#include "serversan/server/alerts/offline.h"
#include "serversan/server/alerts/rule_catalog.h"
#include "serversan/server/alerts/values.h"

namespace serversan::alerts {

namespace {

constexpr size_t kTopProcesses = 5;

// How long before a breach began the top processes may have been taken and still be its evidence:
// the agents' slow pass runs every 5 minutes.
constexpr int64_t kTopEvidenceSlackMs = 5 * 60'000;

// One alert: a kind on one device (or server-wide) of one server.
struct Alert {
	const AlertKind* kind = nullptr;
	std::string device;
	WindowState w;
	uint64_t rule_id = 0;
	std::optional<double> value;
	std::optional<double> latest;       // the newest sample (value is the window's average)
	std::optional<int64_t> notified_ms; // the last notice that went out
	std::optional<int64_t> message_id;
	// The chat its firing notice went to: its reminders and its recovery go there too, even if
	// the route changed meanwhile (never an orphan "resolved").
	std::optional<int64_t> chat;
	int reminders = 0;
	Evidence evidence; // captured when it fired
};

struct Server {
	uint64_t id = 0;
	std::optional<int64_t> owner_chat;
	std::optional<int64_t> alert_chat; // where its alerts go; empty: the owner's chat
	std::vector<std::string> tags;     // sorted
	std::string name;
	std::optional<uint32_t> cores;
	std::optional<int64_t> last_received_ms; // the server's clock: what offline counts from
	int64_t last_sample_ms = 0;
	int64_t interval_ms = 0;
	bool interval_learned = false;
	std::vector<EffectiveRule> rules;
	// Per kind (alert_kinds() index): its rule in `rules`, and whether a device has its own.
	std::vector<int> general;
	std::vector<bool> device_rules;
	std::vector<Alert> alerts;
};

size_t kind_index(const AlertKind* kind) {
	return static_cast<size_t>(kind - alert_kinds().data());
}

void index_rules(Server& s) {
	const size_t n = alert_kinds().size();
	s.general.assign(n, -1);
	s.device_rules.assign(n, false);
	for (size_t i = 0; i < s.rules.size(); ++i) {
		size_t k = kind_index(s.rules[i].kind);
		if (s.rules[i].rule.device.empty())
			s.general[k] = static_cast<int>(i);
		else
			s.device_rules[k] = true;
	}
}

const AlertKind& offline_kind() {
	static const AlertKind* k = kind_of_metric(kMetricOffline);
	return *k;
}

// The rule for (kind, device): a device's own rule, else the kind's.
const EffectiveRule* rule_for(const Server& s, const AlertKind* kind, std::string_view device) {
	if (s.general.empty())
		return nullptr;
	const size_t k = kind_index(kind);
	if (s.device_rules[k] && !device.empty())
		for (const EffectiveRule& r : s.rules)
			if (r.kind == kind && r.rule.device == device)
				return &r;
	return s.general[k] < 0 ? nullptr : &s.rules[static_cast<size_t>(s.general[k])];
}

Alert& alert_of(Server& s, const AlertKind* kind, std::string_view device) {
	for (Alert& a : s.alerts)
		if (a.kind == kind && a.device == device)
			return a;
	Alert& a = s.alerts.emplace_back();
	a.kind = kind;
	a.device = std::string(device);
	return a;
}

std::vector<TopProcess> top_of(const std::vector<ProcessEntry>& entries) {
	std::vector<TopProcess> out;
	for (const ProcessEntry& p : entries) {
		if (out.size() == kTopProcesses)
			break;
		out.push_back({p.pid, p.name, p.user, p.cpu_percent, p.rss});
	}
	return out;
}

// The row of an alert; pending is not stored (it restarts with the window).
store::AlertState state_of(uint64_t server_id, const Alert& a, bool keep_pending = false) {
	store::AlertState st;
	st.rule_id = a.rule_id;
	st.server_id = server_id;
	st.metric = std::string(a.kind->metric);
	st.device = a.device;
	st.state = std::string(phase_name(a.w.phase == Phase::pending && !keep_pending ? Phase::ok : a.w.phase));
	st.since_ms = a.w.since_ms;
	st.value = a.value;
	st.notified_ms = a.notified_ms;
	st.message_id = a.message_id;
	st.reminders = a.reminders;
	st.last_ms = a.w.last_ms;
	return st;
}

struct Snapshot {
	std::vector<store::AlertRule> rules;
	std::vector<store::ServerRecord> servers;
	std::unordered_map<uint64_t, std::vector<std::string>> tags;
};

// The store reads of a reload, made without the engine's lock.
Result<Snapshot> fetch(store::Store& store) {
	auto rules = store.list_alert_rules(std::nullopt);
	if (!rules.ok())
		return rules.error();
	auto list = store.list_servers();
	if (!list.ok())
		return list.error();
	auto tags = store.chat_server_tags(std::nullopt);
	if (!tags.ok())
		return tags.error();
	Snapshot snap{std::move(*rules), std::move(*list), {}};
	for (auto& t : *tags)
		snap.tags[t.server_id].push_back(std::move(t.tag));
	return snap;
}

} // namespace

struct Engine::Impl {
	store::Store& store;
	EngineOptions options;
	DeliveryGate gate;
	int64_t engine_start_ms = 0; // load(): offline counts silence from here at the earliest
	int64_t loaded_ms = 0;
	bool reload_due = true;
	std::unordered_map<uint64_t, Server> servers;
	std::unordered_map<int64_t, std::vector<store::AlertRule>> chat_rules;
	std::unordered_map<int64_t, int64_t> reminder_ms; // per chat, cached until the next reload
	std::vector<store::AlertState> pending_states;
	std::vector<store::AlertState> pending_changes; // the fired and resolved among them
	std::vector<store::OutboxMessage> pending_messages;
	AlertObserver observer;
	std::vector<KindValue> values;       // reused per report
	std::vector<uint64_t> pending_rules; // servers whose rules apply() recomputes
	// (owner chat, server) that recovered with nothing left firing: their mutes end at flush().
	std::vector<std::pair<int64_t, uint64_t>> pending_unmutes;
	EngineStats stats;

	Impl(store::Store& st, EngineOptions o, DeliveryGate g) : store(st), options(o), gate(std::move(g)) {}

	void set_rules(Server& s) {
		s.rules.clear();
		s.general.clear();
		if (!s.owner_chat)
			return;
		auto it = chat_rules.find(*s.owner_chat);
		static const std::vector<store::AlertRule> kNone;
		s.rules = effective_rules(it == chat_rules.end() ? kNone : it->second, s.id, s.tags);
		index_rules(s);
	}

	void adopt(Server& s, const store::ServerRecord& rec) {
		s.id = rec.id;
		s.owner_chat = rec.owner_chat;
		s.alert_chat = rec.alert_chat;
		s.name = rec.name;
		if (rec.host && rec.host->cpu_logical)
			s.cores = *rec.host->cpu_logical;
		if (rec.last_seen_ms && (!s.last_received_ms || *rec.last_seen_ms > *s.last_received_ms))
			s.last_received_ms = rec.last_seen_ms;
		if (s.interval_ms == 0)
			s.interval_ms = options.default_interval_ms;
	}

	// Takes a fresh read of the rules and servers (fetch(), outside the lock) into the engine.
	// A server's effective rules are recomputed only when its chat's rules or its owner changed,
	// so the periodic reload costs the two reads and a comparison.
	void apply(Snapshot snap, int64_t now_ms) {
		std::unordered_map<int64_t, std::vector<store::AlertRule>> next_rules;
		for (auto& r : snap.rules)
			next_rules[r.owner_chat].push_back(std::move(r));
		auto same_rules = [&](int64_t chat) {
			auto a = chat_rules.find(chat), b = next_rules.find(chat);
			if (a == chat_rules.end() || b == next_rules.end())
				return (a == chat_rules.end()) == (b == next_rules.end());
			return a->second == b->second;
		};
		std::unordered_map<int64_t, bool> unchanged; // per chat, computed once
		std::unordered_map<uint64_t, Server> next;
		next.reserve(snap.servers.size());
		for (const auto& rec : snap.servers) {
			auto it = servers.find(rec.id);
			const bool known = it != servers.end();
			Server s = known ? std::move(it->second) : Server{};
			const bool same_owner = known && s.owner_chat == rec.owner_chat;
			adopt(s, rec);
			std::vector<std::string> tags;
			if (auto t = snap.tags.find(rec.id); t != snap.tags.end())
				tags = std::move(t->second);
			const bool same_tags = tags == s.tags;
			s.tags = std::move(tags);
			bool keep = known && same_owner && same_tags && s.owner_chat && !s.general.empty();
			if (keep) {
				auto u = unchanged.find(*s.owner_chat);
				if (u == unchanged.end())
					u = unchanged.emplace(*s.owner_chat, same_rules(*s.owner_chat)).first;
				keep = u->second;
			}
			next.emplace(rec.id, std::move(s));
			if (!keep)
				pending_rules.push_back(rec.id);
		}
		chat_rules = std::move(next_rules);
		servers = std::move(next); // a deleted server's alerts went with it (the store cascades)
		for (uint64_t id : pending_rules) {
			Server& s = servers[id];
			set_rules(s);
			drop_disabled(s);
		}
		pending_rules.clear();
		reminder_ms.clear();
		loaded_ms = now_ms;
		reload_due = false;
	}

	// An alert whose rule was turned off or deleted stops silently: "resolved" would claim a
	// recovery nobody saw.
	void drop_disabled(Server& s) {
		for (Alert& a : s.alerts) {
			const EffectiveRule* r = rule_for(s, a.kind, a.device);
			if (a.w.phase == Phase::ok || (r && r->rule.enabled))
				continue;
			bool was_firing = a.w.phase == Phase::firing;
			a.w = WindowState{};
			a.notified_ms.reset();
			a.chat.reset();
			a.reminders = 0;
			if (was_firing)
				persist(s, a, true);
		}
	}

	Server* server(uint64_t id) {
		if (auto it = servers.find(id); it != servers.end())
			return &it->second;
		// Enrolled since the last reload.
		auto rec = store.find_server(id);
		if (!rec.ok() || !*rec)
			return nullptr;
		Server& s = servers[id];
		adopt(s, **rec);
		set_rules(s);
		return &s;
	}

	// transition: the alert fired or resolved (or stopped with its rule), not a notice's bookkeeping.
	void persist(const Server& s, const Alert& a, bool transition = false) {
		pending_states.push_back(state_of(s.id, a));
		if (transition && observer)
			pending_changes.push_back(pending_states.back());
		++stats.transitions;
	}

	AlertMessage message(const Server& s, const Alert& a, const store::AlertRule& rule, NoticeState state,
	                     int64_t started_ms, int64_t at_ms) {
		AlertMessage m;
		m.server_id = s.id;
		m.server_name = s.name;
		m.kind = std::string(a.kind->name);
		m.device = a.device;
		m.state = state;
		m.severity = rule.severity;
		m.above = rule.op != "<";
		m.value = a.value;
		m.latest = a.latest;
		m.threshold = rule.threshold;
		m.clear = clear_level(rule);
		m.for_s = rule.for_s;
		m.started_ms = started_ms;
		m.at_ms = at_ms;
		m.held_s = std::max<int64_t>(0, (at_ms - started_ms) / 1000);
		m.evidence = a.evidence;
		return m;
	}

	// Where a new firing of rule goes: the rule's route, else the server's, else its owner.
	static int64_t route_of(const Server& s, const store::AlertRule& rule) {
		return rule.route_chat ? *rule.route_chat : s.alert_chat ? *s.alert_chat : *s.owner_chat;
	}

	// Where a notice of a (firing) alert goes: where its firing notice went.
	static int64_t chat_of(const Server& s, const Alert& a, const store::AlertRule& rule) {
		return a.chat ? *a.chat : route_of(s, rule);
	}

	// Queues a notice to chat unless the gate (that chat's settings) drops it; true if it went
	// into the outbox.
	bool notify(const Server& s, const Alert& a, AlertMessage m, std::string_view what, int64_t chat,
	            int64_t now_ms) {
		DeliveryVerdict v = gate ? gate(chat, m, now_ms) : DeliveryVerdict{};
		if (!v.send)
			return false;
		m.silent = v.silent;
		if (v.at_ms > now_ms)
			m.quiet_until_ms = v.at_ms;
		store::OutboxMessage out;
		out.chat_id = chat;
		out.kind = std::string(kOutboxKindAlert);
		out.payload = encode(m);
		out.dedupe_key = alert_dedupe_key(s.id, a.kind->metric, a.device, m.started_ms, what);
		out.created_ms = now_ms;
		out.next_attempt_ms = std::max(v.at_ms, now_ms + options.group_wait_ms);
		pending_messages.push_back(std::move(out));
		++stats.notices;
		return true;
	}

	void capture_evidence(const Server& s, Alert& a, const Report& r) {
		a.evidence = Evidence{};
		std::string_view kind = a.kind->name;
		if (kind == "cpu" || kind == "ram") {
			bool cpu = kind == "cpu";
			const auto& here = cpu ? r.top_cpu : r.top_memory;
			if (here) {
				a.evidence.top = top_of(*here);
				a.evidence.top_ms = r.time_ms;
			} else if (auto latest = store.latest(s.id); latest.ok() && *latest) {
				const auto& lr = **latest;
				const auto& sect = cpu ? lr.report.top_cpu : lr.report.top_memory;
				const std::optional<int64_t> taken_ms = cpu ? lr.top_cpu_ms : lr.top_memory_ms;
				// Only a list taken during the breach, or one slow pass (5 min) before it began, says
				// what caused it: hours-old processes under a new alert would mislead.
				if (sect && taken_ms && *taken_ms >= a.w.since_ms - kTopEvidenceSlackMs) {
					a.evidence.top = top_of(*sect);
					a.evidence.top_ms = taken_ms;
				}
			}
		} else if (kind == "disk" || kind == "inodes") {
			for (const Filesystem& f : r.filesystems) {
				if (f.mount != a.device)
					continue;
				if (kind == "disk") {
					a.evidence.total = f.total;
					if (f.free)
						a.evidence.bytes_left = f.free;
					else if (f.total && f.used && *f.total >= *f.used)
						a.evidence.bytes_left = *f.total - *f.used;
					// The window's percentages over its span, in bytes per second.
					const auto& w = a.w.samples;
					if (f.total && w.size() >= 2 && w.back().ts_ms > w.front().ts_ms)
						a.evidence.fill_per_s = (w.back().value - w.front().value) / 100.0 *
						                        static_cast<double>(*f.total) * 1000.0 /
						                        static_cast<double>(w.back().ts_ms - w.front().ts_ms);
				} else if (f.inodes_total && f.inodes_used && *f.inodes_total >= *f.inodes_used) {
					a.evidence.total = f.inodes_total;
					a.evidence.bytes_left = *f.inodes_total - *f.inodes_used;
				}
			}
		}
	}

	void learn_interval(Server& s, const Report& r) {
		if (r.interval_s && *r.interval_s > 0) {
			s.interval_ms = std::clamp<int64_t>(std::llround(*r.interval_s * 1000), 1000, 3'600'000);
			s.interval_learned = true;
			return;
		}
		if (s.last_sample_ms == 0 || r.time_ms <= s.last_sample_ms)
			return;
		int64_t gap = std::min<int64_t>(r.time_ms - s.last_sample_ms, 3'600'000);
		if (!s.interval_learned)
			s.interval_ms = gap;
		else if (gap <= 3 * s.interval_ms) // a longer gap is an outage, not the interval
			s.interval_ms = (3 * s.interval_ms + gap) / 4;
		s.interval_learned = true;
	}

	int64_t fresh_ms(const Server& s) const { return std::max(options.fresh_floor_ms, 3 * s.interval_ms); }

	void evaluate_report(Server& s, const Report& r, int64_t now_ms) {
		if (r.host && r.host->cpu_logical)
			s.cores = *r.host->cpu_logical;
		learn_interval(s, r);
		if (r.time_ms <= s.last_sample_ms)
			return; // older than what this server already sent: a late retry
		s.last_sample_ms = r.time_ms;
		++stats.reports;
		const bool fresh = now_ms - r.time_ms <= fresh_ms(s);
		report_values(r, s.cores, values);
		for (const KindValue& kv : values) {
			const EffectiveRule* er = rule_for(s, kv.kind, kv.device);
			if (!er || !er->rule.enabled)
				continue;
			++stats.evaluations;
			Alert& a = alert_of(s, kv.kind, kv.device);
			const int64_t firing_since = a.w.since_ms;
			Step step = evaluate(a.w, condition_of(er->rule), {r.time_ms, kv.value}, s.interval_ms);
			a.latest = kv.value;
			if (step.average)
				a.value = step.average;
			else if (a.w.phase != Phase::firing)
				a.value = kv.value;
			switch (step.transition) {
			case Transition::fired:
				a.rule_id = er->rule.id;
				a.notified_ms.reset();
				a.chat.reset();
				a.reminders = 0;
				capture_evidence(s, a, r);
				if (fresh)
					send_firing(s, a, er->rule, r.time_ms, now_ms);
				persist(s, a, true);
				break;
			case Transition::resolved:
				if (a.notified_ms)
					notify(s, a, message(s, a, er->rule, NoticeState::resolved, firing_since, r.time_ms),
					       "resolved", chat_of(s, a, er->rule), now_ms);
				recovered(s, a);
				a.notified_ms.reset();
				a.chat.reset();
				a.reminders = 0;
				persist(s, a, true);
				break;
			case Transition::none:
				// Fired during a backfill, still breaching now: the notice it could not send then.
				if (a.w.phase == Phase::firing && !a.notified_ms && fresh) {
					send_firing(s, a, er->rule, r.time_ms, now_ms);
					if (a.notified_ms)
						persist(s, a);
				}
				break;
			default:
				break;
			}
		}
	}

	void send_firing(const Server& s, Alert& a, const store::AlertRule& rule, int64_t at_ms, int64_t now_ms) {
		const int64_t chat = route_of(s, rule);
		if (notify(s, a, message(s, a, rule, NoticeState::firing, a.w.since_ms, at_ms), "firing", chat,
		           now_ms)) {
			a.notified_ms = now_ms;
			a.chat = chat;
		}
	}

	// A report arrived: an offline alert resolves ("back online" only where "offline" went out).
	void back_online(Server& s, int64_t received_ms, int64_t now_ms) {
		if (!s.last_received_ms || received_ms > *s.last_received_ms)
			s.last_received_ms = received_ms;
		for (Alert& a : s.alerts) {
			if (a.kind != &offline_kind() || a.w.phase != Phase::firing)
				continue;
			const int64_t since = a.w.since_ms;
			a.w.phase = Phase::ok;
			a.w.since_ms = received_ms;
			a.value = static_cast<double>(received_ms - since) / 60'000.0;
			if (a.notified_ms) {
				const EffectiveRule* er = rule_for(s, a.kind, "");
				store::AlertRule rule = er ? er->rule : default_rule(offline_kind());
				notify(s, a, message(s, a, rule, NoticeState::resolved, since, received_ms), "resolved",
				       chat_of(s, a, rule), now_ms);
			}
			recovered(s, a);
			a.notified_ms.reset();
			a.chat.reset();
			a.reminders = 0;
			persist(s, a, true);
		}
	}

	// Alert done of s resolved: with none left firing, "mute until it recovers" is over, in the
	// chats its alerts went to (the mute was set from one of them) and the owner's.
	void recovered(const Server& s, const Alert& done) {
		for (const Alert& a : s.alerts)
			if (a.w.phase == Phase::firing)
				return;
		for (std::optional<int64_t> chat : {s.owner_chat, s.alert_chat, done.chat}) {
			if (!chat)
				continue;
			std::pair<int64_t, uint64_t> key{*chat, s.id};
			if (std::find(pending_unmutes.begin(), pending_unmutes.end(), key) == pending_unmutes.end())
				pending_unmutes.push_back(key);
		}
	}

	bool sweep_offline(Server& s, int64_t now_ms) {
		const EffectiveRule* er = rule_for(s, &offline_kind(), "");
		if (!er || !er->rule.enabled)
			return false;
		auto offline = [&] {
			return is_offline(s.last_received_ms, s.interval_ms, er->rule.threshold, engine_start_ms, now_ms,
			                  options.offline_floor_ms);
		};
		if (!offline())
			return false;
		// After a restart no report has told the interval yet: the newest stored one does, read
		// only for a server about to count as offline (an agent every 5 minutes is not offline
		// after 3).
		if (!s.interval_learned) {
			s.interval_learned = true;
			if (auto latest = store.latest(s.id);
			    latest.ok() && *latest && (*latest)->report.interval_s && *(*latest)->report.interval_s > 0)
				learn_interval(s, (*latest)->report);
			if (!offline())
				return false;
		}
		Alert& a = alert_of(s, &offline_kind(), "");
		a.value = static_cast<double>(now_ms - *s.last_received_ms) / 60'000.0;
		if (a.w.phase == Phase::firing)
			return true;
		a.w.phase = Phase::firing;
		a.w.since_ms = *s.last_received_ms;
		a.rule_id = er->rule.id;
		a.notified_ms.reset();
		a.reminders = 0;
		a.evidence = Evidence{};
		send_firing(s, a, er->rule, now_ms, now_ms);
		persist(s, a, true);
		return true;
	}

	Result<int64_t> chat_reminder_ms(int64_t chat) {
		if (auto it = reminder_ms.find(chat); it != reminder_ms.end())
			return it->second;
		auto cs = store.chat_settings(chat);
		if (!cs.ok())
			return cs.error();
		return reminder_ms[chat] = std::max<int64_t>(cs->reminder_s, 0) * 1000;
	}

	// The wait before reminder n+1 after the last notice: the base interval doubled per reminder
	// already sent, at most reminder_cap_ms.
	int64_t reminder_gap(int64_t base_ms, int sent) const {
		int64_t gap = base_ms;
		for (int i = 0; i < sent && gap < options.reminder_cap_ms; ++i)
			gap *= 2;
		return std::min(gap, std::max(options.reminder_cap_ms, base_ms));
	}

	Result<void> remind(Server& s, bool offline, int64_t now_ms) {
		for (Alert& a : s.alerts) {
			if (a.w.phase != Phase::firing || !a.notified_ms)
				continue;
			// While the server is offline its other alerts cannot change: one reminder (offline's).
			if (offline && a.kind != &offline_kind())
				continue;
			const EffectiveRule* er = rule_for(s, a.kind, a.device);
			if (!er || !er->rule.enabled)
				continue;
			const int64_t to = chat_of(s, a, er->rule);
			int64_t base = er->rule.repeat_s * 1000;
			if (base <= 0) {
				auto chat = chat_reminder_ms(to);
				if (!chat.ok())
					return chat.error();
				base = *chat;
			}
			if (base <= 0 || now_ms < *a.notified_ms + reminder_gap(base, a.reminders))
				continue;
			AlertMessage m = message(s, a, er->rule, NoticeState::reminder, a.w.since_ms, now_ms);
			m.reminder = a.reminders + 1;
			if (notify(s, a, m, "reminder-" + std::to_string(m.reminder), to, now_ms)) {
				++a.reminders;
				a.notified_ms = now_ms;
				persist(s, a);
			}
		}
		return Ok();
	}

	// The evidence an alert fired with lives in memory only; after a restart it is read back from
	// its firing notice's payload, so reminders and "resolved" still carry it. A failed read or a
	// notice that is gone (the outbox retention) leaves none: the notice says less, nothing fails.
	Evidence fired_evidence(uint64_t server_id, const Alert& a) {
		auto row =
		    store.find_message(alert_dedupe_key(server_id, a.kind->metric, a.device, a.w.since_ms, "firing"));
		if (!row.ok() || !*row)
			return {};
		auto m = decode_alert_message((*row)->payload);
		return m.ok() ? std::move(m->evidence) : Evidence{};
	}

	Result<void> restore(Server& s) {
		auto states = store.alert_states(s.id);
		if (!states.ok())
			return states.error();
		for (const store::AlertState& st : *states) {
			const AlertKind* kind = kind_of_metric(st.metric);
			auto phase = phase_from_name(st.state);
			if (!kind || !phase || *phase != Phase::firing)
				continue;
			Alert& a = alert_of(s, kind, st.device);
			a.w.phase = Phase::firing;
			a.w.since_ms = st.since_ms;
			a.w.last_ms = st.last_ms;
			a.rule_id = st.rule_id;
			a.value = st.value;
			a.notified_ms = st.notified_ms;
			a.message_id = st.message_id;
			a.reminders = st.reminders;
			// The state has no chat column: its firing notice in the outbox says where it went
			// (one read per alert firing at start-up).
			if (a.notified_ms) {
				a.evidence = fired_evidence(s.id, a);
				auto sent =
				    store.find_message(alert_dedupe_key(s.id, st.metric, st.device, st.since_ms, "firing"));
				if (!sent.ok())
					return sent.error();
				if (*sent)
					a.chat = (*sent)->chat_id;
			}
		}
		return Ok();
	}

	Result<void> flush(int64_t now_ms) {
		if (!pending_states.empty() || !pending_messages.empty()) {
			if (auto r = store.record_alerts(pending_states, pending_messages); !r.ok())
				return r; // kept: written with the next call
			pending_states.clear();
			pending_messages.clear();
			if (!pending_changes.empty())
				observer(pending_changes);
			pending_changes.clear();
		}
		return lift_mutes(now_ms);
	}

	// Rare (a recovery of a server with nothing else firing): one read of the chat's silences.
	Result<void> lift_mutes(int64_t now_ms) {
		while (!pending_unmutes.empty()) {
			auto [chat, server_id] = pending_unmutes.back();
			auto list = store.silences(chat, now_ms);
			if (!list.ok())
				return list.error(); // kept: tried again with the next call
			for (const store::AlertSilence& x : *list)
				if (!x.until_ms && x.server_id == server_id)
					if (auto r = store.delete_silence(x.id, chat); !r.ok())
						return r.error();
			pending_unmutes.pop_back();
		}
		return Ok();
	}
};

Engine::Engine(store::Store& store, EngineOptions options, DeliveryGate gate)
    : impl_(std::make_unique<Impl>(store, options, std::move(gate))) {}

Engine::~Engine() = default;

void Engine::set_observer(AlertObserver observer) {
	std::lock_guard lock(mu_);
	impl_->observer = std::move(observer);
}

Result<void> Engine::refresh(int64_t now_ms, bool periodic) {
	{
		std::lock_guard lock(mu_);
		if (!impl_->reload_due && !(periodic && now_ms - impl_->loaded_ms >= impl_->options.rules_refresh_ms))
			return Ok();
	}
	auto snap = fetch(impl_->store);
	if (!snap.ok())
		return snap.error();
	std::lock_guard lock(mu_);
	impl_->apply(std::move(*snap), now_ms);
	return Ok();
}

Result<void> Engine::load(int64_t now_ms) {
	auto snap = fetch(impl_->store);
	if (!snap.ok())
		return snap.error();
	std::lock_guard lock(mu_);
	impl_->engine_start_ms = now_ms;
	impl_->apply(std::move(*snap), now_ms);
	for (auto& [id, s] : impl_->servers) {
		if (auto r = impl_->restore(s); !r.ok())
			return r;
		impl_->drop_disabled(s);
	}
	return impl_->flush(now_ms);
}

Result<EngineStats> Engine::on_committed(const std::vector<store::IngestBatch>& batches,
                                         const std::vector<store::IngestOutcome>& outcomes, int64_t now_ms) {
	if (auto r = refresh(now_ms, false); !r.ok())
		return r.error();
	std::lock_guard lock(mu_);
	Impl& e = *impl_;
	e.stats = {};
	for (size_t i = 0; i < batches.size() && i < outcomes.size(); ++i) {
		if (outcomes[i].key_changed || outcomes[i].accepted == 0)
			continue;
		Server* s = e.server(batches[i].server_id);
		if (!s || !s->owner_chat)
			continue;
		for (const Report& r : batches[i].batch.reports)
			e.evaluate_report(*s, r, now_ms);
		e.back_online(*s, batches[i].received_ms, now_ms);
	}
	if (auto r = e.flush(now_ms); !r.ok())
		return r.error();
	return e.stats;
}

Result<EngineStats> Engine::tick(int64_t now_ms) {
	if (auto r = refresh(now_ms, true); !r.ok())
		return r.error();
	std::lock_guard lock(mu_);
	Impl& e = *impl_;
	e.stats = {};
	for (auto& [id, s] : e.servers) {
		if (!s.owner_chat)
			continue;
		bool offline = e.sweep_offline(s, now_ms);
		if (auto r = e.remind(s, offline, now_ms); !r.ok())
			return r.error();
	}
	if (auto r = e.flush(now_ms); !r.ok())
		return r.error();
	return e.stats;
}

void Engine::rules_changed() {
	std::lock_guard lock(mu_);
	impl_->reload_due = true;
}

std::optional<store::AlertState> Engine::state(uint64_t server_id, std::string_view metric,
                                               std::string_view device) const {
	std::lock_guard lock(mu_);
	auto it = impl_->servers.find(server_id);
	if (it == impl_->servers.end())
		return std::nullopt;
	for (const Alert& a : it->second.alerts)
		if (a.kind->metric == metric && a.device == device)
			return state_of(server_id, a, true);
	return std::nullopt;
}

} // namespace serversan::alerts
