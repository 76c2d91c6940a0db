// 简体中文: 服务器命令与权限提示 (keys as in servers_en.cpp).
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"servers.ask_name", "请发送新服务器的名称（最多 64 个字符），或发送 /cancel 取消。"},
    {"servers.name_empty", "名称不能为空。"},
    {"servers.name_too_long", "名称太长，最多 64 个字符。请重新发送，或发送 /cancel 取消。"},
    {"servers.name_bad", "名称包含控制字符或方向字符。请重新发送，或发送 /cancel 取消。"},
    {"servers.add_not_allowed", "你的账户无权添加服务器。"},
    {"servers.limit", "当前聊天的服务器已达上限（{max} 台）。请先用 /delete 删除一台。"},
    {"servers.added", "✅ 已添加 <b>{name}</b>。\n\n"
                      "请在该服务器上执行（需要 root 权限，命令中已含 sudo）：\n<pre>{line}</pre>\n"
                      "命令中的令牌是机密，仅显示这一次。30 分钟内未收到上报，该服务器将被自动删除。"},
    {"servers.none", "当前聊天还没有服务器。发送 /add 添加。"},
    {"servers.list_title", "<b>服务器</b>（{count} 台）"},
    {"servers.line_online", "🟢 <b>{name}</b> · 在线"},
    {"servers.line_offline", "🔴 <b>{name}</b> · 离线 · 最后上报 {ago}"},
    {"servers.line_new", "⚪ <b>{name}</b> · 等待首次上报"},
    {"servers.not_found", "当前聊天中没有该服务器。发送 /list 查看。"},
    {"servers.admins_only", "只有群管理员可以执行此操作。"},
    {"servers.pick_more", "仅显示前 {n} 台，其他服务器请在命令后输入名称。"},
    {"servers.pick_delete", "要删除哪台服务器？"},
    {"servers.confirm_delete", "确定删除 <b>{name}</b> 及其全部数据？此操作无法撤销。"},
    {"servers.delete_yes", "🗑 删除"},
    {"servers.deleted",
     "🗑 已删除 <b>{name}</b>。\n\n"
     "如需卸载客户端，请在该服务器上执行（需要 root 权限，命令中已含 sudo）：\n<pre>{line}</pre>"},
    {"servers.pick_rename", "要重命名哪台服务器？"},
    {"servers.ask_new_name", "请发送 <b>{name}</b> 的新名称，或发送 /cancel 取消。"},
    {"servers.renamed", "✏️ <b>{old}</b> 已重命名为 <b>{name}</b>。"},
    {"servers.pick_reinstall", "要为哪台服务器生成新令牌？"},
    {"servers.confirm_reinstall",
     "确定为 <b>{name}</b> 生成新令牌？客户端将立即停止上报，直到你执行新的安装命令。"},
    {"servers.reinstall_yes", "🔑 生成新令牌"},
    {"servers.reinstalled", "🔑 已为 <b>{name}</b> 生成新令牌，旧令牌已失效。\n\n"
                            "请在该服务器上执行（需要 root 权限，命令中已含 sudo）：\n<pre>{line}</pre>\n"
                            "令牌是机密，仅显示这一次。"},
};
} // namespace

const Table kServersZh{Lang::zh, kEntries};

} // namespace serversan::bot::i18n
