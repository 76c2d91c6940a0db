// 简体中文：/notify，本聊天的通知设置、暂停与静音。Keys: notify.*.
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"notify.title", "🔔 <b>告警通知</b>：开启"},
    {"notify.title_off", "🔕 <b>告警通知</b>：已关闭，不发送任何告警"},
    {"notify.kinds_all", "全部告警类型已开启"},
    {"notify.kinds_none", "全部告警类型已关闭"},
    {"notify.kinds_off", "已关闭：{kinds}"},
    {"notify.quiet", "🌙 免打扰：{span}（{tz}）"},
    {"notify.quiet_critical", "，严重告警照常发送"},
    {"notify.quiet_held", "，所有告警延后发送"},
    {"notify.quiet_none", "🌙 免打扰：未设置"},
    {"notify.warnings_sound", "🔈 警告：有提示音"},
    {"notify.warnings_silent", "🔇 警告：静音发送"},
    {"notify.reminder", "🔁 告警持续时：每 {every}提醒一次"},
    {"notify.reminder_off", "🔁 告警持续时：不再提醒"},
    {"notify.digest", "📰 每日摘要：{time}（{tz}）"},
    {"notify.digest_off", "📰 每日摘要：关闭"},
    {"notify.silences", "<b>暂停与静音</b>"},
    {"notify.silence_until", "至 {time}"},
    {"notify.silence_recovers", "直到恢复"},
    {"notify.all_servers", "全部服务器"},
    {"notify.all_kinds", "全部告警"},
    {"notify.more_silences", "……还有 {n} 条（<code>/notify lift 编号</code>）"},
    {"notify.btn_all", "全部通知"},
    {"notify.btn_quiet", "🌙 免打扰"},
    {"notify.btn_reminder", "🔁 提醒间隔"},
    {"notify.btn_critical", "免打扰时发严重告警"},
    {"notify.btn_silent", "警告静音"},
    {"notify.btn_digest", "📰 每日摘要"},
    {"notify.btn_lift", "解除 {n}"},
    {"notify.btn_off", "关闭"},
    {"notify.quiet_page", "🌙 <b>免打扰时段</b>（{tz}）\n"
                          "时段内的告警会在结束后发送。选择一个时段，或输入准确时间："
                          "<code>/notify quiet 23:30-06:45</code>"},
    {"notify.reminder_page", "🔁 <b>提醒间隔</b>\n"
                             "告警持续期间按此间隔再次提醒。也可输入：<code>/notify reminder 90m</code>"},
    {"notify.digest_page", "📰 <b>每日摘要</b>（{tz}）\n"
                           "每天一条消息：各服务器状态和当天的告警。也可输入：<code>/notify digest 9</code>"},
    {"notify.saved", "✅ 已保存。"},
    {"notify.lifted", "✅ 已解除。"},
    {"notify.usage", "<b>/notify</b> 用按钮查看和修改本聊天的通知。也可输入：\n"
                     "<code>/notify on</code> 或 <code>off</code>\n"
                     "<code>/notify cpu off</code>（类型：{kinds}、all）\n"
                     "<code>/notify quiet 23:00-07:00</code> 或 <code>quiet off</code>\n"
                     "<code>/notify critical on</code>：免打扰时照发严重告警\n"
                     "<code>/notify silent on</code>：警告不响铃\n"
                     "<code>/notify reminder 4h</code>、<code>30m</code> 或 <code>off</code>\n"
                     "<code>/notify digest 9</code> 或 <code>off</code>\n"
                     "<code>/notify lift 1</code>：解除第 1 条暂停"},
    {"notify.bad_on_off",
     "请加上 <code>on</code> 或 <code>off</code>，例如 <code>/notify {what} off</code>。"},
    {"notify.bad_quiet", "免打扰是两个不同的时间：<code>/notify quiet 23:00-07:00</code>，"
                         "或 <code>/notify quiet off</code>。"},
    {"notify.bad_reminder", "提醒间隔为 10 分钟到 7 天，例如 <code>/notify reminder 4h</code> 或 "
                            "<code>30m</code>，或 <code>off</code>。"},
    {"notify.bad_digest", "每日摘要需要整点，例如 <code>/notify digest 9</code> 或 <code>09:00</code>，"
                          "或 <code>off</code>。"},
    {"notify.bad_lift", "没有编号为 {n} 的暂停或静音。发送 /notify 查看编号。"},
    {"notify.kind.cpu", "CPU"},
    {"notify.kind.ram", "内存"},
    {"notify.kind.swap", "Swap"},
    {"notify.kind.disk", "磁盘"},
    {"notify.kind.inodes", "Inode"},
    {"notify.kind.load", "负载"},
    {"notify.kind.net_in", "入站流量"},
    {"notify.kind.net_out", "出站流量"},
    {"notify.kind.io", "磁盘 I/O"},
    {"notify.kind.temp", "温度"},
    {"notify.kind.offline", "离线"},
};
} // namespace

const Table kNotifyZh{Lang::zh, kEntries};

} // namespace serversan::bot::i18n
