// English: /notify, the chat's notification settings, snoozes and mutes. Keys: notify.*.
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"notify.title", "🔔 <b>Notifications</b>: on"},
    {"notify.title_off", "🔕 <b>Notifications</b>: off, no alerts are sent"},
    {"notify.kinds_all", "All alert kinds on"},
    {"notify.kinds_none", "All alert kinds off"},
    {"notify.kinds_off", "Off: {kinds}"},
    {"notify.quiet", "🌙 Quiet hours: {span} ({tz})"},
    {"notify.quiet_critical", ", critical alerts get through"},
    {"notify.quiet_held", ", all alerts held"},
    {"notify.quiet_none", "🌙 Quiet hours: none"},
    {"notify.warnings_sound", "🔈 Warnings: with sound"},
    {"notify.warnings_silent", "🔇 Warnings: silent"},
    {"notify.reminder", "🔁 Reminder while firing: every {every}"},
    {"notify.reminder_off", "🔁 Reminder while firing: off"},
    {"notify.digest", "📰 Daily digest: {time} ({tz})"},
    {"notify.digest_off", "📰 Daily digest: off"},
    {"notify.silences", "<b>Snoozed and muted</b>"},
    {"notify.silence_until", "until {time}"},
    {"notify.silence_recovers", "until it recovers"},
    {"notify.all_servers", "all servers"},
    {"notify.all_kinds", "all alerts"},
    {"notify.more_silences", "… and {n} more (<code>/notify lift N</code>)"},
    {"notify.btn_all", "All notifications"},
    {"notify.btn_quiet", "🌙 Quiet hours"},
    {"notify.btn_reminder", "🔁 Reminder"},
    {"notify.btn_critical", "Critical when quiet"},
    {"notify.btn_silent", "Silent warnings"},
    {"notify.btn_digest", "📰 Daily digest"},
    {"notify.btn_lift", "Lift {n}"},
    {"notify.btn_off", "Off"},
    {"notify.quiet_page", "🌙 <b>Quiet hours</b> ({tz})\n"
                          "Alerts wait until they end. Pick a span, or type exact times: "
                          "<code>/notify quiet 23:30-06:45</code>"},
    {"notify.reminder_page", "🔁 <b>Reminder</b>\n"
                             "While an alert keeps firing, it is sent again this often. "
                             "Or type: <code>/notify reminder 90m</code>"},
    {"notify.digest_page", "📰 <b>Daily digest</b> ({tz})\n"
                           "One message a day: each server's state and the day's alerts. "
                           "Or type: <code>/notify digest 9</code>"},
    {"notify.saved", "✅ Saved."},
    {"notify.lifted", "✅ Lifted."},
    {"notify.usage", "<b>/notify</b> shows this chat's notifications with buttons. Or type:\n"
                     "<code>/notify on</code> or <code>off</code>\n"
                     "<code>/notify cpu off</code> (kinds: {kinds}, all)\n"
                     "<code>/notify quiet 23:00-07:00</code> or <code>quiet off</code>\n"
                     "<code>/notify critical on</code>: critical alerts in quiet hours\n"
                     "<code>/notify silent on</code>: warnings without sound\n"
                     "<code>/notify reminder 4h</code>, <code>30m</code> or <code>off</code>\n"
                     "<code>/notify digest 9</code> or <code>off</code>\n"
                     "<code>/notify lift 1</code>: lift snooze number 1"},
    {"notify.bad_on_off", "Add <code>on</code> or <code>off</code>, e.g. <code>/notify {what} off</code>."},
    {"notify.bad_quiet",
     "Quiet hours are two different times of day: <code>/notify quiet 23:00-07:00</code>, "
     "or <code>/notify quiet off</code>."},
    {"notify.bad_reminder",
     "A reminder interval from 10 min to 7 days, e.g. <code>/notify reminder 4h</code> "
     "or <code>30m</code>, or <code>off</code>."},
    {"notify.bad_digest", "The digest takes a whole hour, e.g. <code>/notify digest 9</code> or "
                          "<code>09:00</code>, or <code>off</code>."},
    {"notify.bad_lift", "There is no snooze or mute number {n}. /notify lists them with their numbers."},
    {"notify.kind.cpu", "CPU"},
    {"notify.kind.ram", "RAM"},
    {"notify.kind.swap", "Swap"},
    {"notify.kind.disk", "Disk"},
    {"notify.kind.inodes", "Inodes"},
    {"notify.kind.load", "Load"},
    {"notify.kind.net_in", "Net in"},
    {"notify.kind.net_out", "Net out"},
    {"notify.kind.io", "Disk I/O"},
    {"notify.kind.temp", "Temperature"},
    {"notify.kind.offline", "Offline"},
};
} // namespace

const Table kNotifyEn{Lang::en, kEntries};

} // namespace serversan::bot::i18n
