// The SQLite schema, as numbered migrations. Never edit a shipped migration: add a new one. The
// text is literal on purpose (not generated from metrics.h), so that changing the C++ catalog can
// never change what an old migration did; a test checks the catalog against the tables.
#include "serversan/server/store/sqlite/sqlite_schema.h"

#include <fmt/format.h>

#include "serversan/core/log.h"
#include "serversan/server/store/device_blob.h"
#include "serversan/server/store/metrics.h"
#include "serversan/server/store/stored_report.h"

namespace serversan::store::sqlite {

namespace {

// 1: servers, agent streams (sequence windows) and the time series. (Shipped: frozen.)
constexpr const char* kV1 = R"sql(
CREATE TABLE servers (
	id INTEGER PRIMARY KEY,
	owner_chat INTEGER,
	name TEXT NOT NULL,
	signing_key BLOB NOT NULL,
	created_ms INTEGER NOT NULL,
	last_seen_ms INTEGER,
	agent_version TEXT NOT NULL DEFAULT '',
	host_json TEXT
) STRICT;
CREATE TABLE streams (
	server_id INTEGER NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
	stream TEXT NOT NULL,
	high_seq INTEGER NOT NULL,
	window_bits INTEGER NOT NULL,
	PRIMARY KEY (server_id, stream)
) STRICT, WITHOUT ROWID;
CREATE TABLE samples (
	server_id INTEGER NOT NULL,
	ts_ms INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	cpu_busy REAL,
	load1 REAL,
	mem_total INTEGER,
	mem_used INTEGER,
	swap_used INTEGER,
	disk_total INTEGER,
	disk_used INTEGER,
	net_rx REAL,
	net_tx REAL,
	detail TEXT
) STRICT;
CREATE INDEX samples_server_ts ON samples(server_id, ts_ms);
)sql";

// 2, first part: new servers and samples tables filled from the old ones (the hook then seals
// the signing keys and converts each sample's JSON detail), and everything new.
constexpr const char* kV2Before = R"sql(
CREATE TABLE meta (
	key TEXT PRIMARY KEY,
	value ANY
) STRICT, WITHOUT ROWID;

CREATE TABLE roles (
	name TEXT PRIMARY KEY,
	permissions TEXT NOT NULL DEFAULT ''
) STRICT, WITHOUT ROWID;
INSERT INTO roles(name, permissions) VALUES ('admin', 'admin'), ('user', 'servers.add'), ('blocked', '');

CREATE TABLE users (
	telegram_id INTEGER PRIMARY KEY,
	username TEXT NOT NULL DEFAULT '',
	display_name TEXT NOT NULL DEFAULT '',
	role TEXT NOT NULL DEFAULT 'user' REFERENCES roles(name) ON UPDATE CASCADE,
	language TEXT NOT NULL DEFAULT 'en',
	time_zone TEXT NOT NULL DEFAULT 'UTC',
	notify INTEGER NOT NULL DEFAULT 1 CHECK (notify IN (0, 1)),
	quiet_from_min INTEGER CHECK (quiet_from_min BETWEEN 0 AND 1439),
	quiet_to_min INTEGER CHECK (quiet_to_min BETWEEN 0 AND 1439),
	bot_blocked INTEGER NOT NULL DEFAULT 0 CHECK (bot_blocked IN (0, 1)),
	created_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX users_role ON users(role);

-- AUTOINCREMENT: a deleted server's id is never handed out again (ids are in tokens, events and
-- chat history).
CREATE TABLE servers_v2 (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	owner_chat INTEGER,
	name TEXT NOT NULL,
	key_box BLOB NOT NULL,
	created_ms INTEGER NOT NULL,
	last_seen_ms INTEGER,
	agent_version TEXT NOT NULL DEFAULT '',
	host_ms INTEGER,
	hostname TEXT NOT NULL DEFAULT '',
	os_name TEXT NOT NULL DEFAULT '',
	os_version TEXT NOT NULL DEFAULT '',
	kernel TEXT NOT NULL DEFAULT '',
	arch TEXT NOT NULL DEFAULT '',
	cpu_model TEXT NOT NULL DEFAULT '',
	virtualization TEXT NOT NULL DEFAULT '',
	cpu_logical INTEGER,
	cpu_physical INTEGER,
	cpu_mhz REAL,
	boot_time INTEGER
) STRICT;
INSERT INTO servers_v2(id, owner_chat, name, key_box, created_ms, last_seen_ms, agent_version, host_ms,
	hostname, os_name, os_version, kernel, arch, cpu_model, virtualization, cpu_logical, cpu_physical,
	cpu_mhz, boot_time)
SELECT id, owner_chat, name, signing_key, created_ms, last_seen_ms, agent_version,
	CASE WHEN h IS NOT NULL THEN coalesce(last_seen_ms, created_ms) END,
	CASE json_type(h, '$.hostname') WHEN 'text' THEN json_extract(h, '$.hostname') ELSE '' END,
	CASE json_type(h, '$.os_name') WHEN 'text' THEN json_extract(h, '$.os_name') ELSE '' END,
	CASE json_type(h, '$.os_version') WHEN 'text' THEN json_extract(h, '$.os_version') ELSE '' END,
	CASE json_type(h, '$.kernel') WHEN 'text' THEN json_extract(h, '$.kernel') ELSE '' END,
	CASE json_type(h, '$.arch') WHEN 'text' THEN json_extract(h, '$.arch') ELSE '' END,
	CASE json_type(h, '$.cpu_model') WHEN 'text' THEN json_extract(h, '$.cpu_model') ELSE '' END,
	CASE json_type(h, '$.virtualization') WHEN 'text' THEN json_extract(h, '$.virtualization') ELSE '' END,
	CASE json_type(h, '$.cpu_logical') WHEN 'integer' THEN json_extract(h, '$.cpu_logical') END,
	CASE json_type(h, '$.cpu_physical') WHEN 'integer' THEN json_extract(h, '$.cpu_physical') END,
	CASE json_type(h, '$.cpu_mhz') WHEN 'integer' THEN json_extract(h, '$.cpu_mhz')
		WHEN 'real' THEN json_extract(h, '$.cpu_mhz') END,
	CASE json_type(h, '$.boot_time') WHEN 'integer' THEN json_extract(h, '$.boot_time') END
FROM (SELECT *, CASE WHEN json_valid(host_json) THEN host_json END AS h FROM servers);

-- One row per report in append order (rowid), the server-wide values as columns, every device's
-- values in the compact `dev` blob (device_blob.h).
CREATE TABLE samples_v2 (
	server_id INTEGER NOT NULL,
	ts_ms INTEGER NOT NULL,
	seq INTEGER NOT NULL,
	cpu_busy REAL,
	cpu_user REAL,
	cpu_system REAL,
	cpu_iowait REAL,
	cpu_steal REAL,
	load1 REAL,
	load5 REAL,
	load15 REAL,
	mem_total REAL,
	mem_used REAL,
	mem_available REAL,
	swap_total REAL,
	swap_used REAL,
	disk_total REAL,
	disk_used REAL,
	disk_read REAL,
	disk_write REAL,
	disk_busy REAL,
	net_rx REAL,
	net_tx REAL,
	procs REAL,
	tcp_established REAL,
	sessions REAL,
	temp_max REAL,
	dev BLOB
) STRICT;
INSERT INTO samples_v2(rowid, server_id, ts_ms, seq, cpu_busy, load1, mem_total, mem_used, swap_used,
	disk_total, disk_used, net_rx, net_tx)
SELECT rowid, server_id, ts_ms, seq, cpu_busy, load1, mem_total, mem_used, swap_used, disk_total,
	disk_used, net_rx, net_tx
FROM samples;
)sql";

// 2, second part: swap the new tables in, then the rest of the schema.
constexpr const char* kV2After = R"sql(
DROP TABLE samples;
ALTER TABLE samples_v2 RENAME TO samples;
CREATE INDEX samples_server_ts ON samples(server_id, ts_ms);

DROP TABLE servers;
ALTER TABLE servers_v2 RENAME TO servers;
CREATE INDEX servers_owner ON servers(owner_chat);
CREATE INDEX servers_never_seen ON servers(created_ms) WHERE last_seen_ms IS NULL;
DELETE FROM streams WHERE server_id NOT IN (SELECT id FROM servers);

-- The newest report of each server (JSON, report-format.md) and the newest of each slow section.
CREATE TABLE server_latest (
	server_id INTEGER PRIMARY KEY REFERENCES servers(id) ON DELETE CASCADE,
	ts_ms INTEGER NOT NULL,
	report TEXT NOT NULL,
	top_cpu TEXT,
	top_cpu_ms INTEGER,
	top_memory TEXT,
	top_memory_ms INTEGER,
	tcp_states TEXT,
	tcp_states_ms INTEGER
) STRICT;

-- Servers whose time series purge() still has to delete, in small batches.
CREATE TABLE deleted_servers (
	server_id INTEGER PRIMARY KEY
) STRICT;

-- Devices seen by the roll-ups; a device row's id keys its roll-up rows.
CREATE TABLE devices (
	id INTEGER PRIMARY KEY,
	server_id INTEGER NOT NULL,
	kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 4),
	name TEXT NOT NULL,
	first_ms INTEGER NOT NULL,
	last_ms INTEGER NOT NULL,
	UNIQUE (server_id, kind, name)
) STRICT;

-- Roll-up tiers. k = (server_id << 24) | (bucket_ms / width): the rowid itself clusters one
-- server's buckets in time order, so a 30-day chart reads one contiguous range of the table.
CREATE TABLE rollup_5m (
	k INTEGER PRIMARY KEY,
	server_id INTEGER NOT NULL,
	bucket_ms INTEGER NOT NULL,
	n INTEGER NOT NULL,
	cpu_busy_min REAL, cpu_busy_avg REAL, cpu_busy_max REAL,
	cpu_user_min REAL, cpu_user_avg REAL, cpu_user_max REAL,
	cpu_system_min REAL, cpu_system_avg REAL, cpu_system_max REAL,
	cpu_iowait_min REAL, cpu_iowait_avg REAL, cpu_iowait_max REAL,
	cpu_steal_min REAL, cpu_steal_avg REAL, cpu_steal_max REAL,
	load1_min REAL, load1_avg REAL, load1_max REAL,
	load5_min REAL, load5_avg REAL, load5_max REAL,
	load15_min REAL, load15_avg REAL, load15_max REAL,
	mem_total_min REAL, mem_total_avg REAL, mem_total_max REAL,
	mem_used_min REAL, mem_used_avg REAL, mem_used_max REAL,
	mem_available_min REAL, mem_available_avg REAL, mem_available_max REAL,
	swap_total_min REAL, swap_total_avg REAL, swap_total_max REAL,
	swap_used_min REAL, swap_used_avg REAL, swap_used_max REAL,
	disk_total_min REAL, disk_total_avg REAL, disk_total_max REAL,
	disk_used_min REAL, disk_used_avg REAL, disk_used_max REAL,
	disk_read_min REAL, disk_read_avg REAL, disk_read_max REAL,
	disk_write_min REAL, disk_write_avg REAL, disk_write_max REAL,
	disk_busy_min REAL, disk_busy_avg REAL, disk_busy_max REAL,
	net_rx_min REAL, net_rx_avg REAL, net_rx_max REAL,
	net_tx_min REAL, net_tx_avg REAL, net_tx_max REAL,
	procs_min REAL, procs_avg REAL, procs_max REAL,
	tcp_established_min REAL, tcp_established_avg REAL, tcp_established_max REAL,
	sessions_min REAL, sessions_avg REAL, sessions_max REAL,
	temp_max_min REAL, temp_max_avg REAL, temp_max_max REAL
) STRICT;
CREATE TABLE rollup_1h (
	k INTEGER PRIMARY KEY,
	server_id INTEGER NOT NULL,
	bucket_ms INTEGER NOT NULL,
	n INTEGER NOT NULL,
	cpu_busy_min REAL, cpu_busy_avg REAL, cpu_busy_max REAL,
	cpu_user_min REAL, cpu_user_avg REAL, cpu_user_max REAL,
	cpu_system_min REAL, cpu_system_avg REAL, cpu_system_max REAL,
	cpu_iowait_min REAL, cpu_iowait_avg REAL, cpu_iowait_max REAL,
	cpu_steal_min REAL, cpu_steal_avg REAL, cpu_steal_max REAL,
	load1_min REAL, load1_avg REAL, load1_max REAL,
	load5_min REAL, load5_avg REAL, load5_max REAL,
	load15_min REAL, load15_avg REAL, load15_max REAL,
	mem_total_min REAL, mem_total_avg REAL, mem_total_max REAL,
	mem_used_min REAL, mem_used_avg REAL, mem_used_max REAL,
	mem_available_min REAL, mem_available_avg REAL, mem_available_max REAL,
	swap_total_min REAL, swap_total_avg REAL, swap_total_max REAL,
	swap_used_min REAL, swap_used_avg REAL, swap_used_max REAL,
	disk_total_min REAL, disk_total_avg REAL, disk_total_max REAL,
	disk_used_min REAL, disk_used_avg REAL, disk_used_max REAL,
	disk_read_min REAL, disk_read_avg REAL, disk_read_max REAL,
	disk_write_min REAL, disk_write_avg REAL, disk_write_max REAL,
	disk_busy_min REAL, disk_busy_avg REAL, disk_busy_max REAL,
	net_rx_min REAL, net_rx_avg REAL, net_rx_max REAL,
	net_tx_min REAL, net_tx_avg REAL, net_tx_max REAL,
	procs_min REAL, procs_avg REAL, procs_max REAL,
	tcp_established_min REAL, tcp_established_avg REAL, tcp_established_max REAL,
	sessions_min REAL, sessions_avg REAL, sessions_max REAL,
	temp_max_min REAL, temp_max_avg REAL, temp_max_max REAL
) STRICT;
-- k = (device id << 24) | (bucket_ms / width); slot meanings per device kind in metrics.h.
CREATE TABLE rollup_dev_5m (
	k INTEGER PRIMARY KEY,
	device_id INTEGER NOT NULL,
	bucket_ms INTEGER NOT NULL,
	n INTEGER NOT NULL,
	v0_min REAL, v0_avg REAL, v0_max REAL,
	v1_min REAL, v1_avg REAL, v1_max REAL,
	v2_min REAL, v2_avg REAL, v2_max REAL,
	v3_min REAL, v3_avg REAL, v3_max REAL,
	v4_min REAL, v4_avg REAL, v4_max REAL,
	v5_min REAL, v5_avg REAL, v5_max REAL
) STRICT;
CREATE TABLE rollup_dev_1h (
	k INTEGER PRIMARY KEY,
	device_id INTEGER NOT NULL,
	bucket_ms INTEGER NOT NULL,
	n INTEGER NOT NULL,
	v0_min REAL, v0_avg REAL, v0_max REAL,
	v1_min REAL, v1_avg REAL, v1_max REAL,
	v2_min REAL, v2_avg REAL, v2_max REAL,
	v3_min REAL, v3_avg REAL, v3_max REAL,
	v4_min REAL, v4_avg REAL, v4_max REAL,
	v5_min REAL, v5_avg REAL, v5_max REAL
) STRICT;
-- Buckets already rolled up that a late report (an agent's backfill) changed: recomputed by the job.
CREATE TABLE rollup_dirty (
	tier TEXT NOT NULL,
	server_id INTEGER NOT NULL,
	bucket_ms INTEGER NOT NULL,
	PRIMARY KEY (tier, server_id, bucket_ms)
) STRICT, WITHOUT ROWID;

CREATE TABLE alert_rules (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	owner_chat INTEGER NOT NULL,
	server_id INTEGER REFERENCES servers(id) ON DELETE CASCADE,
	metric TEXT NOT NULL,
	device TEXT NOT NULL DEFAULT '',
	op TEXT NOT NULL CHECK (op IN ('>', '<')),
	threshold REAL NOT NULL,
	clear_threshold REAL,
	for_s INTEGER NOT NULL DEFAULT 0,
	severity TEXT NOT NULL DEFAULT 'warning' CHECK (severity IN ('warning', 'critical')),
	repeat_s INTEGER NOT NULL DEFAULT 0,
	enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
	created_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX alert_rules_owner ON alert_rules(owner_chat);
CREATE INDEX alert_rules_server ON alert_rules(server_id);
CREATE TABLE alert_state (
	rule_id INTEGER NOT NULL REFERENCES alert_rules(id) ON DELETE CASCADE,
	server_id INTEGER NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
	device TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL CHECK (state IN ('ok', 'pending', 'firing')),
	since_ms INTEGER NOT NULL,
	value REAL,
	notified_ms INTEGER,
	message_id INTEGER,
	PRIMARY KEY (rule_id, server_id, device)
) STRICT, WITHOUT ROWID;
CREATE INDEX alert_state_server ON alert_state(server_id);

CREATE TABLE events (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	ts_ms INTEGER NOT NULL,
	kind TEXT NOT NULL,
	server_id INTEGER,
	owner_chat INTEGER,
	server_name TEXT NOT NULL DEFAULT '',
	detail TEXT NOT NULL DEFAULT '',
	handled_ms INTEGER
) STRICT;
CREATE INDEX events_unhandled ON events(id) WHERE handled_ms IS NULL;
CREATE INDEX events_server ON events(server_id, id);
CREATE INDEX events_owner ON events(owner_chat, id);
CREATE INDEX events_ts ON events(ts_ms);

CREATE TABLE outbox (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	chat_id INTEGER NOT NULL,
	kind TEXT NOT NULL DEFAULT 'message',
	payload TEXT NOT NULL,
	dedupe_key TEXT,
	created_ms INTEGER NOT NULL,
	next_attempt_ms INTEGER NOT NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT '',
	state TEXT NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'dead')),
	done_ms INTEGER,
	telegram_message_id INTEGER
) STRICT;
CREATE INDEX outbox_due ON outbox(next_attempt_ms, id) WHERE state = 'queued';
CREATE UNIQUE INDEX outbox_dedupe ON outbox(dedupe_key) WHERE state = 'queued' AND dedupe_key IS NOT NULL;
CREATE INDEX outbox_done ON outbox(done_ms) WHERE state <> 'queued';
)sql";

// Seals every signing key that is still in clear (32 bytes from schema 1) under the store key,
// and records which key file the database now needs.
Result<void> seal_keys(Db& db, const KeyBox& box) {
	auto sel = db.prepare("SELECT id, key_box FROM servers_v2");
	auto upd = db.prepare("UPDATE servers_v2 SET key_box = ? WHERE id = ?");
	if (!sel.ok())
		return sel.error();
	if (!upd.ok())
		return upd.error();
	std::vector<std::pair<int64_t, SigningKey>> plain;
	while (true) {
		auto row = sel->step();
		if (!row.ok())
			return row.error();
		if (!*row)
			break;
		auto k = sel->blob_view(1);
		// Any other length was already unusable under schema 1 (find_server refused it); it is
		// kept as it is and keeps failing for that server only.
		if (k.size() != std::tuple_size_v<SigningKey>)
			continue;
		SigningKey key{};
		std::copy(k.begin(), k.end(), key.begin());
		plain.emplace_back(sel->i64(0), key);
	}
	sel->reset();
	for (auto& [id, key] : plain) {
		upd->bind_blob(1, std::string_view(box.seal(key, static_cast<uint64_t>(id)))).bind(2, id);
		if (auto r = upd->run(); !r.ok())
			return r;
		key.fill(0);
	}
	auto meta = db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES('store_key_id', ?)");
	if (!meta.ok())
		return meta.error();
	meta->bind(1, std::string_view(box.key_id()));
	return meta->run();
}

// Schema 1 kept each report's JSON in samples.detail; schema 2 keeps the server-wide values as
// columns and the devices in a compact blob. A detail that no longer decodes keeps only the
// columns schema 1 had.
Result<void> convert_details(Db& db) {
	auto sel = db.prepare("SELECT rowid, detail FROM samples WHERE detail IS NOT NULL");
	if (!sel.ok())
		return sel.error();
	std::string sql = "UPDATE samples_v2 SET ";
	for (size_t i = 0; i < kMainColumnCount; ++i)
		sql += fmt::format("{} = ?{}, ", kMainColumns[i], i + 1);
	sql += fmt::format("dev = ?{} WHERE rowid = ?{}", kMainColumnCount + 1, kMainColumnCount + 2);
	auto upd = db.prepare(sql);
	if (!upd.ok())
		return upd.error();
	size_t converted = 0, unreadable = 0;
	std::string blob;
	while (true) {
		auto row = sel->step();
		if (!row.ok())
			return row.error();
		if (!*row)
			break;
		auto report = decode_stored_report(sel->text(1));
		if (!report.ok()) {
			++unreadable;
			continue;
		}
		MainValues v = main_values(*report);
		for (size_t i = 0; i < kMainColumnCount; ++i)
			upd->bind_opt(static_cast<int>(i + 1), v[i]);
		encode_devices(*report, blob);
		if (blob.empty())
			upd->bind_null(static_cast<int>(kMainColumnCount + 1));
		else
			upd->bind_blob(static_cast<int>(kMainColumnCount + 1), std::string_view(blob));
		upd->bind(static_cast<int>(kMainColumnCount + 2), sel->i64(0));
		if (auto r = upd->run(); !r.ok())
			return r;
		++converted;
	}
	if (converted + unreadable > 0)
		log::info("store: schema 2 converted {} stored reports ({} unreadable kept their main values only)",
		          converted, unreadable);
	return Ok();
}

Result<void> v2_hook(Db& db, const KeyBox& box) {
	if (auto r = seal_keys(db, box); !r.ok())
		return r;
	return convert_details(db);
}

// 3: a version per signing key, so the writer can check "is this still the key the request was
// verified with?" inside its own transaction with the row it reads anyway (docs/store.md).
constexpr const char* kV3 = R"sql(
ALTER TABLE servers ADD COLUMN key_version INTEGER NOT NULL DEFAULT 1;
)sql";

// 4: the bot's state that must outlive a restart (the last handled update_id), by name.
constexpr const char* kV4 = R"sql(
CREATE TABLE bot_state (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT, WITHOUT ROWID;
)sql";

// 5: notification settings per chat (a group's alerts follow the group's settings, not one
// member's), moved from users (whose notify and quiet-hour columns stay, unused, since SQLite
// cannot drop a column with a CHECK), and the chats' snoozes and mutes.
constexpr const char* kV5 = R"sql(
CREATE TABLE chat_settings (
	chat_id INTEGER PRIMARY KEY,
	notify INTEGER NOT NULL DEFAULT 1 CHECK (notify IN (0, 1)),
	muted_kinds TEXT NOT NULL DEFAULT '',
	quiet_from_min INTEGER CHECK (quiet_from_min BETWEEN 0 AND 1439),
	quiet_to_min INTEGER CHECK (quiet_to_min BETWEEN 0 AND 1439),
	quiet_lets_critical INTEGER NOT NULL DEFAULT 1 CHECK (quiet_lets_critical IN (0, 1)),
	silent_warnings INTEGER NOT NULL DEFAULT 0 CHECK (silent_warnings IN (0, 1)),
	reminder_s INTEGER NOT NULL DEFAULT 14400 CHECK (reminder_s >= 0),
	digest_hour INTEGER CHECK (digest_hour BETWEEN 0 AND 23),
	time_zone TEXT NOT NULL DEFAULT '',
	updated_ms INTEGER NOT NULL DEFAULT 0,
	CHECK ((quiet_from_min IS NULL) = (quiet_to_min IS NULL))
) STRICT;
INSERT INTO chat_settings(chat_id, notify, quiet_from_min, quiet_to_min)
	SELECT telegram_id, notify, quiet_from_min, quiet_to_min FROM users
	WHERE notify = 0 OR (quiet_from_min IS NOT NULL AND quiet_to_min IS NOT NULL);

CREATE TABLE alert_silences (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	chat_id INTEGER NOT NULL,
	server_id INTEGER,
	kind TEXT NOT NULL DEFAULT '',
	until_ms INTEGER,
	created_ms INTEGER NOT NULL,
	created_by INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX alert_silences_chat ON alert_silences(chat_id, id);
)sql";

// 6: alert state per (server, metric, device) instead of per rule: the built-in defaults have
// no stored rule, and a firing alert must stay the same alert when the chat or the server gets
// its own rule for the kind. Nothing wrote the old table (the engine comes with this version).
// The number of reminders already sent (their back-off) and the newest sample evaluated come
// along; a dedupe index over every outbox state, so an alert notice sent long ago is never
// queued again (the unique index covers queued messages only).
constexpr const char* kV6 = R"sql(
DROP TABLE alert_state;
CREATE TABLE alert_state (
	server_id INTEGER NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
	metric TEXT NOT NULL,
	device TEXT NOT NULL DEFAULT '',
	rule_id INTEGER NOT NULL DEFAULT 0,
	state TEXT NOT NULL CHECK (state IN ('ok', 'pending', 'firing')),
	since_ms INTEGER NOT NULL,
	value REAL,
	notified_ms INTEGER,
	message_id INTEGER,
	reminders INTEGER NOT NULL DEFAULT 0,
	last_ms INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (server_id, metric, device)
) STRICT, WITHOUT ROWID;
CREATE INDEX outbox_dedupe_any ON outbox(dedupe_key) WHERE dedupe_key IS NOT NULL;
)sql";

// 7: alert routing and server tags. A server may send its alerts to another chat its owner
// belongs to (a team group instead of the private chat: servers.alert_chat, NULL for the owner's
// chat); a rule may do the same (route_chat) and may apply to the servers carrying a tag (tag,
// empty for none) instead of one server or all of them. Tags are short lowercase words.
constexpr const char* kV7 = R"sql(
ALTER TABLE servers ADD COLUMN alert_chat INTEGER;
ALTER TABLE alert_rules ADD COLUMN tag TEXT NOT NULL DEFAULT '';
ALTER TABLE alert_rules ADD COLUMN route_chat INTEGER;
CREATE TABLE server_tags (
	server_id INTEGER NOT NULL REFERENCES servers(id) ON DELETE CASCADE,
	tag TEXT NOT NULL,
	PRIMARY KEY (server_id, tag)
) STRICT, WITHOUT ROWID;
CREATE INDEX server_tags_tag ON server_tags(tag, server_id);
)sql";

// 8: the web dashboard's logins. Only hashes of the secrets are stored (SHA-256 of the cookie,
// of the one-time link's token and of the API token), so a copy of the database logs nobody in.
// A login link is spent once (used_ms); a session ends at expires_ms or when revoked (deleted);
// an API token is revoked by setting revoked_ms, kept so the list shows what existed.
constexpr const char* kV8 = R"sql(
CREATE TABLE web_login_links (
	token_hash BLOB PRIMARY KEY,
	user_id INTEGER NOT NULL,
	created_ms INTEGER NOT NULL,
	expires_ms INTEGER NOT NULL,
	used_ms INTEGER
) STRICT, WITHOUT ROWID;
CREATE TABLE web_sessions (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	token_hash BLOB NOT NULL UNIQUE,
	user_id INTEGER NOT NULL,
	csrf TEXT NOT NULL,
	via TEXT NOT NULL DEFAULT 'link' CHECK (via IN ('link', 'console', 'miniapp')),
	created_ms INTEGER NOT NULL,
	last_seen_ms INTEGER NOT NULL,
	expires_ms INTEGER NOT NULL,
	user_agent TEXT NOT NULL DEFAULT '',
	ip TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX web_sessions_user ON web_sessions(user_id, id);
CREATE TABLE api_tokens (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	token_hash BLOB NOT NULL UNIQUE,
	user_id INTEGER NOT NULL,
	name TEXT NOT NULL,
	prefix TEXT NOT NULL,
	created_ms INTEGER NOT NULL,
	last_used_ms INTEGER,
	revoked_ms INTEGER
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens(user_id, id);
)sql";

// 9: a chat's own language (a group's, set by its admins with /language; empty: a private
// chat's user's, a group's English), for everything the bot sends there.
constexpr const char* kV9 = R"sql(
ALTER TABLE chat_settings ADD COLUMN language TEXT NOT NULL DEFAULT '';
)sql";

// 10: who used the bot in which group, so the web asks Telegram only about the groups a user was
// seen in (never about every group that owns servers), and the groups' titles for the dashboard.
// The bot writes a pair again at most once a day (seen_ms) or when the title changes.
constexpr const char* kV10 = R"sql(
CREATE TABLE chat_members (
	chat_id INTEGER NOT NULL,
	user_id INTEGER NOT NULL,
	seen_ms INTEGER NOT NULL,
	PRIMARY KEY (chat_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX chat_members_user ON chat_members(user_id, chat_id);
CREATE TABLE group_chats (
	chat_id INTEGER PRIMARY KEY,
	title TEXT NOT NULL,
	seen_ms INTEGER NOT NULL
) STRICT;
)sql";

const Migration kMigrations[] = {
    {kV1, nullptr, nullptr}, {kV2Before, v2_hook, kV2After}, {kV3, nullptr, nullptr}, {kV4, nullptr, nullptr},
    {kV5, nullptr, nullptr}, {kV6, nullptr, nullptr},        {kV7, nullptr, nullptr}, {kV8, nullptr, nullptr},
    {kV9, nullptr, nullptr}, {kV10, nullptr, nullptr},
};

} // namespace

std::span<const Migration> migrations() {
	return kMigrations;
}

} // namespace serversan::store::sqlite
