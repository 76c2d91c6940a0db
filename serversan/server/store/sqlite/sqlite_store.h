// SQLite engine of the Store interface (internal to store/; callers use store.h).
//
// Durability: WAL with synchronous=FULL, so a commit is on disk before append() returns and
// "acknowledged" means "survives power loss"; append() takes many batches in one transaction so
// the fsync is paid once per group, not once per report (research/reliability.md 3.1).
//
// Connections: one writer connection behind a mutex (SQLite has one writer at a time anyway, and
// a single writing handle never meets SQLITE_BUSY from our own connections), every write a
// BEGIN IMMEDIATE transaction; a small pool of read connections (query_only) for lookups, charts
// and the roll-up job's reading, which WAL lets run beside the writer. busy_timeout is set on
// every connection: it is per connection. Backups use a connection of their own.
//
// The implementation is split by concern: sqlite_store.cpp (opening, migrations, servers,
// ingest, reads), sqlite_series.cpp (charts), sqlite_people.cpp (users, roles, alerts, events,
// outbox), sqlite_web.cpp (the dashboard's logins), sqlite_maintenance.cpp (roll-ups, retention,
// stats, backup).
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "serversan/server/store/key_box.h"
#include "serversan/server/store/metrics.h"
#include "serversan/server/store/rollup_math.h"
#include "serversan/server/store/sqlite/sqlite_db.h"
#include "serversan/server/store/store.h"

namespace serversan::store::sqlite {

// Roll-up row keys: (owner << 24) | bucket index. 24 bits of 5-minute buckets reach year 2129.
inline constexpr int kBucketBits = 24;
inline int64_t tier_key(uint64_t owner, int64_t bucket_ms, int64_t width_ms) {
	return static_cast<int64_t>(owner << kBucketBits) | (bucket_ms / width_ms);
}

// Read connections, opened on demand up to a maximum; acquire() waits when all are busy.
class ReaderPool {
public:
	ReaderPool(std::string path, int max) : path_(std::move(path)), max_(max < 1 ? 1 : max) {}
	class Lease {
	public:
		Lease(ReaderPool* pool, Db* db) : pool_(pool), db_(db) {}
		Lease(Lease&& o) noexcept : pool_(o.pool_), db_(o.db_) { o.db_ = nullptr; }
		Lease(const Lease&) = delete;
		Lease& operator=(const Lease&) = delete;
		~Lease();
		Db& operator*() { return *db_; }
		Db* operator->() { return db_; }

	private:
		ReaderPool* pool_;
		Db* db_;
	};
	Result<Lease> acquire();

private:
	void release(Db* db);
	std::string path_;
	int max_;
	std::mutex mu_;
	std::condition_variable cv_;
	std::vector<std::unique_ptr<Db>> all_;
	std::vector<Db*> free_;
};

// One roll-up tier's bucket of one owner (server or device), while aggregating.
template <size_t N>
struct BucketAgg {
	int64_t n = 0;
	std::array<Agg, N> v;
};

// One point of a chart while it is read: a bucket (or a raw sample) with the stats of the value
// and of the denominator of a derived percentage.
struct SeriesCell {
	int64_t ts = 0;
	int64_t n = 0;
	std::optional<Stat> a, b;
};
// What a chart reads: main columns, or one device's slots.
struct SeriesSelector {
	const MetricInfo* metric = nullptr;
	std::optional<DeviceKind> kind; // set: one device's slots
	std::string device;
	int a = -1, b = -1; // column or slot indexes
};

class SqliteStore final : public Store {
public:
	SqliteStore(StoreOptions options, Db writer, KeyBox box);
	// Pragmas, migrations (unless max_version stops them) and in-memory state.
	Result<void> init();

	Result<void> migrate() override;
	Result<int> schema_version() override;

	Result<uint64_t> create_server(std::optional<int64_t> owner_chat, const std::string& name,
	                               const SigningKey& key, int64_t now_ms) override;
	Result<std::optional<ServerRecord>> find_server(uint64_t id) override;
	Result<std::vector<ServerRecord>> list_servers() override;
	Result<std::vector<ServerRecord>> servers_of(int64_t owner_chat) override;
	Result<std::vector<int64_t>> server_group_chats(int64_t user_id) override;
	Result<bool> set_signing_key(uint64_t id, const SigningKey& key) override;
	Result<bool> rename_server(uint64_t id, const std::string& name) override;
	Result<bool> set_server_alert_chat(uint64_t id, std::optional<int64_t> chat) override;
	Result<bool> set_server_tags(uint64_t id, const std::vector<std::string>& tags) override;
	Result<std::vector<std::string>> server_tags(uint64_t id) override;
	Result<std::vector<ServerTag>> chat_server_tags(std::optional<int64_t> owner_chat) override;
	Result<bool> delete_server(uint64_t id) override;
	Result<std::vector<ServerRecord>> delete_unused_servers(int64_t created_before_ms,
	                                                        int64_t now_ms) override;

	Result<std::vector<IngestOutcome>> append(const std::vector<IngestBatch>& batches) override;

	Result<uint64_t> count_samples(uint64_t server_id) override;
	Result<uint64_t> count_reports_since(int64_t since_ms) override;
	Result<std::vector<SampleRow>> samples(uint64_t server_id, int64_t from_ms, int64_t to_ms) override;
	Result<std::optional<LatestReport>> latest(uint64_t server_id) override;
	Result<std::vector<std::optional<LatestReport>>> latest_of(std::span<const uint64_t> server_ids) override;
	Result<std::vector<AlertState>> alert_states_of(std::span<const uint64_t> server_ids) override;
	Result<std::vector<ServerTag>> server_tags_of(std::span<const uint64_t> server_ids) override;
	Result<std::vector<DeviceInfo>> list_devices(uint64_t server_id) override;
	Result<Series> series(const SeriesQuery& q) override;

	Result<bool> create_user(const User& user) override;
	Result<std::optional<User>> find_user(int64_t telegram_id) override;
	Result<std::vector<User>> list_users() override;
	Result<bool> update_user(const User& user) override;
	Result<bool> set_user_role(int64_t telegram_id, const std::string& role) override;
	Result<std::vector<Role>> list_roles() override;
	Result<void> put_role(const Role& role) override;

	Result<uint64_t> create_alert_rule(const AlertRule& rule) override;
	Result<bool> update_alert_rule(const AlertRule& rule) override;
	Result<bool> delete_alert_rule(uint64_t id) override;
	Result<std::vector<AlertRule>> list_alert_rules(std::optional<int64_t> owner_chat) override;
	Result<std::vector<AlertState>> alert_states(uint64_t server_id) override;
	Result<void> put_alert_state(const AlertState& state) override;
	Result<void> record_alerts(const std::vector<AlertState>& states,
	                           const std::vector<OutboxMessage>& messages) override;

	Result<ChatSettings> chat_settings(int64_t chat_id) override;
	Result<void> put_chat_settings(const ChatSettings& settings) override;
	Result<uint64_t> add_silence(const AlertSilence& silence) override;
	Result<std::vector<AlertSilence>> silences(int64_t chat_id, int64_t now_ms) override;
	Result<bool> delete_silence(uint64_t id, int64_t chat_id) override;

	Result<uint64_t> add_event(const Event& event) override;
	Result<std::vector<Event>> list_events(const EventQuery& q) override;
	Result<std::vector<Event>> unhandled_events(size_t limit) override;
	Result<bool> mark_event_handled(uint64_t id, int64_t now_ms) override;

	Result<uint64_t> enqueue_message(const OutboxMessage& m) override;
	Result<std::vector<OutboxMessage>> due_messages(int64_t now_ms, size_t limit) override;
	Result<bool> mark_sent(uint64_t id, int64_t now_ms, std::optional<int64_t> telegram_message_id) override;
	Result<bool> mark_retry(uint64_t id, int64_t next_attempt_ms, const std::string& error) override;
	Result<bool> mark_dead(uint64_t id, int64_t now_ms, const std::string& error) override;
	Result<uint64_t> outbox_depth() override;
	Result<std::optional<int64_t>> oldest_queued_ms() override;
	Result<std::optional<OutboxMessage>> find_message(const std::string& dedupe_key) override;
	Result<std::vector<OutboxMessage>> messages_with_key_prefix(const std::string& key_prefix,
	                                                            int64_t created_from_ms) override;

	Result<void> note_chat_member(int64_t chat_id, int64_t user_id, const std::string& title,
	                              int64_t now_ms) override;
	Result<std::optional<std::string>> group_chat_title(int64_t chat_id) override;

	Result<std::optional<std::string>> bot_state(const std::string& key) override;
	Result<void> set_bot_state(const std::string& key, const std::string& value) override;

	Result<void> create_login_link(const std::string& token_hash, int64_t user_id, int64_t now_ms,
	                               int64_t expires_ms) override;
	Result<std::optional<int64_t>> spend_login_link(const std::string& token_hash, int64_t now_ms) override;
	Result<std::optional<int64_t>> login_link_user(const std::string& token_hash) override;
	Result<uint64_t> create_web_session(const WebSession& session) override;
	Result<std::optional<WebSession>> find_web_session(const std::string& token_hash,
	                                                   int64_t now_ms) override;
	Result<void> touch_web_session(uint64_t id, int64_t now_ms) override;
	Result<std::vector<WebSession>> web_sessions_of(int64_t user_id, int64_t now_ms) override;
	Result<bool> revoke_web_session(uint64_t id, int64_t user_id) override;
	Result<uint64_t> revoke_web_sessions_of(int64_t user_id) override;
	Result<uint64_t> purge_web_logins(int64_t now_ms) override;
	Result<uint64_t> create_api_token(const ApiToken& token) override;
	Result<std::optional<ApiToken>> find_api_token(const std::string& token_hash) override;
	Result<void> touch_api_token(uint64_t id, int64_t now_ms) override;
	Result<std::vector<ApiToken>> api_tokens_of(int64_t user_id) override;
	Result<bool> revoke_api_token(uint64_t id, int64_t user_id, int64_t now_ms) override;

	Result<RollupProgress> rollup(int64_t now_ms, const RollupLimits& limits) override;
	Result<PurgeProgress> purge(int64_t now_ms, const PurgeLimits& limits) override;
	Result<StoreStats> stats() override;
	Result<uint64_t> database_bytes() override;
	Result<BackupInfo> backup(const std::string& dest) override;

private:
	// -- sqlite_store.cpp
	Result<int> version_locked();
	Result<void> migrate_locked();
	Result<void> backup_before_migrate(int from_version);
	Result<void> check_ready() const;
	Result<std::vector<ServerRecord>> read_servers(Db& db, std::string_view where, std::optional<int64_t> arg,
	                                               bool lenient_keys);
	Result<void> delete_server_locked(uint64_t id, bool& deleted);
	// -- sqlite_tags.cpp
	Result<std::vector<ServerTag>> read_tags(std::string_view where, std::optional<int64_t> arg);
	Result<std::vector<IngestOutcome>> append_locked(const std::vector<IngestBatch>& batches);
	Result<void> insert_sample(uint64_t server_id, const Report& r);
	Result<void> load_watermarks();

	// -- sqlite_people.cpp
	// A read on a pooled reader connection: readiness check, reader checkout, then query().
	template <typename T, typename Bind, typename Read>
	Result<std::vector<T>> read_rows(std::string_view sql, Bind&& bind, Read&& read);
	// The same query (its ?1 a server id) for each id, on one reader: the rows of all, in order.
	template <typename T, typename Read>
	Result<std::vector<T>> read_rows_of(std::string_view sql, std::span<const uint64_t> ids, Read&& read);
	// -- sqlite_store.cpp: latest() on a given connection; slow: with the slow sections.
	Result<std::optional<LatestReport>> latest_on(Db& db, uint64_t server_id, bool slow);
	// One write statement on its own: writer lock, readiness check, then write(); the rows changed.
	template <typename Bind>
	Result<int> write_one(std::string_view sql, Bind&& bind);
	// Several writes as one: writer lock, readiness check, a transaction around body() (returning
	// a Result), committed when it succeeds and rolled back (Tx's destructor) when it fails.
	template <typename Body>
	auto in_write_tx(Body&& body) -> decltype(body());

	// -- sqlite_maintenance.cpp
	struct TierCursor {
		int64_t window_end = 0; // the window being rolled up; 0: none
		int64_t after_id = 0;   // servers done in it
	};
	Result<std::optional<int64_t>> meta_i64(Db& db, std::string_view key);
	Result<void> set_meta_i64(Db& db, std::string_view key, int64_t v);
	// What a roll-up step computed for one server: buckets of server-wide values, and buckets of
	// each device (by name when read from raw samples, by device id when read from a tier).
	struct Rolled {
		std::map<int64_t, BucketAgg<kMainColumnCount>> main;
		std::map<std::pair<int, std::string>, std::map<int64_t, BucketAgg<kDeviceSlots>>> dev_by_name;
		std::map<int64_t, std::map<int64_t, BucketAgg<kDeviceSlots>>> dev_by_id;
		std::map<int64_t, DeviceKind> kind_of_id;
		size_t rows() const;
	};
	Result<void> aggregate_source(Db& db, Tier tier, uint64_t server_id, int64_t from_ms, int64_t to_ms,
	                              Rolled& out);
	Result<size_t> write_rolled(Tier tier, uint64_t server_id, const Rolled& r);
	Result<bool> rollup_window(Tier tier, int64_t now_ms, const RollupLimits& limits, RollupProgress& p);
	Result<bool> rollup_dirty(Tier tier, int64_t now_ms, const RollupLimits& limits, RollupProgress& p);
	Result<void> init_watermarks(int64_t now_ms);
	Result<PurgeProgress> purge_locked(int64_t now_ms, const PurgeLimits& limits);

	// -- sqlite_series.cpp
	Result<std::vector<SeriesCell>> read_cells(Db& db, Tier tier, uint64_t server_id,
	                                           const SeriesSelector& sel, std::optional<int64_t> device_id,
	                                           int64_t from_ms, int64_t to_ms, size_t& skipped);

	StoreOptions opts_;
	KeyBox box_;
	std::mutex wmu_; // the writer
	Db w_;
	ReaderPool readers_;
	bool ready_ = false; // migrated to the latest version
	std::mutex jmu_;     // roll-up and purge state (one job at a time)
	TierCursor cur5_, cur1h_;
	int64_t purge_after_id_ = 0;
	// Everything before these is rolled up (kept in meta); rolling5_ >= wm5_ is the end of the
	// window the job is reading now. A report older than rolling5_ marks its bucket dirty.
	std::atomic<int64_t> wm5_{0}, wm1h_{0}, rolling5_{0};
	// Reused by append (under wmu_) to avoid an allocation per report.
	std::string blob_;
	// When each server's full snapshot was last written (under wmu_); lost on restart, which only
	// means one early snapshot per server.
	std::unordered_map<uint64_t, int64_t> snapshot_ms_;
	std::vector<std::pair<uint64_t, int64_t>> snapshot_pending_;
	// Servers whose last_seen is known to be set (under wmu_; added after the commit that set
	// it): append() checks their key version with the last-seen update instead of a read first.
	std::unordered_set<uint64_t> reported_;
	std::vector<uint64_t> reported_pending_;
};

} // namespace serversan::store::sqlite

namespace serversan::store::sqlite {
// Opens and migrates the database options.path names (see store.h, open_store).
Result<std::unique_ptr<Store>> open(const StoreOptions& options);
// The default key file of a database: <directory of path>/keys/store.key.
std::string default_key_file(const std::string& db_path);
// Copies the database at `source` to `dest` in short steps on a connection of its own
// (sqlite_backup.cpp; SqliteStore::backup steps on the writer instead): the file is created 0600
// before anything is written to it, must not exist, and is checked with PRAGMA integrity_check
// (a copy that fails it is removed).
Result<BackupInfo> backup_file(const std::string& source, const std::string& dest);
} // namespace serversan::store::sqlite
