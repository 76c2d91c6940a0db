#include "serversan/server/bot/commands/notify_settings.h"

#include <algorithm>

#include "serversan/server/alerts/chat_zone.h"
#include "serversan/server/alerts/rule_catalog.h"
#include "serversan/server/bot/commands/server_pick.h"

namespace serversan::bot::commands {

Result<NotifyState> load_notify(Context& ctx) {
	NotifyState st;
	auto settings = ctx.s.store.chat_settings(ctx.chat_id);
	if (!settings.ok())
		return settings.error();
	st.settings = std::move(*settings);
	st.zone = alerts::chat_zone(st.settings, ctx.private_chat ? &ctx.user : nullptr);
	auto silences = ctx.s.store.silences(ctx.chat_id, ctx.now_ms());
	if (!silences.ok())
		return silences.error();
	for (const auto& s : *silences) {
		views::ShownSilence shown{s.id, {}, s.kind, s.until_ms};
		if (s.server_id) {
			// The store deletes a server's silences with it; one that is gone is never listed.
			auto server = ctx.s.store.find_server(*s.server_id);
			if (!server.ok())
				return server.error();
			if (!*server)
				continue;
			shown.server_name = (*server)->name;
		}
		st.silences.push_back(std::move(shown));
	}
	return st;
}

Result<void> save_notify(Context& ctx, store::ChatSettings settings) {
	settings.chat_id = ctx.chat_id;
	settings.updated_ms = ctx.now_ms();
	return ctx.s.store.put_chat_settings(settings);
}

void show_notify(Context& ctx, const NotifyState& state, views::NotifyPage page, std::string_view note_key) {
	views::ViewContext vc{ctx.lang, state.zone, ctx.now_ms()};
	auto screen = views::notify_screen(vc, state.settings, state.silences, page);
	if (!note_key.empty())
		screen.text = ctx.t(note_key) + "\n\n" + screen.text;
	ctx.show(std::move(screen.text), std::move(screen.keyboard));
}

Result<std::optional<NotifyState>> load_for_change(Context& ctx) {
	auto may = may_change_chat(ctx);
	if (!may.ok())
		return may.error();
	if (!*may)
		return std::optional<NotifyState>{};
	auto state = load_notify(ctx);
	if (!state.ok())
		return state.error();
	return std::optional<NotifyState>(std::move(*state));
}

Result<void> open_notify(Context& ctx, views::NotifyPage page) {
	if (page != views::NotifyPage::main) {
		auto state = load_for_change(ctx);
		if (!state.ok() || !*state)
			return state.ok() ? Ok() : Result<void>(state.error());
		show_notify(ctx, **state, page);
		return Ok();
	}
	auto state = load_notify(ctx);
	if (!state.ok())
		return state.error();
	show_notify(ctx, *state, page);
	return Ok();
}

Result<void> change_notify(Context& ctx, const SettingsEdit& edit, std::string_view note_key) {
	auto state = load_for_change(ctx);
	if (!state.ok() || !*state)
		return state.ok() ? Ok() : Result<void>(state.error());
	edit((*state)->settings);
	auto saved = save_notify(ctx, (*state)->settings);
	if (!saved.ok())
		return saved.error();
	show_notify(ctx, **state, views::NotifyPage::main, note_key);
	return Ok();
}

Result<void> lift_silence(Context& ctx, uint64_t id) {
	auto may = may_change_chat(ctx);
	if (!may.ok() || !*may)
		return may.ok() ? Ok() : Result<void>(may.error());
	// Scoped to this chat by the store: a chat lifts only its own.
	auto lifted = ctx.s.store.delete_silence(id, ctx.chat_id);
	if (!lifted.ok())
		return lifted.error();
	if (!*lifted)
		ctx.answer(ctx.t("chat.stale_button"));
	auto state = load_notify(ctx);
	if (!state.ok())
		return state.error();
	show_notify(ctx, *state, views::NotifyPage::main, *lifted ? "notify.lifted" : "");
	return Ok();
}

void set_quiet(store::ChatSettings& settings, std::optional<std::pair<int, int>> span) {
	settings.quiet_from_min = span ? std::optional<int>(span->first) : std::nullopt;
	settings.quiet_to_min = span ? std::optional<int>(span->second) : std::nullopt;
}

void set_kind(store::ChatSettings& settings, std::string_view kind, bool on) {
	auto& muted = settings.muted_kinds;
	if (kind == "all") {
		muted.clear();
		if (!on)
			for (const auto& k : alerts::alert_kinds())
				muted.emplace_back(k.name);
	} else {
		muted.erase(std::remove(muted.begin(), muted.end(), kind), muted.end());
		if (!on)
			muted.emplace_back(kind);
	}
	std::sort(muted.begin(), muted.end());
}

} // namespace serversan::bot::commands
