// English: the admin commands (/users, /ban, /unban, /broadcast, /fleet). Keys: admin.*.
// Refusals are plain text: they are also shown as a button's pop-up.
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"admin.private_only", "Use this in a private chat with me."},
    {"admin.role_admin", "admin"},
    {"admin.role_user", "user"},
    {"admin.role_blocked", "banned"},
    {"admin.users_title", "<b>Users</b>: {total} · page {page}/{pages}"},
    {"admin.servers_one", "1 server"},
    {"admin.servers_many", "{n} servers"},
    {"admin.blocked_bot", "blocked the bot"},
    {"admin.prev", "« Prev"},
    {"admin.next", "Next »"},
    {"admin.ban_usage",
     "Send <code>/ban ID</code> or <code>/ban @username</code>, optionally with a reason."},
    {"admin.unban_usage", "Send <code>/unban ID</code> or <code>/unban @username</code>."},
    {"admin.no_user", "No registered user {ref}. /users lists them."},
    {"admin.ban_self", "You cannot ban yourself."},
    {"admin.ban_admin", "{user} is an admin and cannot be banned."},
    {"admin.already_banned", "{user} is already banned."},
    {"admin.banned", "🚫 Banned {user}."},
    {"admin.banned_for", "🚫 Banned {user}: {reason}"},
    {"admin.not_banned", "{user} is not banned."},
    {"admin.unbanned", "✅ Unbanned {user} (role: {role})."},
    {"admin.broadcast_usage",
     "Send <code>/broadcast</code> followed by the text (plain text, several lines are fine)."},
    {"admin.broadcast_too_long", "That is too long for one message: {max} characters at most."},
    {"admin.broadcast_preview", "📣 <b>Broadcast to {n} users.</b> They will get exactly this:"},
    {"admin.broadcast_send", "Send to {n}"},
    {"admin.broadcast_queued", "📣 Broadcast queued for {n} users."},
    {"admin.broadcast_already", "Already queued."},
    {"admin.fleet_title", "<b>Fleet</b>"},
    {"admin.fleet_users", "Users: {total} · {blocked_bot} blocked the bot · {banned} banned"},
    {"admin.fleet_servers",
     "Servers: {total} · {reporting} reporting · {offline} offline · {never} never reported"},
    {"admin.fleet_reports", "Reports: {rate}/s ({n} in the last minute)"},
    {"admin.fleet_database", "Database: {size}"},
    {"admin.fleet_outbox", "Outbox: {n} queued, oldest {age}"},
    {"admin.fleet_outbox_empty", "Outbox: empty"},
};
} // namespace

const Table kAdminEn{Lang::en, kEntries};

} // namespace serversan::bot::i18n
