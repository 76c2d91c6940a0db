// Opening and migrating the SQLite store, servers, ingest (append) and the simple reads.
#include "serversan/server/store/sqlite/sqlite_store.h"

#include <algorithm>
#include <fcntl.h>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <unistd.h>

#include <fmt/format.h>

#include "serversan/core/log.h"
#include "serversan/core/seq_window.h"
#include "serversan/server/store/device_blob.h"
#include "serversan/server/store/sqlite/sqlite_rows.h"
#include "serversan/server/store/sqlite/sqlite_schema.h"
#include "serversan/server/store/stored_report.h"

namespace serversan::store::sqlite {

namespace {

constexpr const char* kServerColumns =
    "id, owner_chat, name, key_box, created_ms, last_seen_ms, agent_version, host_ms, hostname, os_name, "
    "os_version, kernel, arch, cpu_model, virtualization, cpu_logical, cpu_physical, cpu_mhz, boot_time, "
    "key_version, alert_chat";

int latest_version() {
	return static_cast<int>(migrations().size());
}

Result<void> exec_all(Db& db, std::initializer_list<const char*> sqls) {
	for (const char* sql : sqls)
		if (auto r = db.exec(sql); !r.ok())
			return r;
	return Ok();
}

std::string insert_sample_sql() {
	std::string cols, marks;
	for (std::string_view c : kMainColumns) {
		cols += fmt::format(", {}", c);
		marks += ",?";
	}
	return fmt::format("INSERT INTO samples(server_id, ts_ms, seq{}, dev) VALUES(?,?,?{},?)", cols, marks);
}

} // namespace

// ---- ReaderPool ----------------------------------------------------------------------------

ReaderPool::Lease::~Lease() {
	if (db_)
		pool_->release(db_);
}

Result<ReaderPool::Lease> ReaderPool::acquire() {
	std::unique_lock lock(mu_);
	while (true) {
		if (!free_.empty()) {
			Db* db = free_.back();
			free_.pop_back();
			return Lease(this, db);
		}
		if (static_cast<int>(all_.size()) < max_) {
			auto db = Db::open(path_);
			if (!db.ok())
				return db.error();
			// query_only: a read connection can never write by mistake; busy_timeout: it is per
			// connection, and a reader may meet a checkpoint or a backup's lock for a moment.
			if (auto r = exec_all(*db, {"PRAGMA busy_timeout=5000", "PRAGMA query_only=1"}); !r.ok())
				return r.error();
			all_.push_back(std::make_unique<Db>(std::move(*db)));
			return Lease(this, all_.back().get());
		}
		cv_.wait(lock);
	}
}

void ReaderPool::release(Db* db) {
	{
		std::lock_guard lock(mu_);
		free_.push_back(db);
	}
	cv_.notify_one();
}

// ---- Opening and migrations ----------------------------------------------------------------

std::string default_key_file(const std::string& db_path) {
	std::filesystem::path dir = std::filesystem::path(db_path).parent_path();
	return (dir / "keys" / "store.key").string();
}

SqliteStore::SqliteStore(StoreOptions options, Db writer, KeyBox box)
    : opts_(std::move(options)), box_(std::move(box)), w_(std::move(writer)),
      readers_(opts_.path, opts_.readers) {}

Result<void> SqliteStore::init() {
	// FAST: deleted content is zeroed where that costs no extra I/O; signing keys are sealed, so
	// nothing secret depends on it, and retention deletes stay cheap.
	if (auto r = exec_all(w_, {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON",
	                           "PRAGMA secure_delete=FAST"});
	    !r.ok())
		return r;
	int checkpoint_pages = std::max(1, opts_.wal_checkpoint_pages);
	if (auto r = w_.exec(fmt::format("PRAGMA wal_autocheckpoint={}", checkpoint_pages)); !r.ok())
		return r;
	// SQLite keeps the WAL file at the largest size it ever reached; after a long reader (a backup
	// copied in one pass, a slow query) held back the checkpoints, that can be hundreds of MB. At
	// its next reset the writer cuts it back to twice the checkpoint size (never in normal running,
	// where it stays near one checkpoint).
	auto page_size = w_.scalar("PRAGMA page_size");
	if (!page_size.ok())
		return page_size.error();
	if (auto r =
	        w_.exec(fmt::format("PRAGMA journal_size_limit={}", 2 * int64_t{checkpoint_pages} * *page_size));
	    !r.ok())
		return r;
	std::lock_guard lock(wmu_);
	if (opts_.migrate_on_open) {
		if (auto r = migrate_locked(); !r.ok())
			return r;
	} else {
		auto v = version_locked();
		if (!v.ok())
			return v.error();
		ready_ = *v == latest_version();
	}
	if (ready_)
		return load_watermarks();
	return Ok();
}

Result<int> SqliteStore::version_locked() {
	auto v = w_.scalar("PRAGMA user_version");
	if (!v.ok())
		return v.error();
	return static_cast<int>(*v);
}

Result<int> SqliteStore::schema_version() {
	std::lock_guard lock(wmu_);
	return version_locked();
}

Result<void> SqliteStore::migrate() {
	std::lock_guard lock(wmu_);
	if (auto r = migrate_locked(); !r.ok())
		return r;
	if (ready_)
		return load_watermarks();
	return Ok();
}

Result<void> SqliteStore::check_ready() const {
	if (!ready_)
		return Err("the store is not at the latest schema version (opened with max_version)");
	return Ok();
}

Result<void> SqliteStore::backup_before_migrate(int from_version) {
	std::string dest = fmt::format("{}.v{}.bak", opts_.path, from_version);
	for (int n = 2; std::filesystem::exists(dest); ++n)
		dest = fmt::format("{}.v{}.{}.bak", opts_.path, from_version, n);
	auto b = backup_file(opts_.path, dest);
	if (!b.ok())
		return Err(fmt::format("backup before migrating failed: {}", b.error().message));
	log::info("store: copied schema version {} to {} before migrating", from_version, dest);
	if (from_version < 2)
		log::warn("store: {} holds the signing keys in clear (schema 1); delete it once the upgrade is "
		          "verified",
		          dest);
	return Ok();
}

Result<void> SqliteStore::migrate_locked() {
	auto v = version_locked();
	if (!v.ok())
		return v.error();
	int latest = latest_version();
	if (*v > latest)
		return Err(fmt::format("the database has schema version {}, newer than this binary supports ({}); "
		                       "run a newer serversan-server or restore a backup",
		                       *v, latest));
	int target = opts_.max_version > 0 ? std::min(opts_.max_version, latest) : latest;
	if (*v < target) {
		if (*v > 0 && opts_.backup_before_migrate)
			if (auto r = backup_before_migrate(*v); !r.ok())
				return r;
		// Rebuilding a table (drop, rename) must not cascade into its children: foreign keys are
		// off while migrating (it cannot change inside a transaction) and checked before commit.
		// secure_delete=ON zeroes every page a migration frees, dropped tables included: schema 1
		// kept signing keys in clear, and they must not survive in free pages.
		if (auto r = exec_all(w_, {"PRAGMA foreign_keys=OFF", "PRAGMA secure_delete=ON"}); !r.ok())
			return r;
		auto migrations_list = migrations();
		for (int i = *v; i < target; ++i) {
			const Migration& m = migrations_list[static_cast<size_t>(i)];
			Tx tx(w_);
			auto r = tx.begin();
			if (r.ok())
				r = w_.exec(m.sql);
			if (r.ok() && m.hook)
				r = m.hook(w_, box_);
			if (r.ok() && m.sql_after)
				r = w_.exec(m.sql_after);
			if (r.ok())
				r = w_.exec(fmt::format("PRAGMA user_version={}", i + 1));
			if (r.ok()) {
				auto fk = w_.prepare("PRAGMA foreign_key_check");
				if (!fk.ok())
					r = fk.error();
				else if (auto row = fk->step(); !row.ok())
					r = row.error();
				else if (*row)
					r = Err(fmt::format("table {} breaks a foreign key", fk->text(0)));
			}
			if (r.ok())
				r = tx.commit();
			if (!r.ok()) {
				(void)exec_all(w_, {"PRAGMA foreign_keys=ON", "PRAGMA secure_delete=FAST"});
				return Err(fmt::format("migration to schema version {} failed (nothing was changed): {}",
				                       i + 1, r.error().message));
			}
			log::info("store: migrated {} to schema version {}", opts_.path, i + 1);
		}
		if (auto r = exec_all(w_, {"PRAGMA foreign_keys=ON", "PRAGMA secure_delete=FAST"}); !r.ok())
			return r;
		// Move the migrated pages into the main file now, so that no old page version (schema 1
		// kept keys in clear) lingers in the WAL.
		if (auto r = w_.exec("PRAGMA wal_checkpoint(TRUNCATE)"); !r.ok())
			return r;
		v = target;
	}
	ready_ = *v == latest;
	return Ok();
}

Result<std::unique_ptr<Store>> open(const StoreOptions& options) {
	if (options.path.empty())
		return Err("no database path");
	const std::string& path = options.path;
	if (auto r = check_plain_path(path); !r.ok())
		return r.error(); // before anything is created under that name
	// A new database is created 0600 (SQLite gives its -wal and -shm files the same mode): it
	// holds users, addresses and process names, even if no key in clear.
	if (int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600); fd >= 0)
		::close(fd);
	auto db = Db::open(path);
	if (!db.ok())
		return db.error();
	auto fail = [&](const Error& e) { return Err(fmt::format("{}: {}", path, e.message)); };
	if (auto r = db->exec("PRAGMA busy_timeout=5000"); !r.ok())
		return fail(r.error());
	auto version = db->scalar("PRAGMA user_version");
	if (!version.ok())
		return fail(version.error());
	if (*version > latest_version())
		return fail(
		    Err(fmt::format("the database has schema version {}, newer than this binary supports ({}); "
		                    "run a newer serversan-server or restore a backup",
		                    *version, latest_version())));
	// Which store key the database needs (schema 2 on). A database that has one never gets a new
	// key file silently: that would turn every agent's key into noise.
	std::optional<std::string> want_key;
	if (*version >= 2) {
		auto st = db->prepare("SELECT value FROM meta WHERE key = 'store_key_id'");
		if (!st.ok())
			return fail(st.error());
		auto row = st->step();
		if (!row.ok())
			return fail(row.error());
		if (*row) {
			auto id = st->checked_text(0, "meta store_key_id");
			if (!id.ok())
				return fail(id.error());
			want_key = *id;
		}
	}
	std::string key_file = options.key_file.empty() ? default_key_file(path) : options.key_file;
	auto box = KeyBox::load(key_file, !want_key);
	if (!box.ok()) {
		if (want_key)
			return fail(
			    Err(fmt::format("{}; the database's signing keys are sealed with store key {}: restore "
			                    "that key file from your backup (without it no agent can report)",
			                    box.error().message, *want_key)));
		return fail(box.error());
	}
	if (want_key && *want_key != box->key_id())
		return fail(Err(fmt::format("the store key file {} (key {}) is not the one this database was sealed "
		                            "with (key {})",
		                            key_file, box->key_id(), *want_key)));
	auto store = std::make_unique<SqliteStore>(options, std::move(*db), std::move(*box));
	if (auto r = store->init(); !r.ok())
		return fail(r.error());
	return std::unique_ptr<Store>(std::move(store));
}

// ---- Servers -------------------------------------------------------------------------------

Result<std::vector<ServerRecord>> SqliteStore::read_servers(Db& db, std::string_view where,
                                                            std::optional<int64_t> arg, bool lenient_keys) {
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto st = db.cached(fmt::format("SELECT {} FROM servers {}", kServerColumns, where));
	if (!st.ok())
		return st.error();
	Stmt& s = **st;
	StmtScope scope(s);
	if (arg)
		s.bind(1, *arg);
	std::vector<ServerRecord> out;
	while (true) {
		auto row = s.step();
		if (!row.ok())
			return row.error();
		if (!*row)
			break;
		ServerRecord r;
		r.id = static_cast<uint64_t>(s.i64(0));
		r.owner_chat = s.opt_i64(1);
		r.name = s.text(2);
		auto key = box_.open(s.blob_view(3), r.id);
		if (key.ok()) {
			r.signing_key = *key;
		} else if (lenient_keys) {
			r.key_ok = false;
		} else {
			return Err(fmt::format("server {}: {}", r.id, key.error().message));
		}
		r.created_ms = s.i64(4);
		r.key_version = static_cast<uint64_t>(s.i64(19));
		r.alert_chat = s.opt_i64(20);
		r.last_seen_ms = s.opt_i64(5);
		r.agent_version = s.text(6);
		r.host_ms = s.opt_i64(7);
		if (r.host_ms) {
			HostFacts h;
			h.hostname = s.text(8);
			h.os_name = s.text(9);
			h.os_version = s.text(10);
			h.kernel = s.text(11);
			h.arch = s.text(12);
			h.cpu_model = s.text(13);
			h.virtualization = s.text(14);
			h.agent_version = r.agent_version;
			if (auto v = s.opt_i64(15))
				h.cpu_logical = static_cast<uint32_t>(*v);
			if (auto v = s.opt_i64(16))
				h.cpu_physical = static_cast<uint32_t>(*v);
			h.cpu_mhz = s.opt_f64(17);
			h.boot_time = s.opt_i64(18);
			r.host = std::move(h);
		}
		out.push_back(std::move(r));
	}
	return out;
}

Result<uint64_t> SqliteStore::create_server(std::optional<int64_t> owner_chat, const std::string& name,
                                            const SigningKey& key, int64_t now_ms) {
	return in_write_tx([&]() -> Result<uint64_t> {
		// The sealed key names the server id, which exists only after the insert: both in one
		// transaction, so no row is ever visible without its key.
		auto ins = w_.cached("INSERT INTO servers(owner_chat, name, key_box, created_ms) VALUES(?,?,x'',?)");
		if (!ins.ok())
			return ins.error();
		(*ins)->bind_opt(1, owner_chat).bind(2, std::string_view(name)).bind(3, now_ms);
		if (auto r = (*ins)->run(); !r.ok())
			return r.error();
		auto id = static_cast<uint64_t>(w_.last_insert_rowid());
		auto upd = w_.cached("UPDATE servers SET key_box = ? WHERE id = ?");
		if (!upd.ok())
			return upd.error();
		(*upd)->bind_blob(1, std::string_view(box_.seal(key, id))).bind(2, static_cast<int64_t>(id));
		if (auto r = (*upd)->run(); !r.ok())
			return r.error();
		return id;
	});
}

Result<std::optional<ServerRecord>> SqliteStore::find_server(uint64_t id) {
	auto db = readers_.acquire();
	if (!db.ok())
		return db.error();
	auto rows = read_servers(**db, "WHERE id = ?", static_cast<int64_t>(id), false);
	if (!rows.ok())
		return rows.error();
	if (rows->empty())
		return std::optional<ServerRecord>{};
	return std::optional<ServerRecord>{std::move(rows->front())};
}

Result<std::vector<ServerRecord>> SqliteStore::list_servers() {
	auto db = readers_.acquire();
	if (!db.ok())
		return db.error();
	return read_servers(**db, "ORDER BY id", std::nullopt, true);
}

Result<std::vector<ServerRecord>> SqliteStore::servers_of(int64_t owner_chat) {
	auto db = readers_.acquire();
	if (!db.ok())
		return db.error();
	return read_servers(**db, "WHERE owner_chat = ? ORDER BY id", owner_chat, true);
}

Result<bool> SqliteStore::set_signing_key(uint64_t id, const SigningKey& key) {
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto st = w_.cached("UPDATE servers SET key_box = ?, key_version = key_version + 1 WHERE id = ?");
	if (!st.ok())
		return st.error();
	(*st)->bind_blob(1, std::string_view(box_.seal(key, id))).bind(2, static_cast<int64_t>(id));
	if (auto r = (*st)->run(); !r.ok())
		return r.error();
	return w_.changes() > 0;
}

Result<bool> SqliteStore::rename_server(uint64_t id, const std::string& name) {
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto st = w_.cached("UPDATE servers SET name = ? WHERE id = ?");
	if (!st.ok())
		return st.error();
	(*st)->bind(1, std::string_view(name)).bind(2, static_cast<int64_t>(id));
	if (auto r = (*st)->run(); !r.ok())
		return r.error();
	return w_.changes() > 0;
}

Result<void> SqliteStore::delete_server_locked(uint64_t id, bool& deleted) {
	reported_.erase(id);
	// The row goes at once (its token dies with it; streams, the latest report, alert rules and
	// states follow by ON DELETE CASCADE; the chats' silences of it are deleted here). Its time series can be
	// large: purge() deletes them in small batches, so this never holds the writer for long.
	auto del = w_.cached("DELETE FROM servers WHERE id = ?");
	if (!del.ok())
		return del.error();
	(*del)->bind(1, static_cast<int64_t>(id));
	if (auto r = (*del)->run(); !r.ok())
		return r;
	deleted = w_.changes() > 0;
	if (!deleted)
		return Ok();
	for (const char* sql : {"INSERT OR IGNORE INTO deleted_servers(server_id) VALUES(?)",
	                        "DELETE FROM rollup_dirty WHERE tier IN ('5m', '1h') AND server_id = ?",
	                        "DELETE FROM alert_silences WHERE server_id = ?"}) {
		auto st = w_.cached(sql);
		if (!st.ok())
			return st.error();
		(*st)->bind(1, static_cast<int64_t>(id));
		if (auto r = (*st)->run(); !r.ok())
			return r;
	}
	return Ok();
}

Result<bool> SqliteStore::delete_server(uint64_t id) {
	return in_write_tx([&]() -> Result<bool> {
		bool deleted = false;
		if (auto r = delete_server_locked(id, deleted); !r.ok())
			return r.error();
		return deleted;
	});
}

Result<std::vector<ServerRecord>> SqliteStore::delete_unused_servers(int64_t created_before_ms,
                                                                     int64_t now_ms) {
	return in_write_tx([&]() -> Result<std::vector<ServerRecord>> {
		// Read inside the write transaction: a first report cannot slip in between the choice and the
		// delete.
		auto unused = read_servers(w_, "WHERE last_seen_ms IS NULL AND created_ms < ? ORDER BY id",
		                           created_before_ms, true);
		if (!unused.ok())
			return unused.error();
		auto ev = w_.cached("INSERT INTO events(ts_ms, kind, server_id, owner_chat, server_name, detail) "
		                    "VALUES(?,?,?,?,?,?)");
		if (!ev.ok())
			return ev.error();
		for (ServerRecord& s : *unused) {
			bool deleted = false;
			if (auto r = delete_server_locked(s.id, deleted); !r.ok())
				return r.error();
			(*ev)
			    ->bind(1, now_ms)
			    .bind(2, kEventServerDeletedUnused)
			    .bind(3, static_cast<int64_t>(s.id))
			    .bind_opt(4, s.owner_chat)
			    .bind(5, std::string_view(s.name))
			    .bind(6, std::string_view(fmt::format("added {} min before and never reported",
			                                          (now_ms - s.created_ms) / kMinuteMs)));
			if (auto r = (*ev)->run(); !r.ok())
				return r.error();
			s.signing_key.fill(0);
		}
		return std::move(*unused);
	});
}

// ---- Ingest --------------------------------------------------------------------------------

Result<std::vector<IngestOutcome>> SqliteStore::append(const std::vector<IngestBatch>& batches) {
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	Tx tx(w_);
	if (auto r = tx.begin(); !r.ok())
		return r.error();
	snapshot_pending_.clear();
	reported_pending_.clear();
	auto outcomes = append_locked(batches);
	if (!outcomes.ok())
		return outcomes;
	if (auto r = tx.commit(); !r.ok())
		return r.error();
	// Only what is committed counts as written (a rolled-back snapshot is simply due again).
	for (auto [server_id, ts] : snapshot_pending_)
		snapshot_ms_[server_id] = ts;
	reported_.insert(reported_pending_.begin(), reported_pending_.end());
	return outcomes;
}

Result<void> SqliteStore::insert_sample(uint64_t server_id, const Report& r) {
	static const std::string sql = insert_sample_sql();
	auto st = w_.cached(sql);
	if (!st.ok())
		return st.error();
	Stmt& s = **st;
	MainValues v = main_values(r);
	s.bind(1, static_cast<int64_t>(server_id)).bind(2, r.time_ms).bind(3, static_cast<int64_t>(r.seq));
	for (size_t i = 0; i < kMainColumnCount; ++i)
		s.bind_opt(static_cast<int>(4 + i), v[i]);
	encode_devices(r, blob_);
	int dev = static_cast<int>(4 + kMainColumnCount);
	if (blob_.empty())
		s.bind_null(dev);
	else
		s.bind_blob(dev, std::string_view(blob_));
	return s.run();
}

Result<std::vector<IngestOutcome>> SqliteStore::append_locked(const std::vector<IngestBatch>& batches) {
	std::vector<IngestOutcome> outcomes(batches.size());
	// Windows touched in this transaction, so two batches of one stream in the same group see
	// each other's sequence numbers.
	std::map<std::pair<uint64_t, std::string>, SeqWindow> windows;
	// Per server, the newest report of the group and the newest carrier of each kept section.
	struct Newest {
		const Report* report = nullptr;
		const Report *top_cpu = nullptr, *top_memory = nullptr, *tcp = nullptr, *host = nullptr;
	};
	std::map<uint64_t, Newest> newest;
	auto newer = [](const Report* have, const Report& r) {
		return !have || r.time_ms > have->time_ms || (r.time_ms == have->time_ms && r.seq > have->seq);
	};
	std::vector<std::pair<uint64_t, int64_t>> dirty;
	int64_t late_before = rolling5_.load();

	auto get_stream =
	    w_.cached("SELECT high_seq, window_bits FROM streams WHERE server_id = ? AND stream = ?");
	auto server_row = w_.cached("SELECT last_seen_ms IS NULL, key_version FROM servers WHERE id = ?");
	auto touch =
	    w_.cached("UPDATE servers SET last_seen_ms = max(coalesce(last_seen_ms, 0), ?), agent_version = ? "
	              "WHERE id = ?");
	auto first_event = w_.cached("INSERT INTO events(ts_ms, kind, server_id, owner_chat, server_name) "
	                             "SELECT ?, ?, id, owner_chat, name FROM servers WHERE id = ?");
	// For a server known to have reported (it cannot become "never seen" again), the row check
	// and the last-seen write are one statement: the key version is the update's condition.
	auto touch_checked =
	    w_.cached("UPDATE servers SET last_seen_ms = max(coalesce(last_seen_ms, 0), ?1), agent_version = ?2 "
	              "WHERE id = ?3 AND (?4 IS NULL OR key_version = ?4)");
	for (auto* st : {&get_stream, &server_row, &touch, &first_event, &touch_checked})
		if (!st->ok())
			return st->error();

	for (size_t i = 0; i < batches.size(); ++i) {
		const IngestBatch& in = batches[i];
		// A server deleted after ingest looked it up stores nothing (its token is gone anyway).
		bool first_report = false;
		bool touched = reported_.contains(in.server_id);
		if (touched) {
			// Touched before its reports are known to be new: a batch of duplicates still shows
			// that the agent is alive.
			Stmt& s = **touch_checked;
			s.bind(1, in.received_ms)
			    .bind(2, std::string_view(in.batch.agent_version))
			    .bind(3, static_cast<int64_t>(in.server_id));
			if (in.key_version)
				s.bind(4, static_cast<int64_t>(*in.key_version));
			else
				s.bind_null(4);
			if (auto res = s.run(); !res.ok())
				return res.error();
			if (w_.changes() == 0) { // deleted, or its key changed, since the request was verified
				reported_.erase(in.server_id);
				if (in.key_version)
					outcomes[i].key_changed = true;
				else
					outcomes[i].stale = in.batch.reports.size();
				continue;
			}
		} else {
			Stmt& s = **server_row;
			StmtScope scope(s);
			s.bind(1, static_cast<int64_t>(in.server_id));
			auto row = s.step();
			if (!row.ok())
				return row.error();
			if (!*row) {
				if (in.key_version)
					outcomes[i].key_changed = true;
				else
					outcomes[i].stale = in.batch.reports.size();
				continue;
			}
			if (in.key_version && static_cast<uint64_t>(s.i64(1)) != *in.key_version) {
				outcomes[i].key_changed = true;
				continue;
			}
			first_report = s.i64(0) != 0;
		}
		auto key = std::make_pair(in.server_id, in.batch.stream);
		auto it = windows.find(key);
		if (it == windows.end()) {
			SeqWindow w;
			Stmt& s = **get_stream;
			StmtScope scope(s);
			s.bind(1, static_cast<int64_t>(in.server_id)).bind(2, std::string_view(in.batch.stream));
			auto row = s.step();
			if (!row.ok())
				return row.error();
			if (*row) {
				w.high = static_cast<uint64_t>(s.i64(0));
				w.bitmap = static_cast<uint64_t>(s.i64(1));
			}
			it = windows.emplace(key, w).first;
		}
		Newest& nw = newest[in.server_id];
		for (const Report& r : in.batch.reports) {
			switch (it->second.admit(r.seq)) {
			case SeqVerdict::duplicate:
				++outcomes[i].duplicates;
				continue;
			case SeqVerdict::stale:
				++outcomes[i].stale;
				continue;
			case SeqVerdict::accept:
				break;
			}
			if (auto res = insert_sample(in.server_id, r); !res.ok())
				return res.error();
			++outcomes[i].accepted;
			if (r.time_ms < late_before)
				dirty.emplace_back(in.server_id, bucket_start(r.time_ms, tier_width_ms(Tier::m5)));
			if (newer(nw.report, r))
				nw.report = &r;
			if (r.top_cpu && newer(nw.top_cpu, r))
				nw.top_cpu = &r;
			if (r.top_memory && newer(nw.top_memory, r))
				nw.top_memory = &r;
			if (r.tcp_states && newer(nw.tcp, r))
				nw.tcp = &r;
			if (r.host && newer(nw.host, r))
				nw.host = &r;
		}
		if (outcomes[i].accepted == 0 || touched)
			continue;
		if (first_report) {
			Stmt& s = **first_event;
			s.bind(1, in.received_ms)
			    .bind(2, kEventServerFirstReport)
			    .bind(3, static_cast<int64_t>(in.server_id));
			if (auto res = s.run(); !res.ok())
				return res.error();
		}
		Stmt& s = **touch;
		s.bind(1, in.received_ms)
		    .bind(2, std::string_view(in.batch.agent_version))
		    .bind(3, static_cast<int64_t>(in.server_id));
		if (auto res = s.run(); !res.ok())
			return res.error();
		reported_pending_.push_back(in.server_id);
	}

	// Once per server per group, whatever the number of reports: the newest report for /stat,
	// the newest of each slow section, and the host facts.
	auto put_latest = w_.cached(
	    "INSERT INTO server_latest(server_id, ts_ms, report, top_cpu, top_cpu_ms, top_memory, top_memory_ms, "
	    "tcp_states, tcp_states_ms) VALUES(?,?,?,?,?,?,?,?,?) "
	    "ON CONFLICT(server_id) DO UPDATE SET "
	    "report = CASE WHEN excluded.ts_ms >= ts_ms THEN excluded.report ELSE report END, "
	    "top_cpu = CASE WHEN excluded.top_cpu_ms >= coalesce(top_cpu_ms, 0) THEN excluded.top_cpu ELSE "
	    "top_cpu END, "
	    "top_cpu_ms = CASE WHEN excluded.top_cpu_ms >= coalesce(top_cpu_ms, 0) THEN excluded.top_cpu_ms ELSE "
	    "top_cpu_ms END, "
	    "top_memory = CASE WHEN excluded.top_memory_ms >= coalesce(top_memory_ms, 0) THEN "
	    "excluded.top_memory "
	    "ELSE top_memory END, "
	    "top_memory_ms = CASE WHEN excluded.top_memory_ms >= coalesce(top_memory_ms, 0) THEN "
	    "excluded.top_memory_ms ELSE top_memory_ms END, "
	    "tcp_states = CASE WHEN excluded.tcp_states_ms >= coalesce(tcp_states_ms, 0) THEN "
	    "excluded.tcp_states "
	    "ELSE tcp_states END, "
	    "tcp_states_ms = CASE WHEN excluded.tcp_states_ms >= coalesce(tcp_states_ms, 0) THEN "
	    "excluded.tcp_states_ms ELSE tcp_states_ms END, "
	    "ts_ms = max(excluded.ts_ms, ts_ms)");
	auto put_host = w_.cached("UPDATE servers SET host_ms = ?, hostname = ?, os_name = ?, os_version = ?, "
	                          "kernel = ?, arch = ?, cpu_model = ?, virtualization = ?, cpu_logical = ?, "
	                          "cpu_physical = ?, cpu_mhz = ?, boot_time = ? WHERE id = ? "
	                          "AND coalesce(host_ms, 0) <= ?");
	if (!put_latest.ok())
		return put_latest.error();
	if (!put_host.ok())
		return put_host.error();
	for (const auto& [server_id, nw] : newest) {
		if (!nw.report)
			continue;
		// The full snapshot costs a page write per server; the numbers latest() needs are in the
		// sample row already. Due when old, or when it carries something only it keeps.
		auto last = snapshot_ms_.find(server_id);
		bool due = last == snapshot_ms_.end() ||
		           nw.report->time_ms >= last->second + opts_.snapshot_every_ms ||
		           nw.report->time_ms < last->second || nw.top_cpu || nw.top_memory || nw.tcp || nw.host;
		if (!due)
			continue;
		snapshot_pending_.emplace_back(server_id, nw.report->time_ms);
		Stmt& s = **put_latest;
		auto section = [&](int col, const Report* src, std::string (*enc)(const Report&)) {
			if (src)
				s.bind(col, std::string_view(enc(*src))).bind(col + 1, src->time_ms);
			else
				s.bind_null(col).bind_null(col + 1);
		};
		// The slow sections have columns of their own: the snapshot is stored without them.
		const Report& newest_report = *nw.report;
		std::string snapshot;
		if (newest_report.top_cpu || newest_report.top_memory || newest_report.tcp_states) {
			Report bare = newest_report;
			bare.top_cpu.reset();
			bare.top_memory.reset();
			bare.tcp_states.reset();
			snapshot = encode_stored_report(bare);
		} else {
			snapshot = encode_stored_report(newest_report);
		}
		s.bind(1, static_cast<int64_t>(server_id))
		    .bind(2, newest_report.time_ms)
		    .bind(3, std::string_view(snapshot));
		section(4, nw.top_cpu, encode_top_cpu);
		section(6, nw.top_memory, encode_top_memory);
		section(8, nw.tcp, encode_tcp_states);
		if (auto res = s.run(); !res.ok())
			return res.error();
		if (nw.host) {
			const HostFacts& h = *nw.host->host;
			Stmt& u = **put_host;
			u.bind(1, nw.host->time_ms)
			    .bind(2, std::string_view(h.hostname))
			    .bind(3, std::string_view(h.os_name))
			    .bind(4, std::string_view(h.os_version))
			    .bind(5, std::string_view(h.kernel))
			    .bind(6, std::string_view(h.arch))
			    .bind(7, std::string_view(h.cpu_model))
			    .bind(8, std::string_view(h.virtualization))
			    .bind_opt(9, h.cpu_logical)
			    .bind_opt(10, h.cpu_physical)
			    .bind_opt(11, h.cpu_mhz)
			    .bind_opt(12, h.boot_time)
			    .bind(13, static_cast<int64_t>(server_id))
			    .bind(14, nw.host->time_ms);
			if (auto res = u.run(); !res.ok())
				return res.error();
		}
	}

	if (!dirty.empty()) {
		std::sort(dirty.begin(), dirty.end());
		dirty.erase(std::unique(dirty.begin(), dirty.end()), dirty.end());
		auto mark =
		    w_.cached("INSERT OR IGNORE INTO rollup_dirty(tier, server_id, bucket_ms) VALUES('5m', ?, ?)");
		if (!mark.ok())
			return mark.error();
		for (auto [server_id, bucket] : dirty) {
			(*mark)->bind(1, static_cast<int64_t>(server_id)).bind(2, bucket);
			if (auto res = (*mark)->run(); !res.ok())
				return res.error();
		}
	}

	auto put_stream =
	    w_.cached("INSERT INTO streams(server_id, stream, high_seq, window_bits) VALUES(?,?,?,?) "
	              "ON CONFLICT(server_id, stream) DO UPDATE SET high_seq = excluded.high_seq, "
	              "window_bits = excluded.window_bits");
	if (!put_stream.ok())
		return put_stream.error();
	for (const auto& [key, w] : windows) {
		(*put_stream)
		    ->bind(1, static_cast<int64_t>(key.first))
		    .bind(2, std::string_view(key.second))
		    .bind(3, static_cast<int64_t>(w.high))
		    .bind(4, static_cast<int64_t>(w.bitmap));
		if (auto res = (*put_stream)->run(); !res.ok())
			return res.error();
	}
	return outcomes;
}

// ---- Simple reads --------------------------------------------------------------------------

Result<uint64_t> SqliteStore::count_samples(uint64_t server_id) {
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto db = readers_.acquire();
	if (!db.ok())
		return db.error();
	auto st = (*db)->cached("SELECT count(*) FROM samples WHERE server_id = ?");
	if (!st.ok())
		return st.error();
	StmtScope scope(**st);
	(*st)->bind(1, static_cast<int64_t>(server_id));
	auto row = (*st)->step();
	if (!row.ok())
		return row.error();
	return static_cast<uint64_t>((*st)->i64(0));
}

Result<uint64_t> SqliteStore::count_reports_since(int64_t since_ms) {
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto db = readers_.acquire();
	if (!db.ok())
		return db.error();
	// Correlated per server, so each count is a range of samples_server_ts; a plain
	// "WHERE ts_ms >= ?" has no index to use and would read the whole table.
	auto st = (*db)->cached("SELECT coalesce(sum((SELECT count(*) FROM samples s "
	                        "WHERE s.server_id = v.id AND s.ts_ms >= ?)), 0) FROM servers v");
	if (!st.ok())
		return st.error();
	StmtScope scope(**st);
	(*st)->bind(1, since_ms);
	auto row = (*st)->step();
	if (!row.ok())
		return row.error();
	return static_cast<uint64_t>((*st)->i64(0));
}

Result<std::vector<SampleRow>> SqliteStore::samples(uint64_t server_id, int64_t from_ms, int64_t to_ms) {
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto db = readers_.acquire();
	if (!db.ok())
		return db.error();
	auto st = (*db)->cached("SELECT ts_ms, seq, cpu_busy, load1, mem_total, mem_used FROM samples "
	                        "WHERE server_id = ? AND ts_ms >= ? AND ts_ms < ? ORDER BY ts_ms, seq");
	if (!st.ok())
		return st.error();
	Stmt& s = **st;
	StmtScope scope(s);
	s.bind(1, static_cast<int64_t>(server_id)).bind(2, from_ms).bind(3, to_ms);
	std::vector<SampleRow> out;
	while (true) {
		auto row = s.step();
		if (!row.ok())
			return row.error();
		if (!*row)
			break;
		SampleRow r;
		r.ts_ms = s.i64(0);
		r.seq = static_cast<uint64_t>(s.i64(1));
		r.cpu_busy_percent = s.opt_f64(2);
		r.load1 = s.opt_f64(3);
		r.mem_total = stored_count(s.opt_f64(4));
		r.mem_used = stored_count(s.opt_f64(5));
		out.push_back(r);
	}
	return out;
}

Result<std::optional<LatestReport>> SqliteStore::latest(uint64_t server_id) {
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto db = readers_.acquire();
	if (!db.ok())
		return db.error();
	return latest_on(**db, server_id, true);
}

Result<std::vector<std::optional<LatestReport>>>
SqliteStore::latest_of(std::span<const uint64_t> server_ids) {
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto db = readers_.acquire();
	if (!db.ok())
		return db.error();
	ReadTx tx(**db);
	std::vector<std::optional<LatestReport>> out;
	out.reserve(server_ids.size());
	for (uint64_t id : server_ids) {
		auto one = latest_on(**db, id, false);
		if (!one.ok())
			return one.error();
		out.push_back(std::move(*one));
	}
	return out;
}

Result<std::optional<LatestReport>> SqliteStore::latest_on(Db& db, uint64_t server_id, bool slow) {
	// Without the slow sections their columns are not even read (each is a JSON document).
	auto st = db.cached(slow ? "SELECT report, top_cpu, top_cpu_ms, top_memory, top_memory_ms, tcp_states, "
	                           "tcp_states_ms FROM server_latest WHERE server_id = ?"
	                         : "SELECT report FROM server_latest WHERE server_id = ?");
	if (!st.ok())
		return st.error();
	Stmt& s = **st;
	StmtScope scope(s);
	s.bind(1, static_cast<int64_t>(server_id));
	auto row = s.step();
	if (!row.ok())
		return row.error();
	if (!*row)
		return std::optional<LatestReport>{};
	auto fail = [&](std::string_view what, const Error& e) {
		return Err(fmt::format("server {}: the stored {} is unreadable: {}", server_id, what, e.message));
	};
	LatestReport out;
	auto report = decode_stored_report(s.text(0));
	if (!report.ok())
		return fail("latest report", report.error());
	out.report = std::move(*report);
	out.snapshot_ms = out.report.time_ms;
	// The newest of each slow section replaces whatever the newest report carried.
	auto section = [&](int col, std::string_view what, auto Report::*member, auto& ms) -> Result<void> {
		if (s.is_null(col))
			return Ok();
		auto r = decode_stored_report(s.text(col));
		if (!r.ok())
			return fail(what, r.error());
		out.report.*member = std::move((*r).*member);
		ms = s.i64(col + 1);
		return Ok();
	};
	if (!slow) { // the newest report's own, if it carried them: left out all the same
		out.report.top_cpu.reset();
		out.report.top_memory.reset();
		out.report.tcp_states.reset();
	} else
		for (auto res : {section(1, "top processes by CPU", &Report::top_cpu, out.top_cpu_ms),
		                 section(3, "top processes by memory", &Report::top_memory, out.top_memory_ms),
		                 section(5, "TCP states", &Report::tcp_states, out.tcp_states_ms)})
			if (!res.ok())
				return res.error();
	// The newest sample brings the snapshot's numbers up to date (two statements may be open on
	// one connection at once).
	static const std::string newest_sql = [] {
		std::string cols;
		for (std::string_view c : kMainColumns)
			cols += fmt::format("{}, ", c);
		return fmt::format(
		    "SELECT ts_ms, seq, {}dev FROM samples WHERE server_id = ? ORDER BY ts_ms DESC, seq DESC "
		    "LIMIT 1",
		    cols);
	}();
	auto nst = db.cached(newest_sql);
	if (!nst.ok())
		return nst.error();
	Stmt& n = **nst;
	StmtScope nscope(n);
	n.bind(1, static_cast<int64_t>(server_id));
	auto nrow = n.step();
	if (!nrow.ok())
		return nrow.error();
	if (*nrow && n.i64(0) > out.snapshot_ms) {
		MainValues v;
		for (size_t i = 0; i < kMainColumnCount; ++i)
			v[i] = n.opt_f64(static_cast<int>(2 + i));
		auto devices = decode_devices(n.blob_view(static_cast<int>(2 + kMainColumnCount)));
		if (!devices.ok())
			return fail("newest sample's devices", devices.error());
		refresh_report(out.report, n.i64(0), static_cast<uint64_t>(n.i64(1)), v, *devices);
	}
	return std::optional<LatestReport>{std::move(out)};
}

} // namespace serversan::store::sqlite
