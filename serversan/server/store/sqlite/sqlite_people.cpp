// Users, roles, alert rules and state, events and the bot's outbox: small tables, plain SQL.
#include <fmt/format.h>

#include "serversan/server/store/sqlite/sqlite_store.h"

namespace serversan::store::sqlite {

namespace {

// Runs one write statement on the writer (the caller holds the writer mutex); returns the number
// of rows it changed.
template <typename Bind>
Result<int> write(Db& db, std::string_view sql, Bind&& bind) {
	auto st = db.cached(sql);
	if (!st.ok())
		return st.error();
	bind(**st);
	if (auto r = (*st)->run(); !r.ok())
		return r.error();
	return db.changes();
}

// Runs a query on db and turns each row into a T.
template <typename T, typename Bind, typename Read>
Result<std::vector<T>> query(Db& db, std::string_view sql, Bind&& bind, Read&& read) {
	auto st = db.cached(sql);
	if (!st.ok())
		return st.error();
	Stmt& s = **st;
	StmtScope scope(s);
	bind(s);
	std::vector<T> out;
	while (true) {
		auto row = s.step();
		if (!row.ok())
			return row.error();
		if (!*row)
			break;
		auto v = read(s);
		if (!v.ok())
			return v.error();
		out.push_back(std::move(*v));
	}
	return out;
}

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
    "telegram_id, username, display_name, role, language, time_zone, notify, "
    "quiet_from_min, quiet_to_min, bot_blocked, created_ms";

Result<User> read_user(Stmt& s) {
	User u;
	u.telegram_id = s.i64(0);
	u.username = s.text(1);
	u.display_name = s.text(2);
	u.role = s.text(3);
	u.language = s.text(4);
	u.time_zone = s.text(5);
	u.notify.enabled = s.i64(6) != 0;
	if (auto v = s.opt_i64(7))
		u.notify.quiet_from_min = static_cast<int>(*v);
	if (auto v = s.opt_i64(8))
		u.notify.quiet_to_min = static_cast<int>(*v);
	u.bot_blocked = s.i64(9) != 0;
	u.created_ms = s.i64(10);
	return u;
}

void bind_user_fields(Stmt& s, const User& u) {
	s.bind(1, u.telegram_id)
	    .bind(2, std::string_view(u.username))
	    .bind(3, std::string_view(u.display_name))
	    .bind(4, std::string_view(u.role))
	    .bind(5, std::string_view(u.language))
	    .bind(6, std::string_view(u.time_zone))
	    .bind(7, int64_t{u.notify.enabled ? 1 : 0})
	    .bind_opt(8, u.notify.quiet_from_min)
	    .bind_opt(9, u.notify.quiet_to_min)
	    .bind(10, int64_t{u.bot_blocked ? 1 : 0});
}

// Turns SQLite's constraint messages into what the caller did wrong.
Error user_error(const User& u, const Error& e) {
	if (e.message.find("FOREIGN KEY") != std::string::npos)
		return Err(fmt::format("unknown role \"{}\"", u.role));
	if (e.message.find("CHECK") != std::string::npos)
		return Err("quiet hours must be minutes 0..1439");
	return e;
}

Result<void> check_user(const User& u) {
	if (u.notify.quiet_from_min.has_value() != u.notify.quiet_to_min.has_value())
		return Err("quiet hours need both a start and an end");
	return Ok();
}

constexpr const char* kRuleColumns =
    "id, owner_chat, server_id, metric, device, op, threshold, clear_threshold, "
    "for_s, severity, repeat_s, enabled, created_ms";

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
	    .bind(12, r.created_ms);
}

Result<void> check_rule(const AlertRule& r) {
	const MetricInfo* m = find_metric(r.metric);
	if (!m)
		return Err(fmt::format("unknown metric \"{}\"", r.metric));
	if (!r.device.empty() && m->slot < 0)
		return Err(fmt::format("metric {} has no per-device values", r.metric));
	if (r.device.empty() && m->column < 0)
		return Err(fmt::format("metric {} needs a device", r.metric));
	if (r.op != ">" && r.op != "<")
		return Err("the comparison must be > or <");
	if (r.severity != "warning" && r.severity != "critical")
		return Err("severity must be warning or critical");
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

template <typename T, typename Bind, typename Read>
Result<std::vector<T>> SqliteStore::read_rows(std::string_view sql, Bind&& bind, Read&& read) {
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto db = readers_.acquire();
	if (!db.ok())
		return db.error();
	return query<T>(**db, sql, std::forward<Bind>(bind), std::forward<Read>(read));
}

// ---- Users and roles -----------------------------------------------------------------------

Result<bool> SqliteStore::create_user(const User& u) {
	if (auto r = check_user(u); !r.ok())
		return r.error();
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto n = write(w_,
	               fmt::format("INSERT INTO users({}) VALUES(?,?,?,?,?,?,?,?,?,?,?) "
	                           "ON CONFLICT(telegram_id) DO NOTHING",
	                           kUserColumns),
	               [&](Stmt& s) {
		               bind_user_fields(s, u);
		               s.bind(11, u.created_ms);
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
	if (auto r = check_user(u); !r.ok())
		return r.error();
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto n =
	    write(w_,
	          "UPDATE users SET username = ?2, display_name = ?3, role = ?4, language = ?5, time_zone = ?6, "
	          "notify = ?7, quiet_from_min = ?8, quiet_to_min = ?9, bot_blocked = ?10 WHERE telegram_id = ?1",
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
	    "for_s, severity, repeat_s, enabled, created_ms) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
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
	          "enabled = ?11 WHERE id = ?13",
	          [&](Stmt& s) {
		          bind_rule(s, rule);
		          s.bind(13, static_cast<int64_t>(rule.id));
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

Result<std::vector<AlertState>> SqliteStore::alert_states(uint64_t server_id) {
	return read_rows<AlertState>(
	    "SELECT rule_id, server_id, device, state, since_ms, value, notified_ms, message_id FROM alert_state "
	    "WHERE server_id = ? ORDER BY rule_id, device",
	    [&](Stmt& s) { s.bind(1, static_cast<int64_t>(server_id)); },
	    [](Stmt& s) -> Result<AlertState> {
		    AlertState a;
		    a.rule_id = static_cast<uint64_t>(s.i64(0));
		    a.server_id = static_cast<uint64_t>(s.i64(1));
		    a.device = s.text(2);
		    a.state = s.text(3);
		    a.since_ms = s.i64(4);
		    a.value = s.opt_f64(5);
		    a.notified_ms = s.opt_i64(6);
		    a.message_id = s.opt_i64(7);
		    return a;
	    });
}

Result<void> SqliteStore::put_alert_state(const AlertState& a) {
	if (a.state != "ok" && a.state != "pending" && a.state != "firing")
		return Err(fmt::format("bad alert state \"{}\"", a.state));
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto n = write(w_,
	               "INSERT OR REPLACE INTO alert_state(rule_id, server_id, device, state, since_ms, value, "
	               "notified_ms, message_id) VALUES(?,?,?,?,?,?,?,?)",
	               [&](Stmt& s) {
		               s.bind(1, static_cast<int64_t>(a.rule_id))
		                   .bind(2, static_cast<int64_t>(a.server_id))
		                   .bind(3, std::string_view(a.device))
		                   .bind(4, std::string_view(a.state))
		                   .bind(5, a.since_ms)
		                   .bind_opt(6, a.value)
		                   .bind_opt(7, a.notified_ms)
		                   .bind_opt(8, a.message_id);
	               });
	if (!n.ok()) {
		if (n.error().message.find("FOREIGN KEY") != std::string::npos)
			return Err("no such rule or server");
		return n.error();
	}
	return Ok();
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
	return read_rows<Event>(
	    fmt::format("SELECT {} FROM events WHERE id > ?1 AND (?2 IS NULL OR server_id = ?2) "
	                "AND (?3 IS NULL OR owner_chat = ?3) ORDER BY id LIMIT ?4",
	                kEventColumns),
	    [&](Stmt& s) {
		    s.bind(1, static_cast<int64_t>(q.after_id))
		        .bind_opt(2, q.server_id)
		        .bind_opt(3, q.owner_chat)
		        .bind(4, static_cast<int64_t>(q.limit));
	    },
	    read_event);
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
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	Tx tx(w_);
	if (auto r = tx.begin(); !r.ok())
		return r.error();
	if (!m.dedupe_key.empty()) {
		auto st = w_.cached("SELECT id FROM outbox WHERE dedupe_key = ? AND state = 'queued'");
		if (!st.ok())
			return st.error();
		StmtScope scope(**st);
		(*st)->bind(1, std::string_view(m.dedupe_key));
		auto row = (*st)->step();
		if (!row.ok())
			return row.error();
		if (*row)
			return static_cast<uint64_t>((*st)->i64(0));
	}
	auto n =
	    write(w_,
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
	auto id = static_cast<uint64_t>(w_.last_insert_rowid());
	if (auto r = tx.commit(); !r.ok())
		return r.error();
	return id;
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

} // namespace serversan::store::sqlite
