// 简体中文: the admin commands (/users, /ban, /unban, /broadcast, /fleet). Keys: admin.*.
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"admin.private_only", "请在与我的私聊中使用此命令。"},
    {"admin.role_admin", "管理员"},
    {"admin.role_user", "用户"},
    {"admin.role_blocked", "已封禁"},
    {"admin.users_title", "<b>用户</b>：{total} · 第 {page}/{pages} 页"},
    {"admin.servers_one", "1 台服务器"},
    {"admin.servers_many", "{n} 台服务器"},
    {"admin.blocked_bot", "已屏蔽机器人"},
    {"admin.prev", "« 上一页"},
    {"admin.next", "下一页 »"},
    {"admin.ban_usage", "请发送 <code>/ban ID</code> 或 <code>/ban @用户名</code>，可附上原因。"},
    {"admin.unban_usage", "请发送 <code>/unban ID</code> 或 <code>/unban @用户名</code>。"},
    {"admin.no_user", "没有已注册的用户 {ref}。/users 可查看全部用户。"},
    {"admin.ban_self", "不能封禁自己。"},
    {"admin.ban_admin", "{user} 是管理员，不能封禁。"},
    {"admin.already_banned", "{user} 已被封禁。"},
    {"admin.banned", "🚫 已封禁 {user}。"},
    {"admin.banned_for", "🚫 已封禁 {user}：{reason}"},
    {"admin.not_banned", "{user} 未被封禁。"},
    {"admin.unbanned", "✅ 已解封 {user}（角色：{role}）。"},
    {"admin.broadcast_usage", "请发送 <code>/broadcast</code> 加上内容（纯文本，可以多行）。"},
    {"admin.broadcast_too_long", "内容太长，一条消息最多 {max} 个字符。"},
    {"admin.broadcast_preview", "📣 <b>将群发给 {n} 位用户。</b>他们收到的内容如下："},
    {"admin.broadcast_send", "发送给 {n} 人"},
    {"admin.broadcast_queued", "📣 群发已为 {n} 位用户排队。"},
    {"admin.broadcast_already", "已经排队发送过了。"},
    {"admin.fleet_title", "<b>全局概况</b>"},
    {"admin.fleet_users", "用户：{total} · {blocked_bot} 已屏蔽机器人 · {banned} 已封禁"},
    {"admin.fleet_servers", "服务器：{total} · {reporting} 正在上报 · {offline} 离线 · {never} 从未上报"},
    {"admin.fleet_reports", "上报：{rate} 次/秒（最近一分钟 {n} 次）"},
    {"admin.fleet_database", "数据库：{size}"},
    {"admin.fleet_outbox", "发送队列：{n} 条待发，最早的已等待 {age}"},
    {"admin.fleet_outbox_empty", "发送队列：空"},
};
} // namespace

const Table kAdminZh{Lang::zh, kEntries};

} // namespace serversan::bot::i18n
