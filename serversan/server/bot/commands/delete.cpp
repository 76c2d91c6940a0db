// /delete [SERVER]: pick (buttons or typed), confirm with a button, delete the server and its
// data, then hand out the uninstall line. Each step re-checks access with the id it was given:
// in a group only the group's admins may delete.
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/commands/server_pick.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/store/install_line.h"

namespace serversan::bot::commands {

namespace {

Result<void> confirm(Context& ctx, const store::ServerRecord& s) {
	ask_confirm(ctx, s, "servers.confirm_delete", "servers.delete_yes", "delok");
	return Ok();
}

} // namespace

void add_delete(Router& r) {
	r.on_command("delete", [](Context& ctx) {
		return with_typed_server(ctx, ctx.rest, "del", "servers.pick_delete", Action::remove, confirm);
	});
	r.on_button("del", server_button(Action::remove, confirm));
	r.on_button(
	    "delok",
	    server_button(Action::remove, [](Context& ctx, const store::ServerRecord& s) -> Result<void> {
		    auto deleted = ctx.s.store.delete_server(s.id);
		    if (!deleted.ok())
			    return deleted.error();
		    if (!*deleted) { // deleted by someone else a moment ago
			    ctx.show(ctx.t("servers.not_found"));
			    return Ok();
		    }
		    std::string line = store::uninstall_line(ctx.s.settings.public_url);
		    ctx.show(ctx.t("servers.deleted", {{"name", escape_html(s.name)}, {"line", escape_html(line)}}),
		             {}, true);
		    return Ok();
	    }));
}

} // namespace serversan::bot::commands
