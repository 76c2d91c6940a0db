// /notify's buttons. Their data carry the value to set (views/notify_view.h), and every value is
// checked here as if typed: a forged or outdated button is a "no longer valid" toast, never a
// setting the screen could not have offered.
#include <charconv>

#include "serversan/server/alerts/quiet_hours.h"
#include "serversan/server/alerts/rule_catalog.h"
#include "serversan/server/bot/commands/notify_parse.h"
#include "serversan/server/bot/commands/notify_settings.h"
#include "serversan/server/bot/commands/server_pick.h"

namespace serversan::bot::commands {

namespace {

template <typename T>
std::optional<T> number(std::string_view s) {
	T v{};
	auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
	if (ec != std::errc{} || end != s.data() + s.size() || s.empty())
		return std::nullopt;
	return v;
}

std::optional<bool> flag(std::string_view s) {
	if (s == "1")
		return true;
	if (s == "0")
		return false;
	return std::nullopt;
}

Result<void> lift(Context& ctx, std::string_view id_text) {
	auto id = number<uint64_t>(id_text);
	if (!id) {
		ctx.answer(ctx.t("chat.stale_button"));
		return Ok();
	}
	return lift_silence(ctx, *id);
}

// The edit a button asks for, if its data is one the screens offer.
std::optional<SettingsEdit> edit_of(std::string_view what, std::string_view a, std::string_view b) {
	if (what == "on" || what == "off") {
		bool on = what == "on";
		return [on](store::ChatSettings& s) { s.notify = on; };
	}
	if (what == "k") {
		const alerts::AlertKind* kind = alerts::find_kind(a);
		auto on = flag(b);
		if (!kind || !on)
			return std::nullopt;
		std::string name(kind->name);
		return [name, on](store::ChatSettings& s) { set_kind(s, name, *on); };
	}
	if (what == "c" || what == "s") {
		auto on = flag(a);
		if (!on)
			return std::nullopt;
		if (what == "c")
			return [on](store::ChatSettings& s) { s.quiet_lets_critical = *on; };
		return [on](store::ChatSettings& s) { s.silent_warnings = *on; };
	}
	if (what == "q") {
		if (a == "off")
			return [](store::ChatSettings& s) { set_quiet(s, std::nullopt); };
		auto from = number<int>(a), to = number<int>(b);
		if (!from || !to || *from < 0 || *to < 0 || *from >= alerts::kMinutesPerDay ||
		    *to >= alerts::kMinutesPerDay || *from == *to)
			return std::nullopt;
		return [span = std::pair{*from, *to}](store::ChatSettings& s) { set_quiet(s, span); };
	}
	if (what == "r") {
		auto every = number<int64_t>(a);
		if (!every || (*every != 0 && (*every < kMinReminderS || *every > kMaxReminderS)))
			return std::nullopt;
		return [every](store::ChatSettings& s) { s.reminder_s = *every; };
	}
	if (what == "d") {
		std::optional<int> hour;
		if (a != "off") {
			hour = number<int>(a);
			if (!hour || *hour < 0 || *hour > 23)
				return std::nullopt;
		}
		return [hour](store::ChatSettings& s) { s.digest_hour = hour; };
	}
	return std::nullopt;
}

Result<void> on_press(Context& ctx) {
	// "what[:a[:b]]"
	std::string_view rest = ctx.rest;
	auto [what, tail] = split_callback(rest);
	auto [a, b] = split_callback(tail);
	if (what == "main" || what.empty())
		return open_notify(ctx, views::NotifyPage::main);
	if (tail.empty() && (what == "q" || what == "r" || what == "d"))
		return open_notify(ctx, what == "q"   ? views::NotifyPage::quiet
		                        : what == "r" ? views::NotifyPage::reminder
		                                      : views::NotifyPage::digest);
	if (what == "l")
		return lift(ctx, tail);
	auto edit = edit_of(what, a, b);
	if (!edit) {
		ctx.answer(ctx.t("chat.stale_button"));
		return Ok();
	}
	return change_notify(ctx, *edit);
}

} // namespace

void add_notify_buttons(Router& r) {
	r.on_button("nt", on_press);
}

} // namespace serversan::bot::commands
