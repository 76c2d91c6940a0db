// English: one line per command, for the "/" menu (setMyCommands) and /help. Keys: menu.<command>.
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"menu.start", "Register and see what to do first"},
    {"menu.help", "Every command, one line each"},
    {"menu.add", "Add a server and get its install line"},
    {"menu.list", "Your servers: online or offline, last seen"},
    {"menu.stat", "Status of all servers, or one in full"},
    {"menu.chart", "Charts: CPU, memory, disk, network, load"},
    {"menu.delete", "Delete a server and its data"},
    {"menu.rename", "Rename a server"},
    {"menu.reinstall", "New token and install line for a server"},
    {"menu.threshold", "Alert thresholds of this chat or one server"},
    {"menu.tag", "Tag servers (db, prod…) and list them by tag"},
    {"menu.route", "Send a server's alerts to a group"},
    {"menu.notify", "Alerts: on/off, kinds, quiet hours, snoozes"},
    {"menu.web", "Log in to the web dashboard"},
    {"menu.timezone", "Time zone for times, quiet hours, digest"},
    {"menu.language", "Switch language"},
    {"menu.cancel", "End the current dialog"},
    {"menu.users", "Registered users, 10 a page"},
    {"menu.ban", "Ban a user: /ban ID or @username [reason]"},
    {"menu.unban", "Lift a ban: /unban ID or @username"},
    {"menu.broadcast", "Message every user: /broadcast text"},
    {"menu.fleet", "Users, servers, reports/s, database, outbox"},
};
} // namespace

const Table kMenuEn{Lang::en, kEntries};

} // namespace serversan::bot::i18n
