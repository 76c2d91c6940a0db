// 简体中文: 服务器上线与移除通知 (keys as in events_en.cpp).
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"events.first_report", "✅ <b>{name}</b> 已开始上报：{facts}。\n发送 /stat 查看状态。"},
    {"events.first_report_bare", "✅ <b>{name}</b> 已开始上报。\n发送 /stat 查看状态。"},
    {"events.cores", "{n} 核"},
    {"events.ram", "{gib} GiB 内存"},
    {"events.removed_unused",
     "🗑 <b>{name}</b> 已移除：{minutes} 分钟内未收到上报。\n发送 /add "
     "获取新的安装命令。"},
};
} // namespace

const Table kEventsZh{Lang::zh, kEntries};

} // namespace serversan::bot::i18n
