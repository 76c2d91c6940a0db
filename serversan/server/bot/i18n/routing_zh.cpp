// 简体中文：/tag 与 /route，服务器标签与告警路由（键 tag.*、route.*）。
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"tag.usage", "<code>/tag 服务器 db prod</code> 添加标签，<code>/tag 服务器 -prod</code> 删除标签，"
                  "<code>/tag</code> 按标签列出服务器。"},
    {"tag.done", "🏷 <b>{name}</b>：{tags}"},
    {"tag.none", "无标签"},
    {"tag.bad", "“{tag}”不是有效标签：只能用 a-z、0-9、_ 和 -，最多 24 个字符。"},
    {"tag.too_many", "每台服务器最多 10 个标签。"},
    {"tag.list_title", "🏷 <b>按标签分组</b>"},
    {"tag.list_line", "#{tag}：{names}"},
    {"tag.untagged", "无标签：{names}"},
    {"tag.list_empty", "还没有服务器带标签。<code>/tag 服务器 db prod</code> 可以添加。"},
    {"route.usage", "在群组中发送 <code>/route 服务器</code>，该服务器的告警就会发到这个群；"
                    "<code>/route 服务器 off</code> 改回发给你。"},
    {"route.in_private", "把我加入要接收 <b>{name}</b> 告警的群组，并在群里发送 <code>/route {name}</code>。"
                         "<code>/route {name} off</code> 改回发到这里。"},
    {"route.to_group", "🔀 <b>{name}</b> 的告警现在发到本群。<code>/route {name} off</code> 改回发给所有者。"},
    {"route.to_owner", "🔀 <b>{name}</b> 的告警已改回发到所有者的私聊。"},
    {"route.not_yours", "你没有名为“{ref}”的服务器。只有服务器所有者可以设置告警路由。"},
    {"route.list_title", "🔀 <b>告警路由</b>"},
    {"route.list_line", "<b>{name}</b> → {where}"},
    {"route.where_owner", "你的私聊"},
    {"route.where_here", "本群"},
    {"route.where_group", "一个群组"},
    {"route.rule_line", "    ↳ {kind} → {where}"},
    {"route.usage_rule", "只发某一类告警：在群里发送 <code>/threshold 服务器 类型 here</code>，例如 "
                         "<code>/threshold web1 disk here</code>。"},
    {"route.status", "🔀 告警发往{where}"},
};
} // namespace

const Table kRoutingZh{Lang::zh, kEntries};

} // namespace serversan::bot::i18n
