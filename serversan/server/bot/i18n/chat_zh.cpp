// 简体中文: 调度层提示与账户命令 (keys as in chat_en.cpp).
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"chat.slow_down", "操作太频繁，请稍等几秒。"},
    {"chat.too_long", "消息太长，无法处理。"},
    {"chat.unknown_command", "未知命令。发送 /help 查看全部命令。"},
    {"chat.hint", "请发送命令，例如 /add 添加服务器。发送 /help 查看全部命令。"},
    {"chat.stale_button", "该按钮已失效。"},
    {"chat.welcome", "<b>欢迎使用 ServerSan，{name}！</b>\n"
                     "我会监控你的服务器，出现异常时在这里通知你。\n\n"
                     "1. /add <i>名称</i>：添加服务器，获取安装命令\n"
                     "2. 在服务器上执行该命令\n"
                     "3. /list 和 /stat：查看运行状态\n\n"
                     "发送 /help 查看全部命令。"},
    {"chat.help_title", "<b>命令列表</b>"},
    {"chat.help_admin", "<b>管理员</b>"},
    {"chat.web_link", "<b>网页控制台登录</b>\n"
                      "<a href=\"{href}\">打开控制台</a>：{ttl}内有效，仅能使用一次。\n"
                      "在电脑上使用？复制链接：<code>{url}</code>\n"
                      "此链接会以你的身份登录，请勿转发。"},
    {"chat.web_app_button", "在 Telegram 中打开"},
    {"chat.web_private_only", "请在与我的私聊中发送 /web：此链接会以你的身份登录。"},
    {"chat.cancelled", "已取消。"},
    {"chat.nothing_to_cancel", "当前没有进行中的操作。"},
    {"chat.language_pick", "请选择语言："},
    {"chat.language_set", "已切换为简体中文。"},
    {"chat.language_group_pick", "本群语言：<b>{lang}</b>。本群的告警、每日摘要和回复都使用该语言。请选择："},
    {"chat.language_group_view", "本群语言：<b>{lang}</b>。群管理员可以更改。"},
    {"chat.language_group_set", "本群语言已切换为简体中文，告警、每日摘要和回复都将使用中文。"},
    {"chat.timezone_current",
     "当前时区：<b>{tz}</b>\n"
     "请发送新时区，例如 <code>Asia/Shanghai</code> 或 <code>America/New_York</code>，"
     "或发送 /cancel 取消。"},
    {"chat.timezone_set", "时区已设为 <b>{tz}</b>"},
    {"chat.timezone_group_current", "本群时区：<b>{tz}</b>（免打扰和每日摘要按此时区）\n"
                                    "请发送新的时区，例如 <code>Asia/Shanghai</code>，或发送 /cancel 取消。"},
    {"chat.timezone_group_view", "本群时区：<b>{tz}</b>。群管理员可以修改。"},
    {"chat.timezone_group_set", "本群时区已设为 <b>{tz}</b>"},
    {"chat.timezone_unknown", "无法识别时区 <b>{tz}</b>。请发送 IANA 时区名，例如 "
                              "<code>Asia/Shanghai</code> 或 <code>UTC</code>，或发送 /cancel 取消。"},
    {"time.just_now", "刚刚"},
    {"time.min_ago", "{n} 分钟前"},
    {"time.h_ago", "{n} 小时前"},
    {"time.d_ago", "{n} 天前"},
};
} // namespace

const Table kChatZh{Lang::zh, kEntries};

} // namespace serversan::bot::i18n
