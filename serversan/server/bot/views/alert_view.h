// What an alert notice (alerts/alert_message.h) looks like in a chat, in the reader's language and
// time zone, and the buttons under it. Pure: the facts come in, Telegram HTML comes out; the
// server name and everything the agent sent are clipped and escaped (agent_text.h).
//
//   🟠 web1 · CPU 96.4% for 12 min             firing: what, how far, how long
//   Threshold 90% · since 15:30 UTC+1           the rule's line, when it began
//   Top CPU · 15:41 UTC+1                       the evidence captured at firing (a clock
//   88% · stress 4242                           time: the message is read and edited later)
//
// A reminder and a recovery are one line each (sent as replies to the firing message); the
// firing message itself is then edited to end with a "Resolved" line, its buttons removed.
//
// Buttons: "al:<action>:<server id>:<kind>", at most 38 bytes: s snooze 1 h, m mute the server
// until it recovers, t top processes now, c the kind's chart, d its chart over 24 h (a
// forecast: the day the fit saw); "al:i" says where silences are
// lifted (the label of a button already pressed). The data are parsed, never trusted: the
// handler checks access (commands/alert_buttons.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "serversan/server/alerts/alert_message.h"
#include "serversan/server/bot/telegram/types.h"
#include "serversan/server/bot/views/view_context.h"
#include "serversan/server/charts/chart_request.h"
#include "serversan/server/store/store.h"

namespace serversan::bot::views {

inline constexpr std::string_view kAlertPrefix = "al";
inline constexpr int64_t kSnoozeMs = 3'600'000;

struct AlertButton {
	char action = 'i'; // s m t c d i; g: mute pressed under a grouped message (its own keyboard)
	uint64_t server_id = 0;
	std::string kind; // an alerts::alert_kinds() name
	bool operator==(const AlertButton&) const = default;
};
std::string alert_button_data(char action, uint64_t server_id, std::string_view kind);
// The payload after "al:"; nothing if it is not one of ours (an unknown action or kind, no id).
std::optional<AlertButton> parse_alert_button(std::string_view payload);

// What the keyboard shows as already done in this chat.
struct AlertSilenceShown {
	std::optional<int64_t> snoozed_until_ms;
	bool muted = false;
};
// Snooze and Mute (or what was done), then Top processes (not for offline) and Chart.
telegram::InlineKeyboard alert_keyboard(const ViewContext& vc, uint64_t server_id, std::string_view kind,
                                        const AlertSilenceShown& shown = {});

// The kind's Chart alone: under a message with nothing left to snooze or mute.
telegram::InlineKeyboard chart_keyboard(const ViewContext& vc, uint64_t server_id, std::string_view kind);

// A disk-full forecast has only the disk's Chart, over the 24 h the fit saw: nothing fires, so
// nothing to snooze or mute.
telegram::InlineKeyboard forecast_keyboard(const ViewContext& vc, uint64_t server_id);

// The notice as the chat reads it: firing (with its evidence), reminder, resolved or forecast
// ("⏳ web1 · Disk /data will be full around Tue 15 Dec (in ~4 d 2 h)" and the rate per day).
// A recovery gives the newest sample ("CPU back to 20%"), or, if that is still past the
// threshold, the window's average that cleared. A firing held through quiet hours says so and
// how long it has lasted at vc.now_ms (its sending).
std::string alert_text(const ViewContext& vc, const alerts::AlertMessage& m);
// The firing message once its alert resolved: the firing text and a "Resolved" line. vc.now_ms
// is when the firing message was sent, so the redrawn part reads as it did then.
std::string resolved_firing_text(const ViewContext& vc, const alerts::AlertMessage& firing,
                                 const alerts::AlertMessage& resolved);
// A firing held through quiet hours that resolved before it could go out: one message that says
// both ("✅ web1 · CPU 97% during quiet hours · resolved after 41 min", the threshold and since,
// "Back to 20% at 13:51", the evidence) instead of a stale alert and its recovery.
std::string quiet_resolved_text(const ViewContext& vc, const alerts::AlertMessage& firing,
                                const alerts::AlertMessage& resolved);
// Under a grouped message of one server: Mute (action 'g') or what was done, and Chart; no
// Snooze or Top, which are one alert's.
telegram::InlineKeyboard alert_group_keyboard(const ViewContext& vc, uint64_t server_id,
                                              std::string_view kind, const AlertSilenceShown& shown = {});
// A grouped firing message (several servers offline, or several alerts of one server; see
// bot/alert_group.h): a count line, one line per alert in name order, resolved ones marked with
// how long they lasted, then what the servers share ("All tagged #db", else "All in
// 10.0.3.0/24"; nothing when nothing is known, bot/group_shared.h). Lines past kGroupLines are
// counted, not listed.
inline constexpr size_t kGroupLines = 25;
struct GroupItem {
	alerts::AlertMessage firing;
	std::optional<alerts::AlertMessage> resolved;
};
struct GroupShared {
	std::vector<std::string> tags; // carried by every server of the group
	std::string subnet;            // "10.0.3.0/24", "2001:db8::/64"; said when no tag is shared
	bool operator==(const GroupShared&) const = default;
};
std::string group_firing_text(const ViewContext& vc, std::vector<GroupItem> items,
                              const GroupShared& shared = {});
// Its buttons: Mute server when they are one server's; none for several servers (each one's mute
// is in /notify).
telegram::InlineKeyboard group_keyboard(const ViewContext& vc, const std::vector<GroupItem>& items);
// Several notices of one group that go out together (recoveries, reminders): one line each.
std::string group_notice_text(const ViewContext& vc, std::vector<alerts::AlertMessage> notices);
// The Top processes button's message: the newest top by CPU and by memory the server sent
// (latest: null if it never reported).
std::string top_processes_text(const ViewContext& vc, std::string_view server_name,
                               const store::LatestReport* latest);
// "CPU", "Disk <code>/data</code>" (escaped); an unknown kind (a newer engine) by its name.
std::string alert_what(Lang lang, std::string_view kind, std::string_view device);
// The sparkline's title: "CPU · web1", "Disk /data · web1" (plain text: drawn, not parsed).
std::string sparkline_title(Lang lang, const alerts::AlertMessage& m);
// The /chart kind that shows an alert kind (offline: CPU, where the gap shows).
charts::ChartKind chart_kind_of(std::string_view alert_kind);

} // namespace serversan::bot::views
