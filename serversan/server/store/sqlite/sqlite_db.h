// Thin RAII over the SQLite C API for the SQLite store: a connection, prepared statements with
// typed binds and columns, and errors as Result values carrying sqlite3_errmsg.
#pragma once

#include <cstdint>
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
	Stmt& bind_null(int i);
	template <typename T>
	Stmt& bind_opt(int i, const std::optional<T>& v) {
		if (!v)
			return bind_null(i);
		if constexpr (std::is_floating_point_v<T>)
			return bind(i, static_cast<double>(*v));
		else
			return bind(i, static_cast<int64_t>(*v));
	}

	// SQLITE_ROW -> true, SQLITE_DONE -> false, anything else -> error.
	Result<bool> step();
	Result<void> run(); // step to completion, then reset
	void reset();
	bool valid() const { return s_ != nullptr; }

	bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
	int64_t i64(int col) const { return sqlite3_column_int64(s_, col); }
	double f64(int col) const { return sqlite3_column_double(s_, col); }
	std::string text(int col) const;
	std::string blob(int col) const;

private:
	sqlite3* db_ = nullptr;
	sqlite3_stmt* s_ = nullptr;
	Error bind_error_;
	bool bind_failed_ = false;
};

class Db {
public:
	static Result<Db> open(const std::string& path);
	Db(Db&& o) noexcept : db_(o.db_) { o.db_ = nullptr; }
	Db& operator=(Db&&) = delete;
	Db(const Db&) = delete;
	~Db();

	Result<void> exec(std::string_view sql);
	Result<Stmt> prepare(std::string_view sql);
	sqlite3* handle() { return db_; }
	int64_t last_insert_rowid() { return sqlite3_last_insert_rowid(db_); }
	int changes() { return sqlite3_changes(db_); }

private:
	explicit Db(sqlite3* db) : db_(db) {}
	sqlite3* db_ = nullptr;
};

} // namespace serversan::store::sqlite
