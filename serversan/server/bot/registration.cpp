#include "serversan/server/bot/registration.h"

#include <algorithm>

#include "serversan/server/bot/html.h"
#include "serversan/server/bot/i18n.h"

namespace serversan::bot {

namespace {

std::string display_name(const telegram::User& u) {
	std::string name = u.first_name;
	if (!u.last_name.empty())
		name += (name.empty() ? "" : " ") + u.last_name;
	return sanitize_utf8(name);
}

} // namespace

Result<store::User> register_user(store::Store& store, const std::vector<int64_t>& admins,
                                  const telegram::User& from, bool refresh, int64_t now_ms) {
	bool admin = std::find(admins.begin(), admins.end(), from.id) != admins.end();
	auto found = store.find_user(from.id);
	if (!found.ok())
		return found.error();
	if (!*found) {
		store::User u;
		u.telegram_id = from.id;
		u.username = sanitize_utf8(from.username);
		u.display_name = display_name(from);
		u.role = admin ? "admin" : "user";
		u.language = std::string(language_tag(language_for(from.language_code)));
		u.created_ms = now_ms;
		auto created = store.create_user(u);
		if (!created.ok())
			return created.error();
		if (*created)
			return u;
		// Created by a concurrent update a moment ago: read what it wrote.
		found = store.find_user(from.id);
		if (!found.ok())
			return found.error();
		if (!*found)
			return Err("user vanished while being registered");
	}
	store::User u = **found;
	if (!refresh)
		return u;
	store::User before = u;
	u.username = sanitize_utf8(from.username);
	u.display_name = display_name(from);
	u.bot_blocked = false;
	if (admin)
		u.role = "admin";
	if (u == before)
		return u;
	auto updated = store.update_user(u);
	if (!updated.ok())
		return updated.error();
	return u;
}

} // namespace serversan::bot
