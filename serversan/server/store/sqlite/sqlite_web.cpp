// The web dashboard's logins: one-time login links, sessions and API tokens (schema 8). Only
// hashes of the secrets are stored; every lookup is by hash, every list and revoke by owner.
#include <fmt/format.h>

#include "serversan/server/store/sqlite/sqlite_rows.h"

namespace serversan::store::sqlite {

namespace {

constexpr const char* kSessionColumns =
    "id, token_hash, user_id, csrf, via, created_ms, last_seen_ms, expires_ms, user_agent, ip";

Result<WebSession> read_session(Stmt& s) {
	WebSession w;
	w.id = static_cast<uint64_t>(s.i64(0));
	w.token_hash = s.blob(1);
	w.user_id = s.i64(2);
	w.csrf = s.text(3);
	w.via = s.text(4);
	w.created_ms = s.i64(5);
	w.last_seen_ms = s.i64(6);
	w.expires_ms = s.i64(7);
	w.user_agent = s.text(8);
	w.ip = s.text(9);
	return w;
}

constexpr const char* kTokenColumns =
    "id, token_hash, user_id, name, prefix, created_ms, last_used_ms, revoked_ms";

Result<ApiToken> read_token(Stmt& s) {
	ApiToken t;
	t.id = static_cast<uint64_t>(s.i64(0));
	t.token_hash = s.blob(1);
	t.user_id = s.i64(2);
	t.name = s.text(3);
	t.prefix = s.text(4);
	t.created_ms = s.i64(5);
	t.last_used_ms = s.opt_i64(6);
	t.revoked_ms = s.opt_i64(7);
	return t;
}

template <typename T>
std::optional<T> first(std::vector<T>& rows) {
	if (rows.empty())
		return std::nullopt;
	return std::move(rows.front());
}

} // namespace

Result<void> SqliteStore::create_login_link(const std::string& token_hash, int64_t user_id, int64_t now_ms,
                                            int64_t expires_ms) {
	auto n = write_one(
	    "INSERT INTO web_login_links(token_hash, user_id, created_ms, expires_ms) VALUES(?,?,?,?)",
	    [&](Stmt& s) { s.bind_blob(1, token_hash).bind(2, user_id).bind(3, now_ms).bind(4, expires_ms); });
	if (!n.ok())
		return n.error();
	return Ok();
}

Result<std::optional<int64_t>> SqliteStore::spend_login_link(const std::string& token_hash, int64_t now_ms) {
	std::lock_guard lock(wmu_);
	if (auto r = check_ready(); !r.ok())
		return r.error();
	// One statement: the check and the spend cannot be split by another spend.
	auto rows = query<int64_t>(
	    w_,
	    "UPDATE web_login_links SET used_ms = ?2 WHERE token_hash = ?1 AND used_ms IS NULL AND "
	    "expires_ms > ?2 RETURNING user_id",
	    [&](Stmt& s) { s.bind_blob(1, token_hash).bind(2, now_ms); },
	    [](Stmt& s) -> Result<int64_t> { return s.i64(0); });
	if (!rows.ok())
		return rows.error();
	return first(*rows);
}

Result<std::optional<int64_t>> SqliteStore::login_link_user(const std::string& token_hash) {
	auto rows = read_rows<int64_t>(
	    "SELECT user_id FROM web_login_links WHERE token_hash = ?",
	    [&](Stmt& s) { s.bind_blob(1, token_hash); }, [](Stmt& s) -> Result<int64_t> { return s.i64(0); });
	if (!rows.ok())
		return rows.error();
	return first(*rows);
}

Result<uint64_t> SqliteStore::create_web_session(const WebSession& w) {
	std::lock_guard lock(wmu_); // held until last_insert_rowid() is read
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto n = write(w_,
	               "INSERT INTO web_sessions(token_hash, user_id, csrf, via, created_ms, last_seen_ms, "
	               "expires_ms, user_agent, ip) VALUES(?,?,?,?,?,?,?,?,?)",
	               [&](Stmt& s) {
		               s.bind_blob(1, w.token_hash)
		                   .bind(2, w.user_id)
		                   .bind(3, std::string_view(w.csrf))
		                   .bind(4, std::string_view(w.via))
		                   .bind(5, w.created_ms)
		                   .bind(6, w.last_seen_ms)
		                   .bind(7, w.expires_ms)
		                   .bind(8, std::string_view(w.user_agent))
		                   .bind(9, std::string_view(w.ip));
	               });
	if (!n.ok())
		return n.error();
	return static_cast<uint64_t>(w_.last_insert_rowid());
}

Result<std::optional<WebSession>> SqliteStore::find_web_session(const std::string& token_hash,
                                                                int64_t now_ms) {
	auto rows = read_rows<WebSession>(
	    fmt::format("SELECT {} FROM web_sessions WHERE token_hash = ?1 AND expires_ms > ?2", kSessionColumns),
	    [&](Stmt& s) { s.bind_blob(1, token_hash).bind(2, now_ms); }, read_session);
	if (!rows.ok())
		return rows.error();
	return first(*rows);
}

Result<void> SqliteStore::touch_web_session(uint64_t id, int64_t now_ms) {
	auto n = write_one(
	    "UPDATE web_sessions SET last_seen_ms = ?2 WHERE id = ?1 AND last_seen_ms <= ?3",
	    [&](Stmt& s) { s.bind(1, static_cast<int64_t>(id)).bind(2, now_ms).bind(3, now_ms - kMinuteMs); });
	if (!n.ok())
		return n.error();
	return Ok();
}

Result<std::vector<WebSession>> SqliteStore::web_sessions_of(int64_t user_id, int64_t now_ms) {
	return read_rows<WebSession>(
	    fmt::format("SELECT {} FROM web_sessions WHERE user_id = ?1 AND expires_ms > ?2 ORDER BY id",
	                kSessionColumns),
	    [&](Stmt& s) { s.bind(1, user_id).bind(2, now_ms); }, read_session);
}

Result<bool> SqliteStore::revoke_web_session(uint64_t id, int64_t user_id) {
	auto n = write_one("DELETE FROM web_sessions WHERE id = ? AND user_id = ?",
	                   [&](Stmt& s) { s.bind(1, static_cast<int64_t>(id)).bind(2, user_id); });
	if (!n.ok())
		return n.error();
	return *n > 0;
}

Result<uint64_t> SqliteStore::revoke_web_sessions_of(int64_t user_id) {
	auto n = write_one("DELETE FROM web_sessions WHERE user_id = ?", [&](Stmt& s) { s.bind(1, user_id); });
	if (!n.ok())
		return n.error();
	return static_cast<uint64_t>(*n);
}

Result<uint64_t> SqliteStore::purge_web_logins(int64_t now_ms) {
	return in_write_tx([&]() -> Result<uint64_t> {
		auto sessions =
		    write(w_, "DELETE FROM web_sessions WHERE expires_ms <= ?", [&](Stmt& s) { s.bind(1, now_ms); });
		if (!sessions.ok())
			return sessions.error();
		// A spent link is kept until it would have expired anyway: nothing needs it after that.
		auto links = write(w_, "DELETE FROM web_login_links WHERE expires_ms <= ?",
		                   [&](Stmt& s) { s.bind(1, now_ms); });
		if (!links.ok())
			return links.error();
		return static_cast<uint64_t>(*sessions + *links);
	});
}

Result<uint64_t> SqliteStore::create_api_token(const ApiToken& t) {
	std::lock_guard lock(wmu_); // held until last_insert_rowid() is read
	if (auto r = check_ready(); !r.ok())
		return r.error();
	auto n =
	    write(w_, "INSERT INTO api_tokens(token_hash, user_id, name, prefix, created_ms) VALUES(?,?,?,?,?)",
	          [&](Stmt& s) {
		          s.bind_blob(1, t.token_hash)
		              .bind(2, t.user_id)
		              .bind(3, std::string_view(t.name))
		              .bind(4, std::string_view(t.prefix))
		              .bind(5, t.created_ms);
	          });
	if (!n.ok())
		return n.error();
	return static_cast<uint64_t>(w_.last_insert_rowid());
}

Result<std::optional<ApiToken>> SqliteStore::find_api_token(const std::string& token_hash) {
	auto rows = read_rows<ApiToken>(
	    fmt::format("SELECT {} FROM api_tokens WHERE token_hash = ? AND revoked_ms IS NULL", kTokenColumns),
	    [&](Stmt& s) { s.bind_blob(1, token_hash); }, read_token);
	if (!rows.ok())
		return rows.error();
	return first(*rows);
}

Result<void> SqliteStore::touch_api_token(uint64_t id, int64_t now_ms) {
	auto n = write_one(
	    "UPDATE api_tokens SET last_used_ms = ?2 WHERE id = ?1 AND "
	    "(last_used_ms IS NULL OR last_used_ms <= ?3)",
	    [&](Stmt& s) { s.bind(1, static_cast<int64_t>(id)).bind(2, now_ms).bind(3, now_ms - kMinuteMs); });
	if (!n.ok())
		return n.error();
	return Ok();
}

Result<std::vector<ApiToken>> SqliteStore::api_tokens_of(int64_t user_id) {
	return read_rows<ApiToken>(
	    fmt::format("SELECT {} FROM api_tokens WHERE user_id = ? ORDER BY id", kTokenColumns),
	    [&](Stmt& s) { s.bind(1, user_id); }, read_token);
}

Result<bool> SqliteStore::revoke_api_token(uint64_t id, int64_t user_id, int64_t now_ms) {
	auto n = write_one(
	    "UPDATE api_tokens SET revoked_ms = ?3 WHERE id = ?1 AND user_id = ?2 AND revoked_ms IS NULL",
	    [&](Stmt& s) { s.bind(1, static_cast<int64_t>(id)).bind(2, user_id).bind(3, now_ms); });
	if (!n.ok())
		return n.error();
	return *n > 0;
}

} // namespace serversan::store::sqlite
