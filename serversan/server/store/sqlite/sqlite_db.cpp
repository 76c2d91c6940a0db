#include "serversan/server/store/sqlite/sqlite_db.h"

#include <filesystem>
#include <mutex>

#include <fmt/format.h>

#include "serversan/server/store/sqlite/sqlite_vfs.h"

namespace serversan::store::sqlite {

Stmt& Stmt::operator=(Stmt&& o) noexcept {
	if (this != &o) {
		sqlite3_finalize(s_);
		db_ = o.db_;
		s_ = o.s_;
		o.s_ = nullptr;
	}
	return *this;
}

Stmt::~Stmt() {
	sqlite3_finalize(s_);
}

namespace {
void note(int rc, sqlite3* db, bool& failed, Error& err) {
	if (rc != SQLITE_OK && !failed) {
		failed = true;
		err = Err(fmt::format("sqlite bind: {}", sqlite3_errmsg(db)));
	}
}

std::string_view type_name(int t) {
	switch (t) {
	case SQLITE_INTEGER:
		return "an integer";
	case SQLITE_FLOAT:
		return "a real";
	case SQLITE_TEXT:
		return "text";
	case SQLITE_BLOB:
		return "a blob";
	default:
		return "null";
	}
}
} // namespace

Stmt& Stmt::bind(int i, int64_t v) {
	note(sqlite3_bind_int64(s_, i, v), db_, bind_failed_, bind_error_);
	return *this;
}
Stmt& Stmt::bind(int i, double v) {
	note(sqlite3_bind_double(s_, i, v), db_, bind_failed_, bind_error_);
	return *this;
}
Stmt& Stmt::bind(int i, std::string_view v) {
	note(sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT), db_, bind_failed_,
	     bind_error_);
	return *this;
}
Stmt& Stmt::bind_blob(int i, std::span<const uint8_t> v) {
	note(sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT), db_, bind_failed_,
	     bind_error_);
	return *this;
}
Stmt& Stmt::bind_blob(int i, std::string_view v) {
	return bind_blob(i, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(v.data()), v.size()));
}
Stmt& Stmt::bind_null(int i) {
	note(sqlite3_bind_null(s_, i), db_, bind_failed_, bind_error_);
	return *this;
}

Result<bool> Stmt::step() {
	if (bind_failed_)
		return bind_error_;
	int rc = sqlite3_step(s_);
	if (rc == SQLITE_ROW)
		return true;
	if (rc == SQLITE_DONE)
		return false;
	return Err(fmt::format("sqlite: {}", sqlite3_errmsg(db_)));
}

Result<void> Stmt::run() {
	while (true) {
		auto r = step();
		if (!r.ok()) {
			reset();
			return r.error();
		}
		if (!*r)
			break;
	}
	reset();
	return Ok();
}

void Stmt::reset() {
	sqlite3_reset(s_);
	sqlite3_clear_bindings(s_);
	bind_failed_ = false;
}

std::string Stmt::text(int col) const {
	const auto* p = sqlite3_column_text(s_, col);
	return p ? std::string(reinterpret_cast<const char*>(p),
	                       static_cast<size_t>(sqlite3_column_bytes(s_, col)))
	         : std::string();
}

std::string Stmt::blob(int col) const {
	const auto* p = static_cast<const char*>(sqlite3_column_blob(s_, col));
	return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(s_, col))) : std::string();
}

std::span<const uint8_t> Stmt::blob_view(int col) const {
	const auto* p = static_cast<const uint8_t*>(sqlite3_column_blob(s_, col));
	return p ? std::span<const uint8_t>(p, static_cast<size_t>(sqlite3_column_bytes(s_, col)))
	         : std::span<const uint8_t>();
}

Result<int64_t> Stmt::checked_i64(int col, std::string_view what) const {
	int t = type(col);
	if (t != SQLITE_INTEGER)
		return Err(fmt::format("{}: expected an integer, found {}", what, type_name(t)));
	return i64(col);
}

Result<std::string> Stmt::checked_text(int col, std::string_view what) const {
	int t = type(col);
	if (t != SQLITE_TEXT)
		return Err(fmt::format("{}: expected text, found {}", what, type_name(t)));
	return text(col);
}

Result<void> check_plain_path(const std::string& path) {
	// Debian's SQLite reads "file:..." names as URIs, where "?vfs=memdb" or "?mode=memory" would
	// make a store that acknowledges reports and keeps none of them.
	if (path.rfind("file:", 0) == 0)
		return Err(fmt::format("database path {} would be read as an SQLite URI; give a plain file path "
		                       "(./{} for a file of that name)",
		                       path, path));
	return Ok();
}

uint64_t file_size(const std::string& path) {
	std::error_code ec;
	auto n = std::filesystem::file_size(path, ec);
	return ec ? 0 : static_cast<uint64_t>(n);
}

Result<Db> Db::open(const std::string& path) {
	return open_with(path, wal_gathering_vfs());
}

Result<Db> Db::open_private(const std::string& path) {
	return open_with(path, nullptr);
}

Result<Db> Db::open_with(const std::string& path, const char* vfs) {
	if (auto r = check_plain_path(path); !r.ok())
		return r.error();
	// Memory statistics make every sqlite3_malloc and free take one process-wide mutex, which the
	// writer and the readers then contend on (Debian's SQLite has no lookaside allocator, so every
	// small allocation of a statement goes through it). Nothing here reads those statistics. It
	// can only be set before SQLite initialises; if something else initialised it first, the
	// setting stays as it was, which is only slower.
	static std::once_flag memstatus_off;
	std::call_once(memstatus_off, [] { (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
	sqlite3* db = nullptr;
	int rc = sqlite3_open_v2(path.c_str(), &db,
	                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, vfs);
	if (rc != SQLITE_OK) {
		std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
		sqlite3_close(db);
		return Err(fmt::format("cannot open database {}: {}", path, msg));
	}
	sqlite3_extended_result_codes(db, 1);
	return Db(db);
}

Db::~Db() {
	cache_.clear(); // finalize statements before the connection
	sqlite3_close_v2(db_);
}

Result<void> Db::exec(std::string_view sql) {
	char* msg = nullptr;
	std::string s(sql);
	if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &msg) != SQLITE_OK) {
		std::string m = msg ? msg : sqlite3_errmsg(db_);
		sqlite3_free(msg);
		return Err(fmt::format("sqlite: {}", m));
	}
	return Ok();
}

Result<Stmt> Db::prepare(std::string_view sql) {
	sqlite3_stmt* s = nullptr;
	if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &s,
	                       nullptr) != SQLITE_OK)
		return Err(fmt::format("sqlite prepare: {}", sqlite3_errmsg(db_)));
	return Stmt(db_, s);
}

Result<Stmt*> Db::cached(std::string_view sql) {
	auto it = cache_.find(sql);
	if (it != cache_.end())
		return &it->second;
	auto st = prepare(sql);
	if (!st.ok())
		return st.error();
	return &cache_.emplace(std::string(sql), std::move(*st)).first->second;
}

Result<int64_t> Db::scalar(std::string_view sql) {
	auto st = prepare(sql);
	if (!st.ok())
		return st.error();
	auto row = st->step();
	if (!row.ok())
		return row.error();
	if (!*row)
		return Err(fmt::format("sqlite: no row from \"{}\"", sql));
	return st->i64(0);
}

Tx::~Tx() {
	if (open_)
		(void)db_.exec("ROLLBACK");
}

Result<void> Tx::begin() {
	if (auto r = db_.exec("BEGIN IMMEDIATE"); !r.ok())
		return r;
	open_ = true;
	return Ok();
}

Result<void> Tx::commit() {
	if (auto r = db_.exec("COMMIT"); !r.ok())
		return r; // the destructor rolls back
	open_ = false;
	return Ok();
}

} // namespace serversan::store::sqlite
