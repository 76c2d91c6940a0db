// English: /tag and /route, server tags and alert routing (keys tag.*, route.*).
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"tag.usage", "<code>/tag SERVER db prod</code> adds tags, <code>/tag SERVER -prod</code> removes one, "
                  "<code>/tag</code> lists servers by tag."},
    {"tag.done", "🏷 <b>{name}</b>: {tags}"},
    {"tag.none", "no tags"},
    {"tag.bad", "“{tag}” is not a tag: use a-z, 0-9, _ and -, up to 24 characters."},
    {"tag.too_many", "At most 10 tags per server."},
    {"tag.list_title", "🏷 <b>Servers by tag</b>"},
    {"tag.list_line", "#{tag}: {names}"},
    {"tag.untagged", "No tag: {names}"},
    {"tag.list_empty", "No server has a tag yet. <code>/tag SERVER db prod</code> adds some."},
    {"route.usage", "Send <code>/route SERVER</code> in a group to send that server's alerts there; "
                    "<code>/route SERVER off</code> sends them back to you."},
    {"route.in_private",
     "Add me to the group that should get the alerts of <b>{name}</b> and send "
     "<code>/route {name}</code> there. <code>/route {name} off</code> brings them back here."},
    {"route.to_group",
     "🔀 Alerts of <b>{name}</b> now go to this group. <code>/route {name} off</code> sends them back "
     "to its owner."},
    {"route.to_owner", "🔀 Alerts of <b>{name}</b> go to its owner's private chat again."},
    {"route.not_yours", "You have no server “{ref}”. Only a server's owner can route its alerts."},
    {"route.list_title", "🔀 <b>Alert routes</b>"},
    {"route.list_line", "<b>{name}</b> → {where}"},
    {"route.where_owner", "your private chat"},
    {"route.where_here", "this group"},
    {"route.where_group", "a group"},
    {"route.rule_line", "    ↳ {kind} → {where}"},
    {"route.usage_rule", "One kind only: <code>/threshold SERVER KIND here</code> in the group, e.g. "
                         "<code>/threshold web1 disk here</code>."},
    {"route.status", "🔀 Alerts go to {where}"},
};
} // namespace

const Table kRoutingEn{Lang::en, kEntries};

} // namespace serversan::bot::i18n
