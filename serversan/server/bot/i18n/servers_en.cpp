// English: the server commands (/add, /list, /delete, /rename, /reinstall) and access refusals.
// Keys: servers.*. Refusals are plain text: they are also shown as a button's pop-up.
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"servers.ask_name", "Send a name for the new server (up to 64 characters), or /cancel."},
    {"servers.name_empty", "The name cannot be empty."},
    {"servers.name_too_long",
     "That name is too long: 64 characters at most. Send a shorter one, or /cancel."},
    {"servers.name_bad", "That name contains control or direction characters. Send another one, or /cancel."},
    {"servers.add_not_allowed", "Your account may not add servers."},
    {"servers.limit", "This chat has reached its limit of {max} servers. Remove one with /delete first."},
    {"servers.added", "✅ <b>{name}</b> added.\n\n"
                      "Run this on the server (it needs root: sudo is in the line):\n<pre>{line}</pre>\n"
                      "The token in it is secret and shown only once. "
                      "If no report arrives within 30 minutes, the server is removed."},
    {"servers.none", "No servers in this chat yet. /add adds one."},
    {"servers.list_title", "<b>Servers</b> ({count})"},
    {"servers.line_online", "🟢 <b>{name}</b> · online"},
    {"servers.line_offline", "🔴 <b>{name}</b> · offline · last seen {ago}"},
    {"servers.line_new", "⚪ <b>{name}</b> · waiting for the first report"},
    {"servers.not_found", "That server is not in this chat. /list shows this chat's servers."},
    {"servers.admins_only", "Only this group's admins can do that."},
    {"servers.pick_more", "Only the first {n} are shown: type the name after the command for the others."},
    {"servers.pick_delete", "Which server do you want to delete?"},
    {"servers.confirm_delete", "Delete <b>{name}</b> and all its data? This cannot be undone."},
    {"servers.delete_yes", "🗑 Delete"},
    {"servers.deleted", "🗑 <b>{name}</b> deleted.\n\n"
                        "To remove the agent, run this on the server:\n<pre>{line}</pre>"},
    {"servers.pick_rename", "Which server do you want to rename?"},
    {"servers.ask_new_name", "Send the new name for <b>{name}</b>, or /cancel."},
    {"servers.renamed", "✏️ <b>{old}</b> is now <b>{name}</b>."},
    {"servers.pick_reinstall", "Which server needs a new token?"},
    {"servers.confirm_reinstall", "Give <b>{name}</b> a new token? Its agent stops reporting at once, "
                                  "until you run the new install line."},
    {"servers.reinstall_yes", "🔑 New token"},
    {"servers.reinstalled",
     "🔑 New token for <b>{name}</b>; the old one no longer works.\n\n"
     "Run this on the server (it needs root: sudo is in the line):\n<pre>{line}</pre>\n"
     "The token is secret and shown only once."},
};
} // namespace

const Table kServersEn{Lang::en, kEntries};

} // namespace serversan::bot::i18n
