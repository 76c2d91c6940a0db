// /cancel and every "Cancel" button ("x"): end the open dialog, if any. The dispatcher already
// ends a dialog when any command arrives; /cancel says whether there was one.
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/context.h"

namespace serversan::bot::commands {

void add_cancel(Router& r) {
	r.on_command("cancel", [](Context& ctx) -> Result<void> {
		ctx.reply(ctx.t(ctx.dialog_ended ? "chat.cancelled" : "chat.nothing_to_cancel"));
		return Ok();
	});
	r.on_button("x", [](Context& ctx) -> Result<void> {
		ctx.s.dialogs.end(ctx.chat_id, ctx.user_id(), ctx.now_ms());
		ctx.show(ctx.t("chat.cancelled"));
		return Ok();
	});
}

} // namespace serversan::bot::commands
