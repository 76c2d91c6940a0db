// Alert routing of a server (servers.alert_chat) and server tags (server_tags): schema 7.
#include <algorithm>

#include <fmt/format.h>

#include "serversan/server/store/sqlite/sqlite_rows.h"

namespace serversan::store::sqlite {

Result<bool> SqliteStore::set_server_alert_chat(uint64_t id, std::optional<int64_t> chat) {
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto st = w_.cached("UPDATE servers SET alert_chat = ? WHERE id = ?");
	if (!st.ok())
		return st.error();
	(*st)->bind_opt(1, chat).bind(2, static_cast<int64_t>(id));
	if (auto r = (*st)->run(); !r.ok())
		return r.error();
	return w_.changes() > 0;
}

Result<bool> SqliteStore::set_server_tags(uint64_t id, const std::vector<std::string>& tags) {
	std::vector<std::string> list = tags;
	std::sort(list.begin(), list.end());
	list.erase(std::unique(list.begin(), list.end()), list.end());
	for (const auto& t : list)
		if (!valid_server_tag(t))
			return Err(fmt::format("invalid tag \"{}\": use a-z, 0-9, _ and -, at most {} characters", t,
			                       kMaxServerTagLength));
	if (list.size() > kMaxServerTags)
		return Err(fmt::format("at most {} tags per server", kMaxServerTags));
	return in_write_tx([&]() -> Result<bool> {
		auto exists = w_.cached("SELECT 1 FROM servers WHERE id = ?");
		if (!exists.ok())
			return exists.error();
		{
			StmtScope scope(**exists);
			(*exists)->bind(1, static_cast<int64_t>(id));
			auto row = (*exists)->step();
			if (!row.ok())
				return row.error();
			if (!*row)
				return false;
		}
		auto del = w_.cached("DELETE FROM server_tags WHERE server_id = ?");
		if (!del.ok())
			return del.error();
		(*del)->bind(1, static_cast<int64_t>(id));
		if (auto r = (*del)->run(); !r.ok())
			return r.error();
		auto ins = w_.cached("INSERT INTO server_tags(server_id, tag) VALUES(?, ?)");
		if (!ins.ok())
			return ins.error();
		for (const auto& t : list) {
			(*ins)->bind(1, static_cast<int64_t>(id)).bind(2, std::string_view(t));
			if (auto r = (*ins)->run(); !r.ok())
				return r.error();
		}
		return true;
	});
}

Result<std::vector<std::string>> SqliteStore::server_tags(uint64_t id) {
	auto all = read_tags("WHERE server_id = ?1 ORDER BY tag", static_cast<int64_t>(id));
	if (!all.ok())
		return all.error();
	std::vector<std::string> out;
	for (auto& t : *all)
		out.push_back(std::move(t.tag));
	return out;
}

Result<std::vector<ServerTag>> SqliteStore::chat_server_tags(std::optional<int64_t> owner_chat) {
	if (!owner_chat)
		return read_tags("ORDER BY server_id, tag", std::nullopt);
	return read_tags(
	    "WHERE server_id IN (SELECT id FROM servers WHERE owner_chat = ?1) ORDER BY server_id, tag",
	    owner_chat);
}

namespace {

Result<ServerTag> read_tag(Stmt& s) {
	return ServerTag{static_cast<uint64_t>(s.i64(0)), s.text(1)};
}

} // namespace

Result<std::vector<ServerTag>> SqliteStore::server_tags_of(std::span<const uint64_t> server_ids) {
	return read_rows_of<ServerTag>("SELECT server_id, tag FROM server_tags WHERE server_id = ?1 ORDER BY tag",
	                               server_ids, read_tag);
}

Result<std::vector<ServerTag>> SqliteStore::read_tags(std::string_view where, std::optional<int64_t> arg) {
	return read_rows<ServerTag>(
	    fmt::format("SELECT server_id, tag FROM server_tags {}", where),
	    [&](Stmt& s) {
		    if (arg)
			    s.bind(1, *arg);
	    },
	    read_tag);
}

} // namespace serversan::store::sqlite
