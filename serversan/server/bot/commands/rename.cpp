// /rename [SERVER [NEW NAME]]: pick the server (buttons or typed), then the new name (typed
// with the command, or asked for in a dialog). The dialog keeps the server id and checks it
// again when the name arrives: access may have changed in between.
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/commands/server_pick.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/bot/router.h"

namespace serversan::bot::commands {

namespace {

constexpr std::string_view kStep = "rename.name";

Result<void> ask_name(Context& ctx, const store::ServerRecord& s) {
	ctx.s.dialogs.open(ctx.chat_id, ctx.user_id(), std::string(kStep), s.id, ctx.now_ms());
	ctx.show(ctx.t("servers.ask_new_name", {{"name", escape_html(s.name)}}));
	return Ok();
}

Result<void> rename(Context& ctx, const store::ServerRecord& s, std::string_view typed) {
	auto name = accept_name(ctx, typed);
	if (!name) {
		ctx.s.dialogs.open(ctx.chat_id, ctx.user_id(), std::string(kStep), s.id, ctx.now_ms());
		return Ok();
	}
	ctx.s.dialogs.end(ctx.chat_id, ctx.user_id(), ctx.now_ms());
	auto done = ctx.s.store.rename_server(s.id, *name);
	if (!done.ok())
		return done.error();
	if (!*done) {
		ctx.reply(ctx.t("servers.not_found"));
		return Ok();
	}
	ctx.reply(ctx.t("servers.renamed", {{"old", escape_html(s.name)}, {"name", escape_html(*name)}}));
	return Ok();
}

std::string_view after_first_word(std::string_view rest) {
	size_t space = rest.find_first_of(" \t\n");
	return space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
}

} // namespace

void add_rename(Router& r) {
	r.on_command("rename", [](Context& ctx) {
		// "/rename web1 new name": the first word picks the server, the rest is the name.
		std::string name(after_first_word(ctx.rest));
		std::string_view ref = ctx.args.empty() ? std::string_view{} : std::string_view(ctx.args[0]);
		return with_typed_server(ctx, ref, "ren", "servers.pick_rename", Action::change,
		                         [name](Context& c, const store::ServerRecord& s) {
			                         return name.empty() ? ask_name(c, s) : rename(c, s, name);
		                         });
	});
	r.on_button("ren", server_button(Action::change, ask_name));
	r.on_dialog(std::string(kStep), [](Context& ctx) -> Result<void> {
		ctx.s.dialogs.end(ctx.chat_id, ctx.user_id(), ctx.now_ms());
		auto server = pick_by_id(ctx, std::to_string(ctx.dialog_server), Action::change);
		if (!server.ok())
			return server.error();
		return *server ? rename(ctx, **server, ctx.rest) : Ok();
	});
}

} // namespace serversan::bot::commands
