// /add [NAME]: a new server owned by this chat (a group's servers belong to the group), and the
// one line that installs its agent. Without a name it asks for one. The token is in that line
// only: it is never stored in clear or logged.
#include <fmt/format.h>

#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/commands/server_pick.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/store/install_line.h"

namespace serversan::bot::commands {

namespace {

constexpr std::string_view kStep = "add.name";

Result<void> add_server(Context& ctx, std::string_view typed) {
	auto role = ctx.role();
	if (!role.ok())
		return role.error();
	if (!role->allows(store::kPermAddServers)) {
		ctx.reply(ctx.t("servers.add_not_allowed"));
		return Ok();
	}
	auto name = accept_name(ctx, typed);
	if (!name) {
		// Still waiting for a usable name.
		ctx.s.dialogs.open(ctx.chat_id, ctx.user_id(), std::string(kStep), 0, ctx.now_ms());
		return Ok();
	}
	ctx.s.dialogs.end(ctx.chat_id, ctx.user_id(), ctx.now_ms());
	int max = ctx.s.settings.max_servers_per_user;
	if (max > 0) {
		auto servers = ctx.s.store.servers_of(ctx.chat_id);
		if (!servers.ok())
			return servers.error();
		if (servers->size() >= static_cast<size_t>(max)) {
			ctx.reply(ctx.t("servers.limit", {{"max", std::to_string(max)}}));
			return Ok();
		}
	}
	auto e = store::enroll_server(ctx.s.store, ctx.chat_id, *name, ctx.now_ms());
	if (!e.ok())
		return e.error();
	std::string line = store::install_line(ctx.s.settings.public_url, e->token);
	ctx.reply(ctx.t("servers.added", {{"name", escape_html(*name)}, {"line", escape_html(line)}}), {}, true);
	return Ok();
}

} // namespace

void add_add(Router& r) {
	r.on_command("add", [](Context& ctx) -> Result<void> {
		if (!ctx.rest.empty())
			return add_server(ctx, ctx.rest);
		ctx.s.dialogs.open(ctx.chat_id, ctx.user_id(), std::string(kStep), 0, ctx.now_ms());
		ctx.reply(ctx.t("servers.ask_name"));
		return Ok();
	});
	r.on_dialog(std::string(kStep), [](Context& ctx) { return add_server(ctx, ctx.rest); });
}

} // namespace serversan::bot::commands
