// English: the dispatcher's notices and the account commands (/start, /help, /cancel, /language,
// /timezone), and relative times. Keys: chat.*, time.*.
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"chat.slow_down", "Too many messages. Please wait a few seconds."},
    {"chat.too_long", "That message is too long for me."},
    {"chat.unknown_command", "Unknown command. /help lists them all."},
    {"chat.hint", "Send a command, e.g. /add to add a server. /help lists them all."},
    {"chat.stale_button", "This button is no longer valid."},
    {"chat.welcome", "<b>Welcome to ServerSan, {name}!</b>\n"
                     "I watch your servers and tell you here when something is wrong.\n\n"
                     "1. /add <i>name</i>: add a server, get its install line\n"
                     "2. Run that line on the server\n"
                     "3. /list and /stat: see how it is doing\n\n"
                     "/help lists every command."},
    {"chat.help_title", "<b>Commands</b>"},
    {"chat.help_admin", "<b>Admin</b>"},
    {"chat.web_link", "<b>Dashboard login</b>\n"
                      "<a href=\"{href}\">Open the dashboard</a>: works once, within {ttl}.\n"
                      "On a computer? Copy the link: <code>{url}</code>\n"
                      "It logs in as you, so don't forward it."},
    {"chat.web_app_button", "Open in Telegram"},
    {"chat.web_private_only", "Send /web to me in a private chat: the link logs in as you."},
    {"chat.cancelled", "Cancelled."},
    {"chat.nothing_to_cancel", "Nothing to cancel."},
    {"chat.language_pick", "Choose your language:"},
    {"chat.language_set", "Language: English."},
    {"chat.language_group_pick",
     "This group's language: <b>{lang}</b>. Alerts, digests and replies here use it. Choose:"},
    {"chat.language_group_view", "This group's language: <b>{lang}</b>. Its admins can change it."},
    {"chat.language_group_set",
     "This group's language: English. Alerts, digests and replies here are in English now."},
    {"chat.timezone_current",
     "Your time zone: <b>{tz}</b>\n"
     "Send a new one, e.g. <code>Europe/Berlin</code> or <code>America/New_York</code>, "
     "or /cancel."},
    {"chat.timezone_set", "Time zone: <b>{tz}</b>"},
    {"chat.timezone_group_current",
     "This group's time zone: <b>{tz}</b> (quiet hours and the daily digest follow it)\n"
     "Send a new one, e.g. <code>Europe/Berlin</code>, or /cancel."},
    {"chat.timezone_group_view", "This group's time zone: <b>{tz}</b>. Its admins can change it."},
    {"chat.timezone_group_set", "This group's time zone: <b>{tz}</b>"},
    {"chat.timezone_unknown", "<b>{tz}</b> is not a time zone I know. Send an IANA name such as "
                              "<code>Europe/Berlin</code> or <code>UTC</code>, or /cancel."},
    {"time.just_now", "just now"},
    {"time.min_ago", "{n} min ago"},
    {"time.h_ago", "{n} h ago"},
    {"time.d_ago", "{n} days ago"},
};
} // namespace

const Table kChatEn{Lang::en, kEntries};

} // namespace serversan::bot::i18n
