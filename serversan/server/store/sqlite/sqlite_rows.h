// Small row helpers the SQLite store's files share (internal to store/sqlite/): one write
// statement on the writer, one query turned into records, and SqliteStore::read_rows, the same
// query on a pooled reader.
#pragma once

#include <iterator>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "serversan/server/store/sqlite/sqlite_store.h"

namespace serversan::store::sqlite {

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

// The first of the rows a query read (a lookup by key), or nothing.
template <typename T>
Result<std::optional<T>> first_row(Result<std::vector<T>> rows) {
	if (!rows.ok())
		return rows.error();
	if (rows->empty())
		return std::optional<T>{};
	return std::optional<T>{std::move(rows->front())};
}

template <typename T, typename Bind, typename Read>
Result<std::vector<T>> SqliteStore::read_rows(std::string_view sql, Bind&& bind, Read&& read) {
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto db = readers_.acquire();
	if (!db.ok())
		return db.error();
	return query<T>(**db, sql, std::forward<Bind>(bind), std::forward<Read>(read));
}

template <typename T, typename Read>
Result<std::vector<T>> SqliteStore::read_rows_of(std::string_view sql, std::span<const uint64_t> ids,
                                                 Read&& read) {
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto db = readers_.acquire();
	if (!db.ok())
		return db.error();
	ReadTx tx(**db);
	std::vector<T> out;
	for (uint64_t id : ids) {
		auto rows = query<T>(
		    **db, sql, [&](Stmt& s) { s.bind(1, static_cast<int64_t>(id)); }, read);
		if (!rows.ok())
			return rows.error();
		std::move(rows->begin(), rows->end(), std::back_inserter(out));
	}
	return out;
}

template <typename Bind>
Result<int> SqliteStore::write_one(std::string_view sql, Bind&& bind) {
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	return write(w_, sql, std::forward<Bind>(bind));
}

template <typename Body>
auto SqliteStore::in_write_tx(Body&& body) -> decltype(body()) {
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	Tx tx(w_);
	if (auto r = tx.begin(); !r.ok())
		return r.error();
	auto out = body();
	if (!out.ok())
		return out;
	if (auto r = tx.commit(); !r.ok())
		return r.error();
	return out;
}

} // namespace serversan::store::sqlite
