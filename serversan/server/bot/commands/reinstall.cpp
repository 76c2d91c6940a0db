// /reinstall [SERVER]: a new token and install line for a server whose token was lost or leaked.
// Confirmed first, because the running agent stops reporting at once (rotate_token); like
// /delete, only a group's admins may do it.
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/commands/server_pick.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/store/install_line.h"

namespace serversan::bot::commands {

namespace {

Result<void> confirm(Context& ctx, const store::ServerRecord& s) {
	ask_confirm(ctx, s, "servers.confirm_reinstall", "servers.reinstall_yes", "reiok");
	return Ok();
}

} // namespace

void add_reinstall(Router& r) {
	r.on_command("reinstall", [](Context& ctx) {
		return with_typed_server(ctx, ctx.rest, "rei", "servers.pick_reinstall", Action::remove, confirm);
	});
	r.on_button("rei", server_button(Action::remove, confirm));
	r.on_button("reiok",
	            server_button(Action::remove, [](Context& ctx, const store::ServerRecord& s) -> Result<void> {
		            auto token = store::rotate_token(ctx.s.store, s.id);
		            if (!token.ok())
			            return token.error();
		            if (!*token) {
			            ctx.show(ctx.t("servers.not_found"));
			            return Ok();
		            }
		            std::string line = store::install_line(ctx.s.settings.public_url, **token);
		            ctx.show(ctx.t("servers.reinstalled",
		                           {{"name", escape_html(s.name)}, {"line", escape_html(line)}}),
		                     {}, true);
		            return Ok();
	            }));
}

} // namespace serversan::bot::commands
