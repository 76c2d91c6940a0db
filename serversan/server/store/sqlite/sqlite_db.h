// Thin RAII over the SQLite C API for the SQLite store: a connection with a cache of prepared
// statements, statements with typed binds and columns, a transaction guard, and errors as Result
// values carrying sqlite3_errmsg. Nothing here knows the schema.
//
// A Db (and every Stmt it made) is used by one thread at a time; the store serialises access.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include "serversan/core/result.h"

namespace serversan::store::sqlite {

class Stmt {
public:
	Stmt() = default;
	Stmt(sqlite3* db, sqlite3_stmt* s) : db_(db), s_(s) {}
	Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
	Stmt& operator=(Stmt&& o) noexcept;
	Stmt(const Stmt&) = delete;
	Stmt& operator=(const Stmt&) = delete;
	~Stmt();

	Stmt& bind(int i, int64_t v);
	Stmt& bind(int i, double v);
	Stmt& bind(int i, std::string_view v);
	Stmt& bind_blob(int i, std::span<const uint8_t> v);
	Stmt& bind_blob(int i, std::string_view v);
	Stmt& bind_null(int i);
	template <typename T>
	Stmt& bind_opt(int i, const std::optional<T>& v) {
		if (!v)
			return bind_null(i);
		if constexpr (std::is_floating_point_v<T>)
			return bind(i, static_cast<double>(*v));
		else if constexpr (std::is_convertible_v<T, std::string_view>)
			return bind(i, std::string_view(*v));
		else
			return bind(i, static_cast<int64_t>(*v));
	}

	// SQLITE_ROW -> true, SQLITE_DONE -> false, anything else -> error.
	Result<bool> step();
	Result<void> run(); // step to completion, then reset
	void reset();
	bool valid() const { return s_ != nullptr; }

	int type(int col) const { return sqlite3_column_type(s_, col); }
	bool is_null(int col) const { return type(col) == SQLITE_NULL; }
	int64_t i64(int col) const { return sqlite3_column_int64(s_, col); }
	double f64(int col) const { return sqlite3_column_double(s_, col); }
	std::optional<double> opt_f64(int col) const {
		return is_null(col) ? std::nullopt : std::optional<double>(f64(col));
	}
	std::optional<int64_t> opt_i64(int col) const {
		return is_null(col) ? std::nullopt : std::optional<int64_t>(i64(col));
	}
	std::string text(int col) const;
	std::string blob(int col) const;
	// Valid until the next step or reset.
	std::span<const uint8_t> blob_view(int col) const;

	// Checked readers for values a person may have edited by hand: a value of another type is an
	// error naming `what`, never a silent conversion.
	Result<int64_t> checked_i64(int col, std::string_view what) const;
	Result<std::string> checked_text(int col, std::string_view what) const;

private:
	sqlite3* db_ = nullptr;
	sqlite3_stmt* s_ = nullptr;
	Error bind_error_;
	bool bind_failed_ = false;
};

// Resets a statement (and clears its bindings) when the scope ends, whatever the path out.
class StmtScope {
public:
	explicit StmtScope(Stmt& s) : s_(s) {}
	~StmtScope() { s_.reset(); }
	StmtScope(const StmtScope&) = delete;
	StmtScope& operator=(const StmtScope&) = delete;

private:
	Stmt& s_;
};

// Refuses a path SQLite would not read as a plain file name (a "file:" URI).
Result<void> check_plain_path(const std::string& path);

// The size of a file, 0 if it does not exist (a WAL between checkpoints, for instance).
uint64_t file_size(const std::string& path);

class Db {
public:
	static Result<Db> open(const std::string& path);
	// A file only this connection writes (a backup's copy, synced by its maker): SQLite's own
	// VFS, without the WAL gathering and its FULL-only rule, which are for the shared database.
	static Result<Db> open_private(const std::string& path);
	Db(Db&& o) noexcept : db_(o.db_), cache_(std::move(o.cache_)) { o.db_ = nullptr; }
	Db& operator=(Db&&) = delete;
	Db(const Db&) = delete;
	~Db();

	Result<void> exec(std::string_view sql);
	Result<Stmt> prepare(std::string_view sql);
	// A statement prepared once per connection and kept; the caller must leave it reset (use
	// StmtScope or run()).
	Result<Stmt*> cached(std::string_view sql);
	// The first column of the first row as an integer (error if there is no row).
	Result<int64_t> scalar(std::string_view sql);
	sqlite3* handle() { return db_; }
	int64_t last_insert_rowid() { return sqlite3_last_insert_rowid(db_); }
	int changes() { return sqlite3_changes(db_); }
	bool in_transaction() { return sqlite3_get_autocommit(db_) == 0; }

private:
	explicit Db(sqlite3* db) : db_(db) {}
	static Result<Db> open_with(const std::string& path, const char* vfs);
	sqlite3* db_ = nullptr;
	// std::map keeps Stmt addresses stable; std::less<> allows lookup by string_view.
	std::map<std::string, Stmt, std::less<>> cache_;
};

// BEGIN IMMEDIATE on construction (see begin()); ROLLBACK at scope end unless commit() succeeded.
// IMMEDIATE takes the write lock up front, so a transaction never has to upgrade from a read lock
// half-way (which is where SQLITE_BUSY comes from under load).
class Tx {
public:
	explicit Tx(Db& db) : db_(db) {}
	~Tx();
	Tx(const Tx&) = delete;
	Tx& operator=(const Tx&) = delete;
	Result<void> begin();
	Result<void> commit();

private:
	Db& db_;
	bool open_ = false;
};

// A read transaction on a reader over several statements (the many-server reads): one snapshot,
// and the database file's lock taken once rather than once per statement. Ends at scope end.
class ReadTx {
public:
	explicit ReadTx(Db& db) : db_(db), open_(db.exec("BEGIN").ok()) {}
	~ReadTx() {
		if (open_)
			(void)db_.exec("COMMIT");
	}
	ReadTx(const ReadTx&) = delete;
	ReadTx& operator=(const ReadTx&) = delete;

private:
	Db& db_;
	bool open_;
};

} // namespace serversan::store::sqlite
