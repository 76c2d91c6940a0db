// English: the alert messages the engine's notices become, and their buttons. Keys: alerts.*.
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"alerts.firing", "{icon} <b>{server}</b> · {what} {value} for {held}"},
    {"alerts.limit", "Threshold {limit} · since {time}"},
    {"alerts.offline", "🔴 <b>{server}</b> is offline · no report for {held}"},
    {"alerts.offline_warning", "🟠 <b>{server}</b> is offline · no report for {held}"},
    {"alerts.last_report", "Last report {time}"},
    {"alerts.reminder", "🔁 <b>{server}</b> · {what} still {value} · firing for {held}"},
    {"alerts.reminder_offline", "🔁 <b>{server}</b> is still offline · for {held}"},
    {"alerts.resolved", "✅ <b>{server}</b> · {what} back to {value} after {held}"},
    {"alerts.resolved_average",
     "✅ <b>{server}</b> · {what} back to normal after {held} · {window} average {value}"},
    {"alerts.quiet_held", "🌙 Held during quiet hours"},
    {"alerts.quiet_resolved",
     "✅ <b>{server}</b> · {what} {value} during quiet hours · resolved after {held}"},
    {"alerts.quiet_resolved_offline", "✅ <b>{server}</b> was offline during quiet hours · back after {held}"},
    {"alerts.quiet_back", "Back to {value} at {time}"},
    {"alerts.quiet_back_no_value", "Back to normal at {time}"},
    {"alerts.top_cpu_head", "<b>Top CPU</b> · {time}"},
    {"alerts.top_memory_head", "<b>Top memory</b> · {time}"},
    {"alerts.resolved_no_value", "✅ <b>{server}</b> · {what} back to normal after {held}"},
    {"alerts.resolved_offline", "✅ <b>{server}</b> is back online after {held}"},
    {"alerts.resolved_stamp", "✅ <b>Resolved</b> {time} · lasted {held}"},
    {"alerts.group_offline", "{icon} <b>{count} servers offline</b>"},
    {"alerts.group_offline_some", "{icon} <b>{count} servers offline</b> · {back} back online"},
    {"alerts.group_server", "{icon} <b>{server}</b> · {count} alerts"},
    {"alerts.group_item_offline", "{icon} <b>{server}</b> · no report for {held}"},
    {"alerts.group_item_back", "{icon} <b>{server}</b> · back online after {held}"},
    {"alerts.group_item", "{icon} {what} {value} for {held} · {limit}"},
    {"alerts.group_item_resolved", "{icon} {what} · resolved after {held}"},
    {"alerts.group_all_resolved", "✅ <b>All resolved</b> {time}"},
    {"alerts.group_more", "… and {count} more"},
    {"alerts.group_tagged", "All tagged {tags}"},
    {"alerts.group_subnet", "All in {subnet}"},
    {"alerts.disk_left", "{left} free of {total}"},
    {"alerts.disk_full_in", "{left} free of {total} · full in ~{eta} at this rate"},
    {"alerts.inodes_left", "{left} inodes free of {total}"},
    {"alerts.forecast", "⏳ <b>{server}</b> · {what} will be full around {date} (in ~{eta})"},
    {"alerts.forecast_rate", "+{rate}/day · {left} free of {total}"},
    {"alerts.top_title", "<b>{server}</b> · top processes"},
    {"alerts.top_none", "<b>{server}</b> has not sent its top processes yet."},
    {"alerts.btn_snooze", "💤 Snooze 1 h"},
    {"alerts.btn_snoozed", "💤 Snoozed until {time}"},
    {"alerts.btn_mute", "🔇 Mute server"},
    {"alerts.btn_muted", "🔇 Muted until it recovers"},
    {"alerts.btn_top", "📋 Top processes"},
    {"alerts.btn_chart", "📈 Chart"},
    {"alerts.toast_snoozed", "Snoozed until {time}. /notify lists and lifts it."},
    {"alerts.toast_muted", "{server} muted until it recovers. /notify lifts it."},
    {"alerts.toast_silenced", "Lift snoozes and mutes with /notify."},
    {"alerts.chart_title", "{what} · {server}"},
};
} // namespace

const Table kAlertsEn{Lang::en, kEntries};

} // namespace serversan::bot::i18n
