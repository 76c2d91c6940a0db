// /list: this chat's servers, one line each: online, offline with when it was last seen, or still
// waiting for its first report. The full status is /stat's (views).
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/context.h"
#include "serversan/server/bot/html.h"

namespace serversan::bot::commands {

namespace {

// An agent reports every minute: three missed reports is offline, a late one is not.
constexpr int64_t kOnlineWithinMs = 3 * 60'000;

std::string ago(const Context& ctx, int64_t ms) {
	int64_t min = ms / 60'000;
	if (min < 1)
		return ctx.t("time.just_now");
	if (min < 60)
		return ctx.t("time.min_ago", {{"n", std::to_string(min)}});
	if (min < 48 * 60)
		return ctx.t("time.h_ago", {{"n", std::to_string(min / 60)}});
	return ctx.t("time.d_ago", {{"n", std::to_string(min / (24 * 60))}});
}

} // namespace

void add_list(Router& r) {
	r.on_command("list", [](Context& ctx) -> Result<void> {
		auto servers = ctx.s.store.servers_of(ctx.chat_id);
		if (!servers.ok())
			return servers.error();
		if (servers->empty()) {
			ctx.reply(ctx.t("servers.none"));
			return Ok();
		}
		std::string text = ctx.t("servers.list_title", {{"count", std::to_string(servers->size())}});
		int64_t now = ctx.now_ms();
		for (const auto& s : *servers) {
			std::string name = escape_html(s.name);
			text += "\n";
			if (!s.last_seen_ms)
				text += ctx.t("servers.line_new", {{"name", name}});
			else if (now - *s.last_seen_ms <= kOnlineWithinMs)
				text += ctx.t("servers.line_online", {{"name", name}});
			else
				text +=
				    ctx.t("servers.line_offline", {{"name", name}, {"ago", ago(ctx, now - *s.last_seen_ms)}});
		}
		ctx.reply(std::move(text));
		return Ok();
	});
}

} // namespace serversan::bot::commands
