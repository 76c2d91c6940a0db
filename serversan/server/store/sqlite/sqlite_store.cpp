// SQLite engine of the Store interface.
//
// Durability: WAL with synchronous=FULL, so a commit is on disk before append() returns and
// "acknowledged" means "survives power loss"; append() takes many batches in one transaction so
// the fsync is paid once per group, not once per report. One connection, guarded by a mutex:
// SQLite allows one writer at a time anyway, and a single handle avoids SQLITE_BUSY between
// our own connections.
//
// Layout: one row per report in append order (rowid table, index on (server, ts)), the main
// metrics as columns for charts, and the whole report as JSON in `detail` for per-device views.
#include <algorithm>
#include <map>
#include <mutex>

#include <fmt/format.h>

#include "serversan/core/report_encode.h"
#include "serversan/core/seq_window.h"
#include "serversan/server/store/sqlite/sqlite_db.h"
#include "serversan/server/store/store.h"

namespace serversan::store {

namespace {

using sqlite::Db;
using sqlite::Stmt;

// Migrations, in order; migration i brings the schema to version i + 1. Never edit a shipped
// migration: add a new one.
constexpr const char* kMigrations[] = {
    // 1: servers, agent streams (sequence windows) and the time series.
    R"sql(
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
)sql",
};
constexpr int kLatestVersion = static_cast<int>(std::size(kMigrations));

std::optional<double> busy_percent(const CpuTimes& t) {
	if (!t.idle)
		return std::nullopt;
	double idle = *t.idle + t.iowait.value_or(0);
	return std::clamp(100.0 - idle, 0.0, 100.0);
}

class SqliteStore final : public Store {
public:
	explicit SqliteStore(Db db) : db_(std::move(db)) {}

	Result<void> init() {
		// busy_timeout is per connection; we have one, but a backup or the sqlite3 shell may
		// hold a lock for a moment.
		for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL",
		                           "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000"}) {
			auto r = db_.exec(pragma);
			if (!r.ok())
				return r;
		}
		return Ok();
	}

	Result<int> schema_version() override {
		std::lock_guard lock(mu_);
		return version_locked();
	}

	Result<void> migrate() override {
		std::lock_guard lock(mu_);
		auto v = version_locked();
		if (!v.ok())
			return v.error();
		if (*v > kLatestVersion)
			return Err(
			    fmt::format("the database has schema version {}, newer than this binary supports ({}); "
			                "run a newer serversan-server or restore a backup",
			                *v, kLatestVersion));
		for (int i = *v; i < kLatestVersion; ++i) {
			if (auto r = db_.exec("BEGIN IMMEDIATE"); !r.ok())
				return r;
			auto r = db_.exec(kMigrations[i]);
			if (r.ok())
				r = db_.exec(fmt::format("PRAGMA user_version={}", i + 1));
			if (!r.ok()) {
				(void)db_.exec("ROLLBACK");
				return Err(
				    fmt::format("migration to schema version {} failed: {}", i + 1, r.error().message));
			}
			if (auto c = db_.exec("COMMIT"); !c.ok())
				return c;
		}
		return prepare_statements();
	}

	Result<uint64_t> create_server(std::optional<int64_t> owner_chat, const std::string& name,
	                               const SigningKey& key, int64_t now_ms) override {
		std::lock_guard lock(mu_);
		auto st =
		    db_.prepare("INSERT INTO servers(owner_chat, name, signing_key, created_ms) VALUES(?,?,?,?)");
		if (!st.ok())
			return st.error();
		st->bind_opt(1, owner_chat).bind(2, std::string_view(name)).bind_blob(3, key).bind(4, now_ms);
		if (auto r = st->run(); !r.ok())
			return r.error();
		return static_cast<uint64_t>(db_.last_insert_rowid());
	}

	Result<std::optional<ServerRecord>> find_server(uint64_t id) override {
		std::lock_guard lock(mu_);
		auto rows = query_servers("WHERE id = ?", static_cast<int64_t>(id));
		if (!rows.ok())
			return rows.error();
		if (rows->empty())
			return std::optional<ServerRecord>{};
		return std::optional<ServerRecord>{std::move(rows->front())};
	}

	Result<std::vector<ServerRecord>> list_servers() override {
		std::lock_guard lock(mu_);
		return query_servers("ORDER BY id", std::nullopt);
	}

	Result<bool> set_signing_key(uint64_t id, const SigningKey& key) override {
		std::lock_guard lock(mu_);
		auto st = db_.prepare("UPDATE servers SET signing_key = ? WHERE id = ?");
		if (!st.ok())
			return st.error();
		st->bind_blob(1, key).bind(2, static_cast<int64_t>(id));
		if (auto r = st->run(); !r.ok())
			return r.error();
		return db_.changes() > 0;
	}

	Result<bool> delete_server(uint64_t id) override {
		std::lock_guard lock(mu_);
		if (auto r = db_.exec("BEGIN IMMEDIATE"); !r.ok())
			return r.error();
		auto fail = [&](const Error& e) -> Result<bool> {
			(void)db_.exec("ROLLBACK");
			return e;
		};
		for (const char* sql :
		     {"DELETE FROM samples WHERE server_id = ?", "DELETE FROM streams WHERE server_id = ?"}) {
			auto st = db_.prepare(sql);
			if (!st.ok())
				return fail(st.error());
			st->bind(1, static_cast<int64_t>(id));
			if (auto r = st->run(); !r.ok())
				return fail(r.error());
		}
		auto st = db_.prepare("DELETE FROM servers WHERE id = ?");
		if (!st.ok())
			return fail(st.error());
		st->bind(1, static_cast<int64_t>(id));
		if (auto r = st->run(); !r.ok())
			return fail(r.error());
		bool deleted = db_.changes() > 0;
		if (auto r = db_.exec("COMMIT"); !r.ok())
			return fail(r.error());
		return deleted;
	}

	Result<std::vector<IngestOutcome>> append(const std::vector<IngestBatch>& batches) override {
		std::lock_guard lock(mu_);
		if (auto r = db_.exec("BEGIN IMMEDIATE"); !r.ok())
			return r.error();
		auto outcomes = append_locked(batches);
		if (!outcomes.ok()) {
			(void)db_.exec("ROLLBACK");
			return outcomes;
		}
		if (auto r = db_.exec("COMMIT"); !r.ok()) {
			(void)db_.exec("ROLLBACK");
			return r.error();
		}
		return outcomes;
	}

	Result<uint64_t> count_samples(uint64_t server_id) override {
		std::lock_guard lock(mu_);
		auto st = db_.prepare("SELECT count(*) FROM samples WHERE server_id = ?");
		if (!st.ok())
			return st.error();
		st->bind(1, static_cast<int64_t>(server_id));
		auto row = st->step();
		if (!row.ok())
			return row.error();
		return static_cast<uint64_t>(st->i64(0));
	}

	Result<std::vector<SampleRow>> samples(uint64_t server_id, int64_t from_ms, int64_t to_ms) override {
		std::lock_guard lock(mu_);
		auto st = db_.prepare("SELECT ts_ms, seq, cpu_busy, load1, mem_total, mem_used FROM samples "
		                      "WHERE server_id = ? AND ts_ms >= ? AND ts_ms < ? ORDER BY ts_ms, seq");
		if (!st.ok())
			return st.error();
		st->bind(1, static_cast<int64_t>(server_id)).bind(2, from_ms).bind(3, to_ms);
		std::vector<SampleRow> out;
		while (true) {
			auto row = st->step();
			if (!row.ok())
				return row.error();
			if (!*row)
				break;
			SampleRow s;
			s.ts_ms = st->i64(0);
			s.seq = static_cast<uint64_t>(st->i64(1));
			if (!st->is_null(2))
				s.cpu_busy_percent = st->f64(2);
			if (!st->is_null(3))
				s.load1 = st->f64(3);
			if (!st->is_null(4))
				s.mem_total = static_cast<uint64_t>(st->i64(4));
			if (!st->is_null(5))
				s.mem_used = static_cast<uint64_t>(st->i64(5));
			out.push_back(s);
		}
		return out;
	}

private:
	Result<int> version_locked() {
		auto st = db_.prepare("PRAGMA user_version");
		if (!st.ok())
			return st.error();
		auto row = st->step();
		if (!row.ok())
			return row.error();
		return static_cast<int>(st->i64(0));
	}

	Result<void> prepare_statements() {
		auto a = db_.prepare("SELECT high_seq, window_bits FROM streams WHERE server_id = ? AND stream = ?");
		auto b = db_.prepare("INSERT INTO streams(server_id, stream, high_seq, window_bits) VALUES(?,?,?,?) "
		                     "ON CONFLICT(server_id, stream) DO UPDATE SET high_seq = excluded.high_seq, "
		                     "window_bits = excluded.window_bits");
		auto c =
		    db_.prepare("INSERT INTO samples(server_id, ts_ms, seq, cpu_busy, load1, mem_total, mem_used, "
		                "swap_used, disk_total, disk_used, net_rx, net_tx, detail) "
		                "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
		auto d = db_.prepare("UPDATE servers SET last_seen_ms = max(coalesce(last_seen_ms, 0), ?), "
		                     "agent_version = ? WHERE id = ?");
		auto e = db_.prepare("UPDATE servers SET host_json = ? WHERE id = ?");
		for (auto* r : {&a, &b, &c, &d, &e})
			if (!r->ok())
				return r->error();
		get_stream_ = std::move(*a);
		put_stream_ = std::move(*b);
		insert_sample_ = std::move(*c);
		touch_server_ = std::move(*d);
		set_host_ = std::move(*e);
		return Ok();
	}

	Result<std::vector<IngestOutcome>> append_locked(const std::vector<IngestBatch>& batches) {
		if (!insert_sample_.valid())
			return Err("store not migrated");
		std::vector<IngestOutcome> outcomes(batches.size());
		// Windows touched in this transaction, so two batches of one stream in the same group
		// see each other's sequence numbers.
		std::map<std::pair<uint64_t, std::string>, SeqWindow> windows;
		for (size_t i = 0; i < batches.size(); ++i) {
			const IngestBatch& in = batches[i];
			auto key = std::make_pair(in.server_id, in.batch.stream);
			auto it = windows.find(key);
			if (it == windows.end()) {
				SeqWindow w;
				get_stream_.bind(1, static_cast<int64_t>(in.server_id))
				    .bind(2, std::string_view(in.batch.stream));
				auto row = get_stream_.step();
				if (!row.ok()) {
					get_stream_.reset();
					return row.error();
				}
				if (*row) {
					w.high = static_cast<uint64_t>(get_stream_.i64(0));
					w.bitmap = static_cast<uint64_t>(get_stream_.i64(1));
				}
				get_stream_.reset();
				it = windows.emplace(key, w).first;
			}
			int64_t last_ts = 0;
			const HostFacts* host = nullptr;
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
				last_ts = std::max(last_ts, r.time_ms);
				if (r.host)
					host = &*r.host;
			}
			if (outcomes[i].accepted > 0) {
				touch_server_.bind(1, in.received_ms)
				    .bind(2, std::string_view(in.batch.agent_version))
				    .bind(3, static_cast<int64_t>(in.server_id));
				if (auto res = touch_server_.run(); !res.ok())
					return res.error();
				if (host) {
					set_host_.bind(1, std::string_view(encode_host_facts(*host)))
					    .bind(2, static_cast<int64_t>(in.server_id));
					if (auto res = set_host_.run(); !res.ok())
						return res.error();
				}
			}
		}
		for (const auto& [key, w] : windows) {
			put_stream_.bind(1, static_cast<int64_t>(key.first))
			    .bind(2, std::string_view(key.second))
			    .bind(3, static_cast<int64_t>(w.high))
			    .bind(4, static_cast<int64_t>(w.bitmap));
			if (auto res = put_stream_.run(); !res.ok())
				return res.error();
		}
		return outcomes;
	}

	Result<void> insert_sample(uint64_t server_id, const Report& r) {
		std::optional<uint64_t> disk_total, disk_used;
		for (const Filesystem& f : r.filesystems) {
			if (f.total)
				disk_total = disk_total.value_or(0) + *f.total;
			if (f.used)
				disk_used = disk_used.value_or(0) + *f.used;
		}
		std::optional<double> rx, tx;
		for (const NetInterface& n : r.interfaces) {
			if (n.rx_bytes_per_s)
				rx = rx.value_or(0) + *n.rx_bytes_per_s;
			if (n.tx_bytes_per_s)
				tx = tx.value_or(0) + *n.tx_bytes_per_s;
		}
		std::optional<uint64_t> swap_used = r.memory.swap_used;
		detail_.clear();
		encode_report(r, detail_);
		insert_sample_.bind(1, static_cast<int64_t>(server_id))
		    .bind(2, r.time_ms)
		    .bind(3, static_cast<int64_t>(r.seq))
		    .bind_opt(4, busy_percent(r.cpu.total))
		    .bind_opt(5, r.load.load1)
		    .bind_opt(6, r.memory.total)
		    .bind_opt(7, r.memory.used)
		    .bind_opt(8, swap_used)
		    .bind_opt(9, disk_total)
		    .bind_opt(10, disk_used)
		    .bind_opt(11, rx)
		    .bind_opt(12, tx)
		    .bind(13, std::string_view(detail_));
		return insert_sample_.run();
	}

	Result<std::vector<ServerRecord>> query_servers(std::string_view where, std::optional<int64_t> arg) {
		auto st =
		    db_.prepare(fmt::format("SELECT id, owner_chat, name, signing_key, created_ms, last_seen_ms, "
		                            "agent_version FROM servers {}",
		                            where));
		if (!st.ok())
			return st.error();
		if (arg)
			st->bind(1, *arg);
		std::vector<ServerRecord> out;
		while (true) {
			auto row = st->step();
			if (!row.ok())
				return row.error();
			if (!*row)
				break;
			ServerRecord s;
			s.id = static_cast<uint64_t>(st->i64(0));
			if (!st->is_null(1))
				s.owner_chat = st->i64(1);
			s.name = st->text(2);
			std::string key = st->blob(3);
			if (key.size() != s.signing_key.size())
				return Err(fmt::format("server {}: stored signing key is corrupt", s.id));
			std::copy(key.begin(), key.end(), s.signing_key.begin());
			s.created_ms = st->i64(4);
			if (!st->is_null(5))
				s.last_seen_ms = st->i64(5);
			s.agent_version = st->text(6);
			out.push_back(std::move(s));
		}
		return out;
	}

	std::mutex mu_;
	Db db_;
	Stmt get_stream_, put_stream_, insert_sample_, touch_server_, set_host_;
	std::string detail_;
};

} // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path) {
	auto db = Db::open(path);
	if (!db.ok())
		return db.error();
	auto store = std::make_unique<SqliteStore>(std::move(*db));
	if (auto r = store->init(); !r.ok())
		return Err(fmt::format("{}: {}", path, r.error().message));
	if (auto r = store->migrate(); !r.ok())
		return Err(fmt::format("{}: {}", path, r.error().message));
	return std::unique_ptr<Store>(std::move(store));
}

} // namespace serversan::store
