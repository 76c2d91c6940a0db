// Group members the bot has seen and the groups' titles (chat_members, group_chats): schema 10.
#include "serversan/server/store/sqlite/sqlite_rows.h"

namespace serversan::store::sqlite {

Result<void> SqliteStore::note_chat_member(int64_t chat_id, int64_t user_id, const std::string& title,
                                           int64_t now_ms) {
	return in_write_tx([&]() -> Result<void> {
		auto n = write(w_,
		               "INSERT INTO chat_members(chat_id, user_id, seen_ms) VALUES(?, ?, ?) "
		               "ON CONFLICT(chat_id, user_id) DO UPDATE SET seen_ms = excluded.seen_ms",
		               [&](Stmt& s) { s.bind(1, chat_id).bind(2, user_id).bind(3, now_ms); });
		if (!n.ok())
			return n.error();
		n = write(w_,
		          "INSERT INTO group_chats(chat_id, title, seen_ms) VALUES(?, ?, ?) "
		          "ON CONFLICT(chat_id) DO UPDATE SET title = excluded.title, seen_ms = excluded.seen_ms",
		          [&](Stmt& s) { s.bind(1, chat_id).bind(2, std::string_view(title)).bind(3, now_ms); });
		if (!n.ok())
			return n.error();
		return Ok();
	});
}

Result<std::vector<int64_t>> SqliteStore::server_group_chats(int64_t user_id) {
	// The user's rows of chat_members_user, each kept if servers_owner has the chat: cost in the
	// groups the user was seen in, never in all the groups that own servers.
	return read_rows<int64_t>(
	    "SELECT m.chat_id FROM chat_members AS m WHERE m.user_id = ? AND m.chat_id < 0 "
	    "AND EXISTS (SELECT 1 FROM servers AS s WHERE s.owner_chat = m.chat_id) ORDER BY m.chat_id",
	    [&](Stmt& s) { s.bind(1, user_id); }, [](Stmt& s) -> Result<int64_t> { return s.i64(0); });
}

Result<std::optional<std::string>> SqliteStore::group_chat_title(int64_t chat_id) {
	return first_row(read_rows<std::string>(
	    "SELECT title FROM group_chats WHERE chat_id = ?", [&](Stmt& s) { s.bind(1, chat_id); },
	    [](Stmt& s) -> Result<std::string> { return s.text(0); }));
}

} // namespace serversan::store::sqlite
