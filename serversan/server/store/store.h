// Store: the server's only way to its data. Callers (ingest, jobs, alerts, bot, web, admin) see
// this interface and the plain records below; each engine (SQLite now, PostgreSQL later)
// implements it in its own folder, and no SQL exists anywhere else. Nothing in this header names
// an engine type, so a new engine slots in behind open_store() without touching a caller.
//
// Contract for every method:
//   - expected failures (I/O, a corrupt file, a busy database, a value edited by hand into
//     something unreadable) are Result errors that say what and where; nothing throws on bad
//     data, and a failed call changes nothing (each write is one transaction);
//   - times are Unix milliseconds passed in by the caller, who reads them from the injected
//     Clock: the store never reads a clock itself;
//   - methods are safe to call from several threads; writes are serialised (one writer), reads
//     run concurrently with them on their own connections.
//
// Data model, tiers and the arithmetic behind the defaults: docs/store.md.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "serversan/core/report.h"
#include "serversan/core/result.h"
#include "serversan/core/token.h"

namespace serversan::store {

inline constexpr int64_t kMinuteMs = 60'000;
inline constexpr int64_t kHourMs = 60 * kMinuteMs;
inline constexpr int64_t kDayMs = 24 * kHourMs;

// ---- Opening -------------------------------------------------------------------------------

// How long each kind of data is kept. The defaults are the (raw 7 days, 5-minute 60 days,
// 1-hour 180 days: the seed's "auto clean old records every 180 days").
struct Retention {
	int64_t raw_ms = 7 * kDayMs;
	int64_t m5_ms = 60 * kDayMs;
	int64_t h1_ms = 180 * kDayMs;
	int64_t events_ms = 180 * kDayMs;
	int64_t outbox_ms = 30 * kDayMs; // messages already sent or given up
};

struct StoreOptions {
	std::string path;     // SQLite: the database file (a local file system: WAL needs shared memory)
	std::string key_file; // empty: <directory of path>/keys/store.key (created 0600 at first start)
	int readers = 4;      // read connections, so charts and lookups never wait for the writer
	// SQLite: the writer copies the WAL into the database once it holds this many pages (of 4 KiB).
	// A checkpoint copies each page once however often it was rewritten, and the pages ingest
	// rewrites with every commit (each server's index leaf, the table's tail) are few: at 4,000
	// instead of SQLite's 1,000 they are copied a quarter as often, which made ingest 5-25 %
	// faster here, for a WAL of up to 16 MB (docs/store.md).
	int wal_checkpoint_pages = 4000;
	// false: open without migrating (`db migrate` reports what it does); a store below the latest
	// version then answers only migrate() and schema_version().
	bool migrate_on_open = true;
	// Copy the database (to <path>.v<N>.bak, 0600) before applying migrations to an
	// existing database.
	bool backup_before_migrate = true;
	// Tests of upgrades only: stop migrating at this version (0: latest). A store opened below
	// the latest version answers only migrate() and schema_version().
	int max_version = 0;
	Retention retention;
	// A 5-minute bucket is rolled up this long after it ends, so reports still in flight make it.
	int64_t rollup_grace_ms = 2 * kMinuteMs;
	// The newest report's full detail is written at most this often per server (and whenever it
	// carries host facts or a slow section); latest() brings it up to the newest sample. Writing
	// it with every report would triple the cost of storing one (docs/store.md).
	int64_t snapshot_every_ms = 5 * kMinuteMs;
};

class Store;

// Opens (creating if needed) the store options.path names and migrates it to the latest schema.
Result<std::unique_ptr<Store>> open_store(const StoreOptions& options);
// The same with default options for a SQLite file (the key file next to it in keys/).
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path);

// ---- Records -------------------------------------------------------------------------------

struct ServerRecord {
	uint64_t id = 0;
	std::optional<int64_t> owner_chat; // Telegram chat of the owner; empty for servers added by the CLI
	std::string name;
	SigningKey signing_key{}; // decrypted; zero if key_ok is false
	// Starts at 1 and grows with every set_signing_key: ingest remembers the version of the key
	// it verified a request with, and append() refuses the batch if it is no longer current.
	uint64_t key_version = 0;
	bool key_ok = true; // false: the stored key could not be decrypted (list_servers only)
	int64_t created_ms = 0;
	std::optional<int64_t> last_seen_ms; // empty: never reported (the 30-minute cleanup's test)
	std::string agent_version;
	std::optional<HostFacts> host; // the latest facts the agent sent, if any
	std::optional<int64_t> host_ms;
	// Where the server's alerts go (a team group its owner belongs to); empty: the owner's chat.
	std::optional<int64_t> alert_chat;
};

// Server tags: short lowercase words ([a-z0-9_-], 1-24 characters), at most kMaxServerTags per
// server. A rule may target a tag (AlertRule.tag) instead of one server.
inline constexpr size_t kMaxServerTagLength = 24;
inline constexpr size_t kMaxServerTags = 10;
bool valid_server_tag(std::string_view tag);
struct ServerTag {
	uint64_t server_id = 0;
	std::string tag;
	bool operator==(const ServerTag&) const = default;
};

// One verified batch from one agent stream, ready to be stored.
struct IngestBatch {
	uint64_t server_id = 0;
	ReportBatch batch;
	int64_t received_ms = 0;
	// The version of the key the request was verified with. When set, append() stores nothing
	// of the batch unless the server still exists with that key version (outcome.key_changed):
	// checked inside the transaction, so a token rotated or a server deleted by another process
	// a moment before the commit can never slip a report in.
	std::optional<uint64_t> key_version;
};

struct IngestOutcome {
	uint64_t accepted = 0;    // reports stored now
	uint64_t duplicates = 0;  // already stored earlier (an honest retry)
	uint64_t stale = 0;       // below the sequence window: not stored
	bool key_changed = false; // key_version no longer current (or server gone): nothing stored
};

struct SampleRow {
	int64_t ts_ms = 0;
	uint64_t seq = 0;
	std::optional<double> cpu_busy_percent;
	std::optional<double> load1;
	std::optional<uint64_t> mem_total, mem_used;
};

// The newest report of a server. Every value a raw sample keeps (the metric catalog: CPU shares,
// load, memory, swap, counts, each filesystem, disk, interface and sensor) is the newest sample's;
// the rest (per-core shares, addresses, free bytes, the rx/tx split of errors and drops) comes
// from a full snapshot at most StoreOptions::snapshot_every_ms older, taken at snapshot_ms. The
// slow sections (top processes, TCP states) are the newest that any report carried: "the server
// keeps the latest of each".
struct LatestReport {
	Report report;
	int64_t snapshot_ms = 0;
	std::optional<int64_t> top_cpu_ms, top_memory_ms, tcp_states_ms; // when each slow section was measured
};

// ---- Time series ---------------------------------------------------------------------------

// raw: one row per report; m5 and h1: min/avg/max per 5 minutes and per hour.
enum class Tier { raw, m5, h1 };
std::string_view tier_name(Tier tier);
// Bucket width; raw counts as the agents' default interval (60 s) when choosing a tier.
int64_t tier_width_ms(Tier tier);

struct SeriesQuery {
	uint64_t server_id = 0;
	std::string metric;             // a name from metric_catalog() (metrics.h), e.g. "cpu.busy", "net.rx"
	std::string device;             // empty: the server-wide value; else a mount, disk, interface or sensor
	int64_t from_ms = 0, to_ms = 0; // [from, to)
	int64_t now_ms = 0;             // for the tier choice (what retention still covers)
	size_t max_points = 1000;       // the chart's width: picks the tier (see series())
	std::optional<Tier> tier;       // force a tier (tests, benchmarks)
};

struct SeriesPoint {
	int64_t ts_ms = 0; // bucket start (raw: the sample time)
	double min = 0, avg = 0, max = 0;
	bool operator==(const SeriesPoint&) const = default;
};

struct Series {
	Tier tier = Tier::raw;
	int64_t step_ms = 0; // bucket width of the points; 0: raw samples, one point each
	std::vector<SeriesPoint> points;
	size_t skipped = 0; // stored rows that could not be read (corrupt) and were left out
};

struct DeviceInfo {
	std::string kind; // "fs", "disk", "net", "temp"
	std::string name;
	std::optional<int64_t> last_ms;
	bool operator==(const DeviceInfo&) const = default;
};

struct RollupLimits {
	size_t servers_per_step = 256; // servers rolled up per write transaction
	size_t rows_per_step = 4000;   // tier rows written per write transaction (bounds the writer's hold)
	size_t dirty_per_step = 256;   // late buckets recomputed per step
};
struct RollupProgress {
	size_t buckets = 0;                     // tier rows written
	bool more = false;                      // call again: work is pending
	int64_t m5_done_ms = 0, h1_done_ms = 0; // everything before these is rolled up
};

struct PurgeLimits {
	size_t rows_per_step = 5000; // rows deleted per write transaction
	size_t servers_per_step = 512;
};
struct PurgeProgress {
	uint64_t rows = 0;
	bool more = false;
};

struct TableStats {
	std::string name;
	std::string tier; // "raw", "5m", "1h" for time series tables, else empty
	uint64_t rows = 0;
	uint64_t bytes = 0; // table and its indexes
};
struct TierStats {
	Tier tier = Tier::raw;
	uint64_t rows = 0, bytes = 0;
	uint64_t servers = 0;            // servers with data in the tier
	int64_t span_ms = 0;             // newest minus oldest bucket
	double bytes_per_server_day = 0; // bytes / servers / days spanned (0 if under an hour)
	int64_t retention_ms = 0;
};
struct StoreStats {
	std::string engine; // "sqlite 3.40.1"
	uint64_t file_bytes = 0, wal_bytes = 0;
	int schema_version = 0;
	uint64_t servers = 0;
	std::vector<TableStats> tables;
	std::vector<TierStats> tiers;
};

struct BackupInfo {
	std::string path;
	uint64_t bytes = 0;
	std::string integrity; // "ok"
};

// ---- Users and roles -----------------------------------------------------------------------

struct User {
	int64_t telegram_id = 0;
	std::string username;     // without '@'; may be empty
	std::string display_name; // first + last name
	std::string role = "user";
	std::string language = "en";   // IETF tag from Telegram's language_code
	std::string time_zone = "UTC"; // IANA name
	bool bot_blocked = false;      // the user blocked the bot (403): send nothing until /start
	int64_t created_ms = 0;
	bool operator==(const User&) const = default;
};

// Permission words used by the built-in roles (docs/store.md): "admin" allows everything.
inline constexpr std::string_view kPermAdmin = "admin";
inline constexpr std::string_view kPermAddServers = "servers.add";
inline constexpr std::string_view kPermAllServers = "servers.all";
inline constexpr std::string_view kPermManageUsers = "users.manage";

struct Role {
	std::string name;
	std::vector<std::string> permissions;
	bool allows(std::string_view permission) const;
	bool operator==(const Role&) const = default;
};

// ---- Alerts --------------------------------------------------------------------------------

struct AlertRule {
	uint64_t id = 0; // assigned by create_alert_rule
	int64_t owner_chat = 0;
	std::optional<uint64_t> server_id; // empty: every server of owner_chat (or of the tag)
	std::string tag;                   // non-empty (server_id empty): the chat's servers with this tag
	// A metric_catalog() name, or a pseudo metric of the alert engine: "offline" (minutes without
	// a report) or "load.per_core" (alerts/rule_catalog.h).
	std::string metric;
	std::string device;   // empty: the server-wide value, or each device of a per-device metric
	std::string op = ">"; // ">" or "<"
	double threshold = 0;
	std::optional<double> clear_threshold; // hysteresis; empty: the threshold itself
	int64_t for_s = 0;                     // must hold this long before firing
	std::string severity = "warning";      // "warning" or "critical"
	int64_t repeat_s = 0;                  // re-notify while firing; 0: once
	bool enabled = true;
	int64_t created_ms = 0;
	std::optional<int64_t> route_chat; // the chat its notices go to; empty: the server's alert chat
	bool operator==(const AlertRule&) const = default;
};

// One alert of a server: keyed by (server_id, metric, device), so it stays the same alert when
// the rule in force changes (a chat or server override of a built-in default).
struct AlertState {
	uint64_t rule_id = 0; // the rule in force when it last changed (0: a built-in default)
	uint64_t server_id = 0;
	std::string device;
	std::string state = "ok"; // "ok", "pending", "firing"
	int64_t since_ms = 0;     // when the state began (firing: the first sample of the breach)
	std::optional<double> value;
	std::optional<int64_t> notified_ms; // the last notice queued (firing or reminder); empty: none
	std::optional<int64_t> message_id;  // the Telegram message to edit on recovery
	std::string metric;                 // AlertRule.metric
	int reminders = 0;                  // reminders queued in this firing (their back-off)
	int64_t last_ms = 0;                // the newest sample evaluated
	bool operator==(const AlertState&) const = default;
};

// Notification settings of one chat (a private chat's id is its user's id; a group's is
// negative). Alerts read them when they decide whether and how to send; /notify writes them.
struct ChatSettings {
	int64_t chat_id = 0;
	bool notify = true;                   // false: no alert messages at all
	std::vector<std::string> muted_kinds; // alert kinds turned off (alerts::alert_kinds() names), sorted
	// Quiet hours in time_zone, minutes after midnight [from, to) (may wrap midnight); both or
	// neither. Messages are held until they end.
	std::optional<int> quiet_from_min, quiet_to_min;
	bool quiet_lets_critical = true; // critical alerts are sent during quiet hours
	bool silent_warnings = false;    // warnings go out with disable_notification
	int64_t reminder_s = 4 * 3600;   // reminder while an alert fires (with back-off); 0: none
	std::optional<int> digest_hour;  // a daily digest at this hour in time_zone; empty: none
	std::string time_zone;           // IANA name; empty: the user's (private chat), else UTC
	std::string language;            // a bot language tag; empty: the user's (private chat), else English
	int64_t updated_ms = 0;
	bool operator==(const ChatSettings&) const = default;
};

// A snooze (until a time) or a mute (until the server's alerts have all recovered) that one
// chat set on a server's alerts.
struct AlertSilence {
	uint64_t id = 0; // assigned by add_silence
	int64_t chat_id = 0;
	std::optional<uint64_t> server_id; // empty: every server the chat is sent alerts for
	std::string kind;                  // an alert kind name; empty: every kind
	std::optional<int64_t> until_ms;   // empty: a mute, lifted when the server has recovered
	int64_t created_ms = 0;
	int64_t created_by = 0; // Telegram user id
	bool operator==(const AlertSilence&) const = default;
};

// ---- Events and the bot's outbox -----------------------------------------------------------

// Event kinds written by the store and the jobs; the bot turns unhandled ones into messages.
inline constexpr std::string_view kEventServerFirstReport = "server_first_report";
inline constexpr std::string_view kEventServerDeletedUnused = "server_deleted_unused";
inline constexpr std::string_view kEventServerOffline = "server_offline";
inline constexpr std::string_view kEventServerOnline = "server_online";

struct Event {
	uint64_t id = 0; // assigned by add_event
	int64_t ts_ms = 0;
	std::string kind;
	std::optional<uint64_t> server_id; // kept after the server is deleted (ids are never reused)
	std::optional<int64_t> owner_chat;
	std::string server_name;
	std::string detail; // for people
	std::optional<int64_t> handled_ms;
	bool operator==(const Event&) const = default;
};

// Oldest first from after_id (paging forward), or with newest_first the newest before before_ms
// (paging back in time: the next page's before_ms is the oldest ts_ms of this one). A
// newest-first page never splits a millisecond: the events sharing its oldest ts_ms all come in
// it, so it may hold a few more than limit and the next page loses none of them.
struct EventQuery {
	std::optional<uint64_t> server_id;
	std::optional<int64_t> owner_chat;
	std::vector<int64_t> also_chats; // with owner_chat: these chats' events too (a user's groups)
	bool unowned = false;            // only events of servers without an owner chat (the console operator's)
	uint64_t after_id = 0;           // page forward
	bool newest_first = false;
	std::optional<int64_t> before_ms; // with newest_first: ts_ms < before_ms
	size_t limit = 100;
};

struct OutboxMessage {
	uint64_t id = 0; // assigned by enqueue_message
	int64_t chat_id = 0;
	std::string kind = "message"; // what the bot does with payload: "message", "photo", "edit"...
	std::string payload;          // text or a JSON description, the bot's format
	std::string dedupe_key;       // non-empty: a second message with the same key is not queued
	int64_t created_ms = 0;
	int64_t next_attempt_ms = 0;
	int attempts = 0;
	std::string last_error;
	std::string state = "queued"; // "queued", "sent", "dead"
	std::optional<int64_t> done_ms;
	std::optional<int64_t> telegram_message_id;
	// Set: enqueue_message also marks this event handled, in the same transaction, so a crash
	// can neither lose the event's message nor queue it twice. Not stored with the message.
	std::optional<uint64_t> handled_event;
	bool operator==(const OutboxMessage&) const = default;
};

// ---- Web logins (the dashboard) -----------------------------------------------------------

// Only SHA-256 hashes of the secrets (login link, cookie, API token) reach the store, so a copy of
// the database logs nobody in. user_id is the Telegram user id; 0 is the console operator.
struct WebSession {
	uint64_t id = 0;        // assigned by create_web_session
	std::string token_hash; // SHA-256 of the cookie's value (32 bytes)
	int64_t user_id = 0;
	std::string csrf;
	std::string via = "link"; // "link", "console" or "miniapp"
	int64_t created_ms = 0, last_seen_ms = 0, expires_ms = 0;
	std::string user_agent, ip;
	bool operator==(const WebSession&) const = default;
};

struct ApiToken {
	uint64_t id = 0;        // assigned by create_api_token
	std::string token_hash; // SHA-256 of the token (32 bytes)
	int64_t user_id = 0;
	std::string name;
	std::string prefix; // the token's first characters, so a list tells tokens apart
	int64_t created_ms = 0;
	std::optional<int64_t> last_used_ms, revoked_ms;
	bool operator==(const ApiToken&) const = default;
};

// ---- The interface -------------------------------------------------------------------------

class Store {
public:
	virtual ~Store() = default;

	// Applies pending migrations. Fails (and changes nothing) if the database was written by a
	// newer ServerSan than this binary.
	virtual Result<void> migrate() = 0;
	virtual Result<int> schema_version() = 0;

	// -- servers
	virtual Result<uint64_t> create_server(std::optional<int64_t> owner_chat, const std::string& name,
	                                       const SigningKey& key, int64_t now_ms) = 0;
	// The ingest lookup: by id, signing key decrypted. An undecryptable key is an error.
	virtual Result<std::optional<ServerRecord>> find_server(uint64_t id) = 0;
	virtual Result<std::vector<ServerRecord>> list_servers() = 0;
	virtual Result<std::vector<ServerRecord>> servers_of(int64_t owner_chat) = 0;
	// The groups (negative owner_chat) that own servers and in which the user was noted
	// (note_chat_member), ascending: the only groups the web asks Telegram about for this user.
	// One walk of the user's noted groups, each probing the servers_owner index.
	virtual Result<std::vector<int64_t>> server_group_chats(int64_t user_id) = 0;
	// Replaces the signing key at once (token rotation); false if no such server.
	virtual Result<bool> set_signing_key(uint64_t id, const SigningKey& key) = 0;
	virtual Result<bool> rename_server(uint64_t id, const std::string& name) = 0;
	// Where the server's alerts go; empty: back to the owner's chat. False if no such server.
	virtual Result<bool> set_server_alert_chat(uint64_t id, std::optional<int64_t> chat) = 0;
	// Replaces the server's tags (deduplicated; each valid_server_tag, at most kMaxServerTags:
	// an error otherwise, nothing changed). False if no such server.
	virtual Result<bool> set_server_tags(uint64_t id, const std::vector<std::string>& tags) = 0;
	virtual Result<std::vector<std::string>> server_tags(uint64_t id) = 0; // sorted
	// The tags of every server of owner_chat (every server if empty) in one read, by server then tag.
	virtual Result<std::vector<ServerTag>> chat_server_tags(std::optional<int64_t> owner_chat) = 0;
	// Deletes the server, its token and its settings at once; its time series are purged in small
	// batches by purge(). Ids are never reused. False if no such server.
	virtual Result<bool> delete_server(uint64_t id) = 0;
	// Deletes every server created before created_before_ms that never reported, with one
	// kEventServerDeletedUnused event each, in one transaction; returns what it deleted.
	virtual Result<std::vector<ServerRecord>> delete_unused_servers(int64_t created_before_ms,
	                                                                int64_t now_ms) = 0;

	// -- ingest
	// Stores the batches in ONE transaction (group commit) that also advances each stream's
	// sequence window; durable when this returns success. outcomes[i] belongs to batches[i].
	virtual Result<std::vector<IngestOutcome>> append(const std::vector<IngestBatch>& batches) = 0;

	// -- reading
	virtual Result<uint64_t> count_samples(uint64_t server_id) = 0;
	// Reports of every server stored with ts_ms >= since_ms (the agents' clocks): /fleet's reports
	// per second. One walk of the (server_id, ts_ms) index per server, never a scan of the table.
	virtual Result<uint64_t> count_reports_since(int64_t since_ms) = 0;
	virtual Result<std::vector<SampleRow>> samples(uint64_t server_id, int64_t from_ms, int64_t to_ms) = 0;
	virtual Result<std::optional<LatestReport>> latest(uint64_t server_id) = 0;
	// Many servers at once (the dashboard's list, its live updates, Prometheus): one reader
	// connection and one statement for all, out[i] for server_ids[i]. As latest(), without the
	// slow sections (top processes, TCP states: only one server's detail shows them).
	virtual Result<std::vector<std::optional<LatestReport>>>
	latest_of(std::span<const uint64_t> server_ids) = 0;
	// The alert states and the tags of many servers in one read each, by server.
	virtual Result<std::vector<AlertState>> alert_states_of(std::span<const uint64_t> server_ids) = 0;
	virtual Result<std::vector<ServerTag>> server_tags_of(std::span<const uint64_t> server_ids) = 0;
	// Devices seen in the roll-ups and in the newest report.
	virtual Result<std::vector<DeviceInfo>> list_devices(uint64_t server_id) = 0;
	// A chart's data. Without q.tier the tier is the finest one that both fits the range in about
	// max_points buckets and still covers from_ms under the retention; the part of the range not
	// rolled up yet is aggregated from the finer tier on the fly.
	virtual Result<Series> series(const SeriesQuery& q) = 0;

	// -- users and roles
	virtual Result<bool> create_user(const User& user) = 0; // false: the id exists (unchanged)
	virtual Result<std::optional<User>> find_user(int64_t telegram_id) = 0;
	virtual Result<std::vector<User>> list_users() = 0;
	virtual Result<bool> update_user(const User& user) = 0; // false: no such user
	// False if no such user; an error names an unknown role.
	virtual Result<bool> set_user_role(int64_t telegram_id, const std::string& role) = 0;
	virtual Result<std::vector<Role>> list_roles() = 0;
	virtual Result<void> put_role(const Role& role) = 0; // insert or replace

	// -- alerts
	virtual Result<uint64_t> create_alert_rule(const AlertRule& rule) = 0;
	virtual Result<bool> update_alert_rule(const AlertRule& rule) = 0;
	virtual Result<bool> delete_alert_rule(uint64_t id) = 0;
	// Every rule, or those of one owner.
	virtual Result<std::vector<AlertRule>> list_alert_rules(std::optional<int64_t> owner_chat) = 0;
	virtual Result<std::vector<AlertState>> alert_states(uint64_t server_id) = 0;
	virtual Result<void> put_alert_state(const AlertState& state) = 0; // insert or replace
	// The alert engine's write after each decision: the states (insert or replace) and the
	// notices in ONE transaction, so a crash never keeps a notice without its state or the
	// reverse. A message whose dedupe_key is already in the outbox (queued, sent or dead) is
	// skipped: an alert notice goes out at most once however often it is recorded.
	virtual Result<void> record_alerts(const std::vector<AlertState>& states,
	                                   const std::vector<OutboxMessage>& messages) = 0;

	// -- chat notification settings, snoozes and mutes
	// The chat's settings; the defaults above (chat_id set) if it never changed any.
	virtual Result<ChatSettings> chat_settings(int64_t chat_id) = 0;
	virtual Result<void> put_chat_settings(const ChatSettings& settings) = 0; // insert or replace
	virtual Result<uint64_t> add_silence(const AlertSilence& silence) = 0;
	// The chat's silences still in force at now_ms (mutes always), oldest first.
	virtual Result<std::vector<AlertSilence>> silences(int64_t chat_id, int64_t now_ms) = 0;
	// False if no such silence in that chat (a chat can lift only its own).
	virtual Result<bool> delete_silence(uint64_t id, int64_t chat_id) = 0;

	// -- events
	virtual Result<uint64_t> add_event(const Event& event) = 0;
	virtual Result<std::vector<Event>> list_events(const EventQuery& q) = 0;
	virtual Result<std::vector<Event>> unhandled_events(size_t limit) = 0; // oldest first
	virtual Result<bool> mark_event_handled(uint64_t id, int64_t now_ms) = 0;

	// -- the bot's outbox
	// Returns the new id, or the id of the queued message with the same dedupe_key.
	virtual Result<uint64_t> enqueue_message(const OutboxMessage& m) = 0;
	// Queued messages whose next attempt is due, oldest first.
	virtual Result<std::vector<OutboxMessage>> due_messages(int64_t now_ms, size_t limit) = 0;
	virtual Result<bool> mark_sent(uint64_t id, int64_t now_ms,
	                               std::optional<int64_t> telegram_message_id) = 0;
	// One more failed attempt; tried again at next_attempt_ms.
	virtual Result<bool> mark_retry(uint64_t id, int64_t next_attempt_ms, const std::string& error) = 0;
	virtual Result<bool> mark_dead(uint64_t id, int64_t now_ms, const std::string& error) = 0;
	virtual Result<uint64_t> outbox_depth() = 0; // queued messages (for /metrics)
	// created_ms of the oldest queued message, empty if none: how far behind the sender is.
	virtual Result<std::optional<int64_t>> oldest_queued_ms() = 0;
	// The newest message with this dedupe_key in any state (an alert's firing notice, found by its
	// recovery to reply to it), or nothing.
	virtual Result<std::optional<OutboxMessage>> find_message(const std::string& dedupe_key) = 0;
	// Messages in any state whose dedupe_key starts with key_prefix, created at or after
	// created_from_ms, oldest first (the digest's day of alerts: "alert:<server id>:"). A range
	// over the dedupe index: cost in the rows under the prefix, never a scan of the outbox.
	virtual Result<std::vector<OutboxMessage>> messages_with_key_prefix(const std::string& key_prefix,
	                                                                    int64_t created_from_ms) = 0;

	// -- group members the bot has seen (who used it in which group) and the groups' titles
	// The user used the bot in the group: inserts or refreshes the pair's seen_ms and the group's
	// title and seen_ms, in one transaction.
	virtual Result<void> note_chat_member(int64_t chat_id, int64_t user_id, const std::string& title,
	                                      int64_t now_ms) = 0;
	// The group's title as last noted; empty if the bot never noted anyone there.
	virtual Result<std::optional<std::string>> group_chat_title(int64_t chat_id) = 0;

	// -- the bot's own small state that must survive a restart (e.g. the last handled update_id)
	virtual Result<std::optional<std::string>> bot_state(const std::string& key) = 0;
	virtual Result<void> set_bot_state(const std::string& key, const std::string& value) = 0;

	// -- web logins (sessions and tokens of one user are only ever listed or revoked by that user)
	virtual Result<void> create_login_link(const std::string& token_hash, int64_t user_id, int64_t now_ms,
	                                       int64_t expires_ms) = 0;
	// Spends the link at once: its user if it was unused and not expired at now_ms; empty if it is
	// unknown, spent (a second spend always fails) or expired.
	virtual Result<std::optional<int64_t>> spend_login_link(const std::string& token_hash,
	                                                        int64_t now_ms) = 0;
	// The user a link was made for, spent or expired or not, while its row is kept (expired rows
	// go with prune): only to show the link's pages in that user's language; it logs nobody in.
	virtual Result<std::optional<int64_t>> login_link_user(const std::string& token_hash) = 0;
	virtual Result<uint64_t> create_web_session(const WebSession& session) = 0;
	// The session with this hash that has not expired at now_ms.
	virtual Result<std::optional<WebSession>> find_web_session(const std::string& token_hash,
	                                                           int64_t now_ms) = 0;
	// Sets last_seen_ms unless it was set less than a minute before now_ms (one write a minute at
	// most however often the dashboard asks).
	virtual Result<void> touch_web_session(uint64_t id, int64_t now_ms) = 0;
	virtual Result<std::vector<WebSession>> web_sessions_of(int64_t user_id, int64_t now_ms) = 0;
	// False if no such session of this user.
	virtual Result<bool> revoke_web_session(uint64_t id, int64_t user_id) = 0;
	virtual Result<uint64_t> revoke_web_sessions_of(int64_t user_id) = 0; // how many it ended
	// Deletes expired sessions and login links expired or spent before now_ms; returns the rows.
	virtual Result<uint64_t> purge_web_logins(int64_t now_ms) = 0;
	virtual Result<uint64_t> create_api_token(const ApiToken& token) = 0;
	// The token with this hash unless revoked.
	virtual Result<std::optional<ApiToken>> find_api_token(const std::string& token_hash) = 0;
	virtual Result<void> touch_api_token(uint64_t id, int64_t now_ms) = 0;
	virtual Result<std::vector<ApiToken>> api_tokens_of(int64_t user_id) = 0; // revoked ones too
	// False if no such token of this user, or already revoked.
	virtual Result<bool> revoke_api_token(uint64_t id, int64_t user_id, int64_t now_ms) = 0;

	// -- maintenance (the jobs role and the admin CLI)
	// One bounded step of the roll-ups: raw -> 5 minutes -> 1 hour, plus buckets made stale by
	// late reports. Holds the writer for one small transaction at most.
	virtual Result<RollupProgress> rollup(int64_t now_ms, const RollupLimits& limits) = 0;
	// One bounded step of retention: old rows per tier, events and outbox, deleted servers' data.
	// Never deletes a raw row or 5-minute row that is not rolled up yet.
	virtual Result<PurgeProgress> purge(int64_t now_ms, const PurgeLimits& limits) = 0;
	// Counts every table's rows: an admin command's cost, not a scrape's (see database_bytes).
	virtual Result<StoreStats> stats() = 0;
	// Bytes the database takes on disk now (SQLite: the file and its WAL). Cheap: for /metrics.
	virtual Result<uint64_t> database_bytes() = 0;
	// An online, consistent copy to dest (which must not exist), created 0600 and checked with
	// an integrity check; readers and the writer carry on meanwhile.
	virtual Result<BackupInfo> backup(const std::string& dest) = 0;
};

// Adds a server with a fresh token for it: the id goes into the token, so it is created first
// with a random placeholder key (which no one knows) and the real key set at once. If the second
// step fails the server stays unused and the 30-minute cleanup removes it.
struct Enrollment {
	uint64_t server_id = 0;
	std::string token; // format_token(): shown once, never stored
};
Result<Enrollment> enroll_server(Store& store, std::optional<int64_t> owner_chat, const std::string& name,
                                 int64_t now_ms);
// A new token for an existing server; the old one stops working at once. Empty if no such server.
Result<std::optional<std::string>> rotate_token(Store& store, uint64_t server_id);

} // namespace serversan::store
