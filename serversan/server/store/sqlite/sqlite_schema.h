// The SQLite schema's migrations, in order: migrations()[i] brings the schema from version i to
// version i + 1. Each runs in one transaction together with PRAGMA user_version, so a crash in
// the middle leaves the previous version intact. A step may need C++ (sealing keys, re-encoding
// rows): `hook` runs between the two SQL parts, inside the same transaction.
#pragma once

#include <span>

#include "serversan/core/result.h"
#include "serversan/server/store/key_box.h"
#include "serversan/server/store/sqlite/sqlite_db.h"

namespace serversan::store::sqlite {

struct Migration {
	const char* sql = nullptr;
	Result<void> (*hook)(Db& db, const KeyBox& box) = nullptr;
	const char* sql_after = nullptr;
};

std::span<const Migration> migrations();

} // namespace serversan::store::sqlite
