// /notify: the chat's notification settings. Without arguments the screen with buttons
// (notify_buttons.cpp); with arguments one typed change, answered with the screen as it is now,
// or with what is accepted. Changes need may_change_chat (a group's admins).
#include <charconv>

#include "serversan/core/ascii.h"
#include "serversan/server/alerts/rule_catalog.h"
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/commands/notify_parse.h"
#include "serversan/server/bot/commands/notify_settings.h"
#include "serversan/server/bot/commands/server_pick.h"
#include "serversan/server/bot/html.h"

namespace serversan::bot::commands {

namespace {

std::string kind_names() {
	std::string out;
	for (const auto& k : alerts::alert_kinds())
		out += (out.empty() ? "" : ", ") + std::string(k.name);
	return out;
}

void usage(Context& ctx) {
	ctx.reply(ctx.t("notify.usage", {{"kinds", kind_names()}}));
}

// "/notify lift N": N as numbered on the screen.
Result<void> lift_typed(Context& ctx, std::string_view n) {
	auto state = load_notify(ctx);
	if (!state.ok())
		return state.error();
	size_t i = 0;
	auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), i);
	if (ec != std::errc{} || end != n.data() + n.size() || i == 0 || i > state->silences.size()) {
		ctx.reply(ctx.t("notify.bad_lift", {{"n", escape_html(n)}}));
		return Ok();
	}
	return lift_silence(ctx, state->silences[i - 1].id);
}

// "/notify WHAT VALUE": the change, or nothing after telling the user what is accepted.
std::optional<SettingsEdit> typed_edit(Context& ctx, const std::string& what, const std::string& value) {
	auto on_off = [&]() -> std::optional<bool> {
		auto v = parse_on_off(value);
		if (!v)
			ctx.reply(ctx.t("notify.bad_on_off", {{"what", escape_html(what)}}));
		return v;
	};
	const bool off = equal_ascii_ci(value, "off");
	if (equal_ascii_ci(what, "quiet")) {
		auto span = parse_span(value);
		if (!off && !span) {
			ctx.reply(ctx.t("notify.bad_quiet"));
			return std::nullopt;
		}
		return [span](store::ChatSettings& s) { set_quiet(s, span); };
	}
	if (equal_ascii_ci(what, "reminder")) {
		auto every = off ? std::optional<int64_t>(0) : parse_interval(value);
		if (!every) {
			ctx.reply(ctx.t("notify.bad_reminder"));
			return std::nullopt;
		}
		return [every](store::ChatSettings& s) { s.reminder_s = *every; };
	}
	if (equal_ascii_ci(what, "digest")) {
		auto hour = parse_hour(value);
		if (!off && !hour) {
			ctx.reply(ctx.t("notify.bad_digest"));
			return std::nullopt;
		}
		return [hour](store::ChatSettings& s) { s.digest_hour = hour; };
	}
	if (equal_ascii_ci(what, "critical")) {
		auto v = on_off();
		return v ? std::optional<SettingsEdit>([v](store::ChatSettings& s) { s.quiet_lets_critical = *v; })
		         : std::nullopt;
	}
	if (equal_ascii_ci(what, "silent")) {
		auto v = on_off();
		return v ? std::optional<SettingsEdit>([v](store::ChatSettings& s) { s.silent_warnings = *v; })
		         : std::nullopt;
	}
	const alerts::AlertKind* kind = alerts::find_kind(what);
	if (kind || equal_ascii_ci(what, "all")) {
		auto v = on_off();
		std::string name = kind ? std::string(kind->name) : "all";
		return v ? std::optional<SettingsEdit>([v, name](store::ChatSettings& s) { set_kind(s, name, *v); })
		         : std::nullopt;
	}
	usage(ctx);
	return std::nullopt;
}

Result<void> notify_command(Context& ctx) {
	const auto& a = ctx.args;
	if (a.empty())
		return open_notify(ctx, views::NotifyPage::main);
	if (a.size() == 1)
		if (auto v = parse_on_off(a[0]))
			return change_notify(
			    ctx, [v](store::ChatSettings& s) { s.notify = *v; }, "notify.saved");
	// "quiet 23:00 - 07:00" may come with spaces: the value is the rest of the line.
	std::string value(trim_ascii_space(std::string_view(ctx.rest).substr(a[0].size())));
	if (equal_ascii_ci(a[0], "lift"))
		return lift_typed(ctx, value);
	if (auto edit = typed_edit(ctx, a[0], value))
		return change_notify(ctx, *edit, "notify.saved");
	return Ok();
}
} // namespace

void add_notify(Router& r) {
	r.on_command("notify", notify_command);
	add_notify_buttons(r);
}

} // namespace serversan::bot::commands
