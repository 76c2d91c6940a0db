// What /notify's command and buttons share: the chat's settings with the zone they are read in and
// the snoozes and mutes as the chat sees them, saving a change, and drawing a screen. The settings
// are the chat's: in a group everyone sees them, only admins change them (may_change_chat).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "serversan/server/bot/context.h"
#include "serversan/server/bot/router.h"
#include "serversan/server/bot/views/notify_view.h"

namespace serversan::bot::commands {

struct NotifyState {
	store::ChatSettings settings;
	std::string zone;                          // alerts::chat_zone
	std::vector<views::ShownSilence> silences; // in force now; none of a deleted server
};

Result<NotifyState> load_notify(Context& ctx);
// Stores settings with updated_ms from the clock.
Result<void> save_notify(Context& ctx, store::ChatSettings settings);
// Draws page (a button edits its message, a command sends one); a non-empty note_key goes first.
void show_notify(Context& ctx, const NotifyState& state, views::NotifyPage page,
                 std::string_view note_key = {});

// /notify and its page buttons: page drawn from the store. The pickers exist only to change
// something, so a member who may not is refused at once rather than after a pick.
Result<void> open_notify(Context& ctx, views::NotifyPage page);

using SettingsEdit = std::function<void(store::ChatSettings&)>;
// One change, the same from a typed form and a button: checks that the user may change this
// chat's settings, applies edit, stores, then shows the main screen (after note_key).
Result<void> change_notify(Context& ctx, const SettingsEdit& edit, std::string_view note_key = {});
// Lifts one of this chat's snoozes or mutes (another chat's id lifts nothing: a stale button),
// then shows the main screen; the same checks as change_notify.
Result<void> lift_silence(Context& ctx, uint64_t id);
// The state if the user may change this chat's settings; nothing after telling them they may not.
Result<std::optional<NotifyState>> load_for_change(Context& ctx);

// The "nt:" buttons (views/notify_view.h lists their data).
void add_notify_buttons(Router& r);

// Quiet hours [from, to) in minutes, or none.
void set_quiet(store::ChatSettings& settings, std::optional<std::pair<int, int>> span);
// Turns one alert kind (alerts::alert_kinds() name) or "all" on or off; muted_kinds stays sorted.
void set_kind(store::ChatSettings& settings, std::string_view kind, bool on);

} // namespace serversan::bot::commands
