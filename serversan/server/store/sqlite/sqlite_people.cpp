// Users, roles, alert rules and state, chat settings and silences, events and the bot's outbox:
// small tables, plain SQL.
#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "serversan/server/store/sqlite/sqlite_rows.h"

namespace serversan::store::sqlite {

namespace {

std::vector<std::string> split_words(std::string_view s) {
	std::vector<std::string> out;
	size_t i = 0;
	while (i < s.size()) {
		while (i < s.size() && s[i] == ' ')
			++i;
		size_t j = i;
		while (j < s.size() && s[j] != ' ')
			++j;
		if (j > i)
			out.emplace_back(s.substr(i, j - i));
		i = j;
	}
	return out;
}

constexpr const char* kUserColumns =
    "telegram_id, username, display_name, role, language, time_zone, bot_blocked, created_ms";

Result<User> read_user(Stmt& s) {
	User u;
	u.telegram_id = s.i64(0);
	u.username = s.text(1);
	u.display_name = s.text(2);
	u.role = s.text(3);
	u.language = s.text(4);
	u.time_zone = s.text(5);
	u.bot_blocked = s.i64(6) != 0;
	u.created_ms = s.i64(7);
	return u;
}

void bind_user_fields(Stmt& s, const User& u) {
	s.bind(1, u.telegram_id)
	    .bind(2, std::string_view(u.username))
	    .bind(3, std::string_view(u.display_name))
	    .bind(4, std::string_view(u.role))
	    .bind(5, std::string_view(u.language))
	    .bind(6, std::string_view(u.time_zone))
	    .bind(7, int64_t{u.bot_blocked ? 1 : 0});
}

// Turns SQLite's constraint messages into what the caller did wrong.
Error user_error(const User& u, const Error& e) {
	if (e.message.find("FOREIGN KEY") != std::string::npos)
		return Err(fmt::format("unknown role \"{}\"", u.role));
	return e;
}

constexpr const char* kRuleColumns =
    "id, owner_chat, server_id, metric, device, op, threshold, clear_threshold, "
    "for_s, severity, repeat_s, enabled, created_ms, tag, route_chat";

Result<AlertRule> read_rule(Stmt& s) {
	AlertRule r;
	r.id = static_cast<uint64_t>(s.i64(0));
	r.owner_chat = s.i64(1);
	if (auto v = s.opt_i64(2))
		r.server_id = static_cast<uint64_t>(*v);
	r.metric = s.text(3);
	r.device = s.text(4);
	r.op = s.text(5);
	r.threshold = s.f64(6);
	r.clear_threshold = s.opt_f64(7);
	r.for_s = s.i64(8);
	r.severity = s.text(9);
	r.repeat_s = s.i64(10);
	r.enabled = s.i64(11) != 0;
	r.created_ms = s.i64(12);
	r.tag = s.text(13);
	r.route_chat = s.opt_i64(14);
	return r;
}

void bind_rule(Stmt& s, const AlertRule& r) {
	s.bind(1, r.owner_chat)
	    .bind_opt(2, r.server_id)
	    .bind(3, std::string_view(r.metric))
	    .bind(4, std::string_view(r.device))
	    .bind(5, std::string_view(r.op))
	    .bind(6, r.threshold)
	    .bind_opt(7, r.clear_threshold)
	    .bind(8, r.for_s)
	    .bind(9, std::string_view(r.severity))
	    .bind(10, r.repeat_s)
	    .bind(11, int64_t{r.enabled ? 1 : 0})
	    .bind(12, r.created_ms)
	    .bind(13, std::string_view(r.tag))
	    .bind_opt(14, r.route_chat);
}

Result<void> check_rule(const AlertRule& r) {
	// The alert engine's two pseudo metrics (alerts/rule_catalog.h) are server-wide.
	bool pseudo = r.metric == "offline" || r.metric == "load.per_core";
	const MetricInfo* m = find_metric(r.metric);
	if (!m && !pseudo)
		return Err(fmt::format("unknown metric \"{}\"", r.metric));
	// A per-device metric's rule without a device applies to each device separately.
	if (!r.device.empty() && (pseudo || m->slot < 0))
		return Err(fmt::format("metric {} has no per-device values", r.metric));
	if (!std::isfinite(r.threshold) || (r.clear_threshold && !std::isfinite(*r.clear_threshold)))
		return Err("the threshold must be a finite number");
	if (r.for_s < 0 || r.repeat_s < 0)
		return Err("durations must not be negative");
	if (r.op != ">" && r.op != "<")
		return Err("the comparison must be > or <");
	if (r.severity != "warning" && r.severity != "critical")
		return Err("severity must be warning or critical");
	if (!r.tag.empty() && (r.server_id || !valid_server_tag(r.tag)))
		return Err(r.server_id ? "a rule targets a server or a tag, not both" : "invalid tag");
	return Ok();
}

Error rule_error(const Error& e) {
	if (e.message.find("FOREIGN KEY") != std::string::npos)
		return Err("no such server");
	return e;
}

constexpr const char* kEventColumns =
    "id, ts_ms, kind, server_id, owner_chat, server_name, detail, handled_ms";

Result<Event> read_event(Stmt& s) {
	Event e;
	e.id = static_cast<uint64_t>(s.i64(0));
	e.ts_ms = s.i64(1);
	e.kind = s.text(2);
	if (auto v = s.opt_i64(3))
		e.server_id = static_cast<uint64_t>(*v);
	e.owner_chat = s.opt_i64(4);
	e.server_name = s.text(5);
	e.detail = s.text(6);
	e.handled_ms = s.opt_i64(7);
	return e;
}

constexpr const char* kOutboxColumns = "id, chat_id, kind, payload, coalesce(dedupe_key, ''), created_ms, "
                                       "next_attempt_ms, attempts, last_error, state, done_ms, "
                                       "telegram_message_id";

Result<OutboxMessage> read_message(Stmt& s) {
	OutboxMessage m;
	m.id = static_cast<uint64_t>(s.i64(0));
	m.chat_id = s.i64(1);
	m.kind = s.text(2);
	m.payload = s.text(3);
	m.dedupe_key = s.text(4);
	m.created_ms = s.i64(5);
	m.next_attempt_ms = s.i64(6);
	m.attempts = static_cast<int>(s.i64(7));
	m.last_error = s.text(8);
	m.state = s.text(9);
	m.done_ms = s.opt_i64(10);
	m.telegram_message_id = s.opt_i64(11);
	return m;
}

} // namespace

// ---- Users and roles -----------------------------------------------------------------------

Result<bool> SqliteStore::create_user(const User& u) {
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto n = write(w_,
	               fmt::format("INSERT INTO users({}) VALUES(?,?,?,?,?,?,?,?) "
	                           "ON CONFLICT(telegram_id) DO NOTHING",
	                           kUserColumns),
	               [&](Stmt& s) {
		               bind_user_fields(s, u);
		               s.bind(8, u.created_ms);
	               });
	if (!n.ok())
		return user_error(u, n.error());
	return *n > 0;
}

Result<std::optional<User>> SqliteStore::find_user(int64_t telegram_id) {
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto db = readers_.acquire();
	if (!db.ok())
		return db.error();
	auto rows = query<User>(
	    **db, fmt::format("SELECT {} FROM users WHERE telegram_id = ?", kUserColumns),
	    [&](Stmt& s) { s.bind(1, telegram_id); }, read_user);
	if (!rows.ok())
		return rows.error();
	if (rows->empty())
		return std::optional<User>{};
	return std::optional<User>{std::move(rows->front())};
}

Result<std::vector<User>> SqliteStore::list_users() {
	return read_rows<User>(
	    fmt::format("SELECT {} FROM users ORDER BY telegram_id", kUserColumns), [](Stmt&) {}, read_user);
}

Result<bool> SqliteStore::update_user(const User& u) {
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto n =
	    write(w_,
	          "UPDATE users SET username = ?2, display_name = ?3, role = ?4, language = ?5, time_zone = ?6, "
	          "bot_blocked = ?7 WHERE telegram_id = ?1",
	          [&](Stmt& s) { bind_user_fields(s, u); });
	if (!n.ok())
		return user_error(u, n.error());
	return *n > 0;
}

Result<bool> SqliteStore::set_user_role(int64_t telegram_id, const std::string& role) {
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto n = write(w_, "UPDATE users SET role = ? WHERE telegram_id = ?",
	               [&](Stmt& s) { s.bind(1, std::string_view(role)).bind(2, telegram_id); });
	if (!n.ok()) {
		User u;
		u.role = role;
		return user_error(u, n.error());
	}
	return *n > 0;
}

Result<std::vector<Role>> SqliteStore::list_roles() {
	return read_rows<Role>(
	    "SELECT name, permissions FROM roles ORDER BY name", [](Stmt&) {},
	    [](Stmt& s) -> Result<Role> {
		    return Role{s.text(0), split_words(s.text(1))};
	    });
}

Result<void> SqliteStore::put_role(const Role& role) {
	if (role.name.empty())
		return Err("a role needs a name");
	std::string perms;
	for (const std::string& p : role.permissions) {
		if (p.empty() || p.find(' ') != std::string::npos)
			return Err(fmt::format("bad permission \"{}\"", p));
		perms += (perms.empty() ? "" : " ") + p;
	}
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto n = write(w_,
	               "INSERT INTO roles(name, permissions) VALUES(?, ?) "
	               "ON CONFLICT(name) DO UPDATE SET permissions = excluded.permissions",
	               [&](Stmt& s) { s.bind(1, std::string_view(role.name)).bind(2, std::string_view(perms)); });
	if (!n.ok())
		return n.error();
	return Ok();
}

// ---- Alerts --------------------------------------------------------------------------------

Result<uint64_t> SqliteStore::create_alert_rule(const AlertRule& rule) {
	if (auto r = check_rule(rule); !r.ok())
		return r.error();
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto n = write(
	    w_,
	    "INSERT INTO alert_rules(owner_chat, server_id, metric, device, op, threshold, clear_threshold, "
	    "for_s, severity, repeat_s, enabled, created_ms, tag, route_chat) "
	    "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	    [&](Stmt& s) { bind_rule(s, rule); });
	if (!n.ok())
		return rule_error(n.error());
	return static_cast<uint64_t>(w_.last_insert_rowid());
}

Result<bool> SqliteStore::update_alert_rule(const AlertRule& rule) {
	if (auto r = check_rule(rule); !r.ok())
		return r.error();
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto n =
	    write(w_,
	          "UPDATE alert_rules SET owner_chat = ?1, server_id = ?2, metric = ?3, device = ?4, op = ?5, "
	          "threshold = ?6, clear_threshold = ?7, for_s = ?8, severity = ?9, repeat_s = ?10, "
	          "enabled = ?11, tag = ?13, route_chat = ?14 WHERE id = ?15",
	          [&](Stmt& s) {
		          bind_rule(s, rule);
		          s.bind(15, static_cast<int64_t>(rule.id));
	          });
	if (!n.ok())
		return rule_error(n.error());
	return *n > 0;
}

Result<bool> SqliteStore::delete_alert_rule(uint64_t id) {
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto n = write(w_, "DELETE FROM alert_rules WHERE id = ?",
	               [&](Stmt& s) { s.bind(1, static_cast<int64_t>(id)); });
	if (!n.ok())
		return n.error();
	return *n > 0;
}

Result<std::vector<AlertRule>> SqliteStore::list_alert_rules(std::optional<int64_t> owner_chat) {
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto db = readers_.acquire();
	if (!db.ok())
		return db.error();
	if (owner_chat)
		return query<AlertRule>(
		    **db, fmt::format("SELECT {} FROM alert_rules WHERE owner_chat = ? ORDER BY id", kRuleColumns),
		    [&](Stmt& s) { s.bind(1, *owner_chat); }, read_rule);
	return query<AlertRule>(
	    **db, fmt::format("SELECT {} FROM alert_rules ORDER BY id", kRuleColumns), [](Stmt&) {}, read_rule);
}

namespace {

constexpr std::string_view kAlertStatesSql =
    "SELECT rule_id, server_id, device, state, since_ms, value, notified_ms, message_id, metric, reminders, "
    "last_ms FROM alert_state WHERE server_id = ?1 ORDER BY metric, device";

Result<AlertState> read_alert_state(Stmt& s) {
	AlertState a;
	a.rule_id = static_cast<uint64_t>(s.i64(0));
	a.server_id = static_cast<uint64_t>(s.i64(1));
	a.device = s.text(2);
	a.state = s.text(3);
	a.since_ms = s.i64(4);
	a.value = s.opt_f64(5);
	a.notified_ms = s.opt_i64(6);
	a.message_id = s.opt_i64(7);
	a.metric = s.text(8);
	a.reminders = static_cast<int>(s.i64(9));
	a.last_ms = s.i64(10);
	return a;
}

} // namespace

Result<std::vector<AlertState>> SqliteStore::alert_states(uint64_t server_id) {
	return read_rows<AlertState>(
	    kAlertStatesSql, [&](Stmt& s) { s.bind(1, static_cast<int64_t>(server_id)); }, read_alert_state);
}

Result<std::vector<AlertState>> SqliteStore::alert_states_of(std::span<const uint64_t> server_ids) {
	return read_rows_of<AlertState>(kAlertStatesSql, server_ids, read_alert_state);
}

namespace {

// One alert_state row (the caller holds the writer mutex).
Result<void> write_alert_state(Db& db, const AlertState& a) {
	if (a.state != "ok" && a.state != "pending" && a.state != "firing")
		return Err(fmt::format("bad alert state \"{}\"", a.state));
	auto n = write(
	    db,
	    "INSERT OR REPLACE INTO alert_state(server_id, metric, device, rule_id, state, since_ms, value, "
	    "notified_ms, message_id, reminders, last_ms) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
	    [&](Stmt& s) {
		    s.bind(1, static_cast<int64_t>(a.server_id))
		        .bind(2, std::string_view(a.metric))
		        .bind(3, std::string_view(a.device))
		        .bind(4, static_cast<int64_t>(a.rule_id))
		        .bind(5, std::string_view(a.state))
		        .bind(6, a.since_ms)
		        .bind_opt(7, a.value)
		        .bind_opt(8, a.notified_ms)
		        .bind_opt(9, a.message_id)
		        .bind(10, int64_t{a.reminders})
		        .bind(11, a.last_ms);
	    });
	if (!n.ok()) {
		if (n.error().message.find("FOREIGN KEY") != std::string::npos)
			return Err("no such server");
		return n.error();
	}
	return Ok();
}

// The outbox message with this dedupe key (queued only, or in any state); none for an empty key.
Result<std::optional<uint64_t>> find_dedupe(Db& db, std::string_view key, bool queued_only) {
	if (key.empty())
		return std::optional<uint64_t>{};
	auto st = db.cached(queued_only ? "SELECT id FROM outbox WHERE dedupe_key = ? AND state = 'queued'"
	                                : "SELECT id FROM outbox WHERE dedupe_key = ?");
	if (!st.ok())
		return st.error();
	StmtScope scope(**st);
	(*st)->bind(1, key);
	auto row = (*st)->step();
	if (!row.ok())
		return row.error();
	if (!*row)
		return std::optional<uint64_t>{};
	return std::optional<uint64_t>(static_cast<uint64_t>((*st)->i64(0)));
}

Result<void> insert_outbox(Db& db, const OutboxMessage& m) {
	auto n =
	    write(db,
	          "INSERT INTO outbox(chat_id, kind, payload, dedupe_key, created_ms, next_attempt_ms) "
	          "VALUES(?,?,?,?,?,?)",
	          [&](Stmt& s) {
		          s.bind(1, m.chat_id).bind(2, std::string_view(m.kind)).bind(3, std::string_view(m.payload));
		          if (m.dedupe_key.empty())
			          s.bind_null(4);
		          else
			          s.bind(4, std::string_view(m.dedupe_key));
		          s.bind(5, m.created_ms).bind(6, std::max(m.next_attempt_ms, m.created_ms));
	          });
	if (!n.ok())
		return n.error();
	return Ok();
}

} // namespace

Result<void> SqliteStore::put_alert_state(const AlertState& a) {
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	return write_alert_state(w_, a);
}

Result<void> SqliteStore::record_alerts(const std::vector<AlertState>& states,
                                        const std::vector<OutboxMessage>& messages) {
	for (const auto& m : messages)
		if (m.payload.empty())
			return Err("an outbox message needs a payload");
	return in_write_tx([&]() -> Result<void> {
		for (const auto& a : states) {
			auto r = write_alert_state(w_, a);
			// A server deleted since the engine decided: its alerts went with it.
			if (!r.ok() && r.error().message != "no such server")
				return r.error();
		}
		for (const auto& m : messages) {
			auto dup = find_dedupe(w_, m.dedupe_key, false);
			if (!dup.ok())
				return dup.error();
			if (*dup)
				continue;
			if (auto r = insert_outbox(w_, m); !r.ok())
				return r;
		}
		return Ok();
	});
}

// ---- Events --------------------------------------------------------------------------------

Result<uint64_t> SqliteStore::add_event(const Event& e) {
	if (e.kind.empty())
		return Err("an event needs a kind");
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto n = write(w_,
	               "INSERT INTO events(ts_ms, kind, server_id, owner_chat, server_name, detail, handled_ms) "
	               "VALUES(?,?,?,?,?,?,?)",
	               [&](Stmt& s) {
		               s.bind(1, e.ts_ms)
		                   .bind(2, std::string_view(e.kind))
		                   .bind_opt(3, e.server_id)
		                   .bind_opt(4, e.owner_chat)
		                   .bind(5, std::string_view(e.server_name))
		                   .bind(6, std::string_view(e.detail))
		                   .bind_opt(7, e.handled_ms);
	               });
	if (!n.ok())
		return n.error();
	return static_cast<uint64_t>(w_.last_insert_rowid());
}

Result<std::vector<Event>> SqliteStore::list_events(const EventQuery& q) {
	static constexpr std::string_view kWhere =
	    "(?2 IS NULL OR server_id = ?2) AND "
	    "(?3 IS NULL OR owner_chat = ?3 OR owner_chat IN (SELECT value FROM json_each(?6))) "
	    "AND (?5 = 0 OR owner_chat IS NULL)";
	const std::string also = fmt::format("[{}]", fmt::join(q.also_chats, ","));
	auto bind = [&](Stmt& s) {
		s.bind(1, q.newest_first ? q.before_ms.value_or(std::numeric_limits<int64_t>::max())
		                         : static_cast<int64_t>(q.after_id))
		    .bind_opt(2, q.server_id)
		    .bind_opt(3, q.owner_chat)
		    .bind(4, static_cast<int64_t>(q.limit))
		    .bind(5, int64_t{q.unowned})
		    .bind(6, std::string_view(also));
	};
	if (!q.newest_first)
		return read_rows<Event>(fmt::format("SELECT {} FROM events WHERE id > ?1 AND {} ORDER BY id LIMIT ?4",
		                                    kEventColumns, kWhere),
		                        bind, read_event);
	if (q.limit == 0)
		return std::vector<Event>{};
	// The page reaches down to the ts_ms of its limit-th event, whole: no millisecond is split.
	return read_rows<Event>(fmt::format("SELECT {0} FROM events WHERE ts_ms < ?1 AND {1} AND ts_ms >= "
	                                    "COALESCE((SELECT ts_ms FROM events WHERE ts_ms < ?1 AND {1} "
	                                    "ORDER BY ts_ms DESC LIMIT 1 OFFSET ?4 - 1), 0) "
	                                    "ORDER BY ts_ms DESC, id DESC",
	                                    kEventColumns, kWhere),
	                        bind, read_event);
}

Result<std::vector<Event>> SqliteStore::unhandled_events(size_t limit) {
	return read_rows<Event>(
	    fmt::format("SELECT {} FROM events WHERE handled_ms IS NULL ORDER BY id LIMIT ?", kEventColumns),
	    [&](Stmt& s) { s.bind(1, static_cast<int64_t>(limit)); }, read_event);
}

Result<bool> SqliteStore::mark_event_handled(uint64_t id, int64_t now_ms) {
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto n = write(w_, "UPDATE events SET handled_ms = ? WHERE id = ? AND handled_ms IS NULL",
	               [&](Stmt& s) { s.bind(1, now_ms).bind(2, static_cast<int64_t>(id)); });
	if (!n.ok())
		return n.error();
	return *n > 0;
}

// ---- Outbox --------------------------------------------------------------------------------

Result<uint64_t> SqliteStore::enqueue_message(const OutboxMessage& m) {
	if (m.payload.empty())
		return Err("an outbox message needs a payload");
	return in_write_tx([&]() -> Result<uint64_t> {
		auto dup = find_dedupe(w_, m.dedupe_key, true);
		if (!dup.ok())
			return dup.error();
		if (*dup)
			return **dup;
		if (auto r = insert_outbox(w_, m); !r.ok())
			return r.error();
		auto id = static_cast<uint64_t>(w_.last_insert_rowid());
		if (m.handled_event) {
			auto h = write(
			    w_, "UPDATE events SET handled_ms = ? WHERE id = ? AND handled_ms IS NULL",
			    [&](Stmt& s) { s.bind(1, m.created_ms).bind(2, static_cast<int64_t>(*m.handled_event)); });
			if (!h.ok())
				return h.error();
		}
		return id;
	});
}

Result<std::vector<OutboxMessage>> SqliteStore::due_messages(int64_t now_ms, size_t limit) {
	return read_rows<OutboxMessage>(
	    fmt::format("SELECT {} FROM outbox WHERE state = 'queued' AND next_attempt_ms <= ? "
	                "ORDER BY next_attempt_ms, id LIMIT ?",
	                kOutboxColumns),
	    [&](Stmt& s) { s.bind(1, now_ms).bind(2, static_cast<int64_t>(limit)); }, read_message);
}

Result<bool> SqliteStore::mark_sent(uint64_t id, int64_t now_ms, std::optional<int64_t> telegram_message_id) {
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto n = write(
	    w_,
	    "UPDATE outbox SET state = 'sent', done_ms = ?, telegram_message_id = ?, attempts = attempts + 1 "
	    "WHERE id = ? AND state = 'queued'",
	    [&](Stmt& s) {
		    s.bind(1, now_ms).bind_opt(2, telegram_message_id).bind(3, static_cast<int64_t>(id));
	    });
	if (!n.ok())
		return n.error();
	return *n > 0;
}

Result<bool> SqliteStore::mark_retry(uint64_t id, int64_t next_attempt_ms, const std::string& error) {
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto n = write(
	    w_,
	    "UPDATE outbox SET next_attempt_ms = ?, last_error = ?, attempts = attempts + 1 "
	    "WHERE id = ? AND state = 'queued'",
	    [&](Stmt& s) {
		    s.bind(1, next_attempt_ms).bind(2, std::string_view(error)).bind(3, static_cast<int64_t>(id));
	    });
	if (!n.ok())
		return n.error();
	return *n > 0;
}

Result<bool> SqliteStore::mark_dead(uint64_t id, int64_t now_ms, const std::string& error) {
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto n = write(w_,
	               "UPDATE outbox SET state = 'dead', done_ms = ?, last_error = ?, attempts = attempts + 1 "
	               "WHERE id = ? AND state = 'queued'",
	               [&](Stmt& s) {
		               s.bind(1, now_ms).bind(2, std::string_view(error)).bind(3, static_cast<int64_t>(id));
	               });
	if (!n.ok())
		return n.error();
	return *n > 0;
}

Result<uint64_t> SqliteStore::outbox_depth() {
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto db = readers_.acquire();
	if (!db.ok())
		return db.error();
	auto n = (*db)->scalar("SELECT count(*) FROM outbox WHERE state = 'queued'");
	if (!n.ok())
		return n.error();
	return static_cast<uint64_t>(*n);
}

Result<std::optional<int64_t>> SqliteStore::oldest_queued_ms() {
	// Walks the partial index of queued rows (outbox_due), as many as the queue is deep.
	auto rows = read_rows<std::optional<int64_t>>(
	    "SELECT min(created_ms) FROM outbox WHERE state = 'queued'", [](Stmt&) {},
	    [](Stmt& s) -> Result<std::optional<int64_t>> { return s.opt_i64(0); });
	if (!rows.ok())
		return rows.error();
	return rows->empty() ? std::nullopt : rows->front();
}

Result<std::optional<OutboxMessage>> SqliteStore::find_message(const std::string& dedupe_key) {
	auto rows = read_rows<OutboxMessage>(
	    fmt::format("SELECT {} FROM outbox WHERE dedupe_key = ? ORDER BY id DESC LIMIT 1", kOutboxColumns),
	    [&](Stmt& s) { s.bind(1, std::string_view(dedupe_key)); }, read_message);
	if (!rows.ok())
		return rows.error();
	if (rows->empty())
		return std::optional<OutboxMessage>{};
	return std::optional<OutboxMessage>{std::move(rows->front())};
}

Result<std::vector<OutboxMessage>> SqliteStore::messages_with_key_prefix(const std::string& key_prefix,
                                                                         int64_t created_from_ms) {
	if (key_prefix.empty())
		return Err("messages_with_key_prefix: an empty prefix would read the whole outbox");
	// Every key under the prefix sorts below prefix + 0xFF: no byte of UTF-8 text is 0xFF.
	std::string upper = key_prefix + "\xff";
	return read_rows<OutboxMessage>(
	    fmt::format("SELECT {} FROM outbox WHERE dedupe_key >= ? AND dedupe_key < ? AND created_ms >= ? "
	                "ORDER BY created_ms, id",
	                kOutboxColumns),
	    [&](Stmt& s) {
		    s.bind(1, std::string_view(key_prefix));
		    s.bind(2, std::string_view(upper));
		    s.bind(3, created_from_ms);
	    },
	    read_message);
}

// ---- The bot's state ------------------------------------------------------------------------

Result<std::optional<std::string>> SqliteStore::bot_state(const std::string& key) {
	auto rows = read_rows<std::string>(
	    "SELECT value FROM bot_state WHERE key = ?", [&](Stmt& s) { s.bind(1, std::string_view(key)); },
	    [](Stmt& s) -> Result<std::string> { return s.text(0); });
	if (!rows.ok())
		return rows.error();
	if (rows->empty())
		return std::optional<std::string>{};
	return std::optional<std::string>{std::move(rows->front())};
}

Result<void> SqliteStore::set_bot_state(const std::string& key, const std::string& value) {
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto n = write(w_,
	               "INSERT INTO bot_state(key, value) VALUES(?, ?) "
	               "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	               [&](Stmt& s) { s.bind(1, std::string_view(key)).bind(2, std::string_view(value)); });
	if (!n.ok())
		return n.error();
	return Ok();
}

// ---- Chat settings and silences -------------------------------------------------------------

namespace {

std::string join_kinds(std::vector<std::string> kinds) {
	std::sort(kinds.begin(), kinds.end());
	kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
	std::string out;
	for (const auto& k : kinds)
		out += (out.empty() ? "" : " ") + k;
	return out;
}

Result<void> check_chat_settings(const ChatSettings& c) {
	if (c.quiet_from_min.has_value() != c.quiet_to_min.has_value())
		return Err("quiet hours need both a start and an end");
	for (auto v : {c.quiet_from_min, c.quiet_to_min})
		if (v && (*v < 0 || *v > 1439))
			return Err("quiet hours must be minutes 0..1439");
	if (c.digest_hour && (*c.digest_hour < 0 || *c.digest_hour > 23))
		return Err("the digest hour must be 0..23");
	if (c.reminder_s < 0)
		return Err("the reminder interval must not be negative");
	if (c.language.size() > 16 || c.language.find(' ') != std::string::npos)
		return Err(fmt::format("bad language tag \"{}\"", c.language));
	for (const auto& k : c.muted_kinds)
		if (k.empty() || k.find(' ') != std::string::npos)
			return Err(fmt::format("bad alert kind \"{}\"", k));
	return Ok();
}

constexpr const char* kSilenceColumns = "id, chat_id, server_id, kind, until_ms, created_ms, created_by";

Result<AlertSilence> read_silence(Stmt& s) {
	AlertSilence a;
	a.id = static_cast<uint64_t>(s.i64(0));
	a.chat_id = s.i64(1);
	if (auto v = s.opt_i64(2))
		a.server_id = static_cast<uint64_t>(*v);
	a.kind = s.text(3);
	a.until_ms = s.opt_i64(4);
	a.created_ms = s.i64(5);
	a.created_by = s.i64(6);
	return a;
}

} // namespace

Result<ChatSettings> SqliteStore::chat_settings(int64_t chat_id) {
	auto rows = read_rows<ChatSettings>(
	    "SELECT chat_id, notify, muted_kinds, quiet_from_min, quiet_to_min, quiet_lets_critical, "
	    "silent_warnings, reminder_s, digest_hour, time_zone, updated_ms, language FROM chat_settings WHERE "
	    "chat_id = "
	    "?",
	    [&](Stmt& s) { s.bind(1, chat_id); },
	    [](Stmt& s) -> Result<ChatSettings> {
		    ChatSettings c;
		    c.chat_id = s.i64(0);
		    c.notify = s.i64(1) != 0;
		    c.muted_kinds = split_words(s.text(2));
		    if (auto v = s.opt_i64(3))
			    c.quiet_from_min = static_cast<int>(*v);
		    if (auto v = s.opt_i64(4))
			    c.quiet_to_min = static_cast<int>(*v);
		    c.quiet_lets_critical = s.i64(5) != 0;
		    c.silent_warnings = s.i64(6) != 0;
		    c.reminder_s = s.i64(7);
		    if (auto v = s.opt_i64(8))
			    c.digest_hour = static_cast<int>(*v);
		    c.time_zone = s.text(9);
		    c.updated_ms = s.i64(10);
		    c.language = s.text(11);
		    return c;
	    });
	if (!rows.ok())
		return rows.error();
	if (rows->empty()) {
		ChatSettings defaults;
		defaults.chat_id = chat_id;
		return defaults;
	}
	return std::move(rows->front());
}

Result<void> SqliteStore::put_chat_settings(const ChatSettings& c) {
	if (auto r = check_chat_settings(c); !r.ok())
		return r.error();
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	std::string kinds = join_kinds(c.muted_kinds);
	auto n = write(w_,
	               "INSERT OR REPLACE INTO chat_settings(chat_id, notify, muted_kinds, quiet_from_min, "
	               "quiet_to_min, quiet_lets_critical, silent_warnings, reminder_s, digest_hour, time_zone, "
	               "updated_ms, language) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
	               [&](Stmt& s) {
		               s.bind(1, c.chat_id)
		                   .bind(2, int64_t{c.notify ? 1 : 0})
		                   .bind(3, std::string_view(kinds))
		                   .bind_opt(4, c.quiet_from_min)
		                   .bind_opt(5, c.quiet_to_min)
		                   .bind(6, int64_t{c.quiet_lets_critical ? 1 : 0})
		                   .bind(7, int64_t{c.silent_warnings ? 1 : 0})
		                   .bind(8, c.reminder_s)
		                   .bind_opt(9, c.digest_hour)
		                   .bind(10, std::string_view(c.time_zone))
		                   .bind(11, c.updated_ms)
		                   .bind(12, std::string_view(c.language));
	               });
	if (!n.ok())
		return n.error();
	return Ok();
}

Result<uint64_t> SqliteStore::add_silence(const AlertSilence& a) {
	if (a.kind.find(' ') != std::string::npos)
		return Err(fmt::format("bad alert kind \"{}\"", a.kind));
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto n = write(w_,
	               "INSERT INTO alert_silences(chat_id, server_id, kind, until_ms, created_ms, created_by) "
	               "VALUES(?,?,?,?,?,?)",
	               [&](Stmt& s) {
		               s.bind(1, a.chat_id)
		                   .bind_opt(2, a.server_id)
		                   .bind(3, std::string_view(a.kind))
		                   .bind_opt(4, a.until_ms)
		                   .bind(5, a.created_ms)
		                   .bind(6, a.created_by);
	               });
	if (!n.ok())
		return n.error();
	return static_cast<uint64_t>(w_.last_insert_rowid());
}

Result<std::vector<AlertSilence>> SqliteStore::silences(int64_t chat_id, int64_t now_ms) {
	return read_rows<AlertSilence>(
	    fmt::format("SELECT {} FROM alert_silences WHERE chat_id = ? AND (until_ms IS NULL OR until_ms > ?) "
	                "ORDER BY id",
	                kSilenceColumns),
	    [&](Stmt& s) { s.bind(1, chat_id).bind(2, now_ms); }, read_silence);
}

Result<bool> SqliteStore::delete_silence(uint64_t id, int64_t chat_id) {
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto n = write(w_, "DELETE FROM alert_silences WHERE id = ? AND chat_id = ?",
	               [&](Stmt& s) { s.bind(1, static_cast<int64_t>(id)).bind(2, chat_id); });
	if (!n.ok())
		return n.error();
	return *n > 0;
}

} // namespace serversan::store::sqlite
