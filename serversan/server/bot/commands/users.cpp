// /users: the registered users, ten a page, oldest first: name, @username, id, role, number of
// servers, language and whether they blocked the bot. Prev/Next ("usr:<page>") edit the page in
// place; every press goes through the admin gate again.
#include <algorithm>

#include <fmt/format.h>

#include "serversan/core/encoding.h"
#include "serversan/server/bot/commands/admin_gate.h"
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/commands/server_pick.h"
#include "serversan/server/bot/html.h"

namespace serversan::bot::commands {

namespace {

constexpr size_t kPerPage = 10;
constexpr std::string_view kPage = "usr";

std::string role_name(const Context& ctx, const std::string& role) {
	if (role == "admin" || role == "user" || role == "blocked")
		return ctx.t("admin.role_" + role);
	return escape_html(role);
}

Result<void> show_page(Context& ctx, size_t page) {
	auto users = ctx.s.store.list_users();
	if (!users.ok())
		return users.error();
	std::sort(users->begin(), users->end(), [](const store::User& a, const store::User& b) {
		return std::pair(a.created_ms, a.telegram_id) < std::pair(b.created_ms, b.telegram_id);
	});
	size_t pages = std::max<size_t>(1, (users->size() + kPerPage - 1) / kPerPage);
	page = std::min(page, pages - 1);
	std::string text = ctx.t("admin.users_title", {{"total", std::to_string(users->size())},
	                                               {"page", std::to_string(page + 1)},
	                                               {"pages", std::to_string(pages)}});
	size_t end = std::min(users->size(), (page + 1) * kPerPage);
	for (size_t i = page * kPerPage; i < end; ++i) {
		const store::User& u = (*users)[i];
		auto servers = ctx.s.store.servers_of(u.telegram_id);
		if (!servers.ok())
			return servers.error();
		std::string line =
		    fmt::format("{} · {} · {}", role_name(ctx, u.role),
		                ctx.t(servers->size() == 1 ? "admin.servers_one" : "admin.servers_many",
		                      {{"n", std::to_string(servers->size())}}),
		                language_name(language_for(u.language)));
		if (u.bot_blocked)
			line += " · " + ctx.t("admin.blocked_bot");
		text += fmt::format("\n\n{}. {}\n{}", i + 1, user_label(u), line);
	}
	telegram::InlineKeyboard kb(1);
	if (page > 0)
		kb[0].push_back({ctx.t("admin.prev"), button_data(kPage, page - 1), {}});
	if (page + 1 < pages)
		kb[0].push_back({ctx.t("admin.next"), button_data(kPage, page + 1), {}});
	std::optional<telegram::InlineKeyboard> keyboard;
	if (!kb[0].empty())
		keyboard = std::move(kb);
	ctx.show(std::move(text), std::move(keyboard));
	return Ok();
}

} // namespace

void add_users(Router& r) {
	r.on_command("users",
	             admin_only(store::kPermManageUsers, [](Context& ctx) { return show_page(ctx, 0); }));
	r.on_button(std::string(kPage), admin_only(store::kPermManageUsers, [](Context& ctx) -> Result<void> {
		            auto page = parse_u64(ctx.rest);
		            if (!page) {
			            ctx.answer(ctx.t("chat.stale_button"));
			            return Ok();
		            }
		            return show_page(ctx, static_cast<size_t>(std::min<uint64_t>(*page, 1'000'000)));
	            }));
}

} // namespace serversan::bot::commands
