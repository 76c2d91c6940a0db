// 简体中文: 命令菜单 (keys as in menu_en.cpp).
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"menu.start", "注册并查看入门步骤"},
    {"menu.help", "所有命令，每行一个"},
    {"menu.add", "添加服务器并获取安装命令"},
    {"menu.list", "你的服务器：在线或离线、最后上报时间"},
    {"menu.stat", "所有服务器的状态，或单台服务器的详情"},
    {"menu.chart", "图表：CPU、内存、磁盘、网络、负载"},
    {"menu.delete", "删除服务器及其数据"},
    {"menu.rename", "重命名服务器"},
    {"menu.reinstall", "为服务器生成新令牌和安装命令"},
    {"menu.threshold", "本聊天或单台服务器的告警阈值"},
    {"menu.tag", "给服务器加标签（db、prod…）并按标签列出"},
    {"menu.route", "把服务器的告警发到群组"},
    {"menu.notify", "告警通知：开关、类型、免打扰、暂停"},
    {"menu.web", "登录网页控制台"},
    {"menu.timezone", "时区：回复中的时间、免打扰、每日摘要"},
    {"menu.language", "切换语言"},
    {"menu.cancel", "结束当前对话"},
    {"menu.users", "已注册用户，每页 10 个"},
    {"menu.ban", "封禁用户：/ban ID 或 @用户名 [原因]"},
    {"menu.unban", "解除封禁：/unban ID 或 @用户名"},
    {"menu.broadcast", "向所有用户发消息：/broadcast 内容"},
    {"menu.fleet", "用户、服务器、每秒上报数、数据库、发送队列"},
};
} // namespace

const Table kMenuZh{Lang::zh, kEntries};

} // namespace serversan::bot::i18n
