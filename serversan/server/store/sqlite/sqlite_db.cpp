#include "serversan/server/store/sqlite/sqlite_db.h"

#include <fmt/format.h>

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

Result<Db> Db::open(const std::string& path) {
	sqlite3* db = nullptr;
	int rc = sqlite3_open_v2(path.c_str(), &db,
	                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
	if (rc != SQLITE_OK) {
		std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
		sqlite3_close(db);
		return Err(fmt::format("cannot open database {}: {}", path, msg));
	}
	sqlite3_extended_result_codes(db, 1);
	return Db(db);
}

Db::~Db() {
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

} // namespace serversan::store::sqlite
