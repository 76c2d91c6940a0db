// 简体中文: 告警消息和按钮 (keys as in alerts_en.cpp).
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"alerts.firing", "{icon} <b>{server}</b> · {what} {value}，已持续 {held}"},
    {"alerts.limit", "阈值 {limit} · 开始于 {time}"},
    {"alerts.offline", "🔴 <b>{server}</b> 已离线 · {held}未上报"},
    {"alerts.offline_warning", "🟠 <b>{server}</b> 已离线 · {held}未上报"},
    {"alerts.last_report", "最后上报 {time}"},
    {"alerts.reminder", "🔁 <b>{server}</b> · {what} 仍为 {value} · 已告警 {held}"},
    {"alerts.reminder_offline", "🔁 <b>{server}</b> 仍然离线 · 已 {held}"},
    {"alerts.resolved", "✅ <b>{server}</b> · {what} 已回落到 {value}，持续了 {held}"},
    {"alerts.resolved_average",
     "✅ <b>{server}</b> · {what} 已恢复正常，持续了 {held} · {window}平均 {value}"},
    {"alerts.quiet_held", "🌙 免打扰时段内延后发送"},
    {"alerts.quiet_resolved", "✅ <b>{server}</b> · {what} 在免打扰时段内达到 {value} · {held}后已恢复"},
    {"alerts.quiet_resolved_offline", "✅ <b>{server}</b> 在免打扰时段内离线 · {held}后已恢复在线"},
    {"alerts.quiet_back", "{time} 回落到 {value}"},
    {"alerts.quiet_back_no_value", "{time} 恢复正常"},
    {"alerts.top_cpu_head", "<b>CPU 占用最高</b> · {time}"},
    {"alerts.top_memory_head", "<b>内存占用最高</b> · {time}"},
    {"alerts.resolved_no_value", "✅ <b>{server}</b> · {what} 已恢复正常，持续了 {held}"},
    {"alerts.resolved_offline", "✅ <b>{server}</b> 已恢复在线，离线了 {held}"},
    {"alerts.resolved_stamp", "✅ <b>已恢复</b> {time} · 持续了 {held}"},
    {"alerts.group_offline", "{icon} <b>{count} 台服务器离线</b>"},
    {"alerts.group_offline_some", "{icon} <b>{count} 台服务器离线</b> · {back} 台已恢复"},
    {"alerts.group_server", "{icon} <b>{server}</b> · {count} 条告警"},
    {"alerts.group_item_offline", "{icon} <b>{server}</b> · {held}未上报"},
    {"alerts.group_item_back", "{icon} <b>{server}</b> · 已恢复在线，离线了 {held}"},
    {"alerts.group_item", "{icon} {what} {value}，已持续 {held} · {limit}"},
    {"alerts.group_item_resolved", "{icon} {what} · 已恢复，持续了 {held}"},
    {"alerts.group_all_resolved", "✅ <b>已全部恢复</b> {time}"},
    {"alerts.group_more", "… 另有 {count} 条"},
    {"alerts.group_tagged", "均带标签 {tags}"},
    {"alerts.group_subnet", "同在 {subnet}"},
    {"alerts.disk_left", "剩余 {left}，共 {total}"},
    {"alerts.disk_full_in", "剩余 {left}，共 {total} · 按当前速度约 {eta}后写满"},
    {"alerts.inodes_left", "剩余 {left} 个 inode，共 {total}"},
    {"alerts.forecast", "⏳ <b>{server}</b> · {what} 预计 {date}左右写满（约 {eta}后）"},
    {"alerts.forecast_rate", "每天 +{rate} · 剩余 {left}，共 {total}"},
    {"alerts.top_title", "<b>{server}</b> · 占用最高的进程"},
    {"alerts.top_none", "<b>{server}</b> 还没有上报进程信息。"},
    {"alerts.btn_snooze", "💤 静默 1 小时"},
    {"alerts.btn_snoozed", "💤 已静默至 {time}"},
    {"alerts.btn_mute", "🔇 屏蔽此服务器"},
    {"alerts.btn_muted", "🔇 已屏蔽，恢复后解除"},
    {"alerts.btn_top", "📋 进程"},
    {"alerts.btn_chart", "📈 图表"},
    {"alerts.toast_snoozed", "已静默至 {time}。可在 /notify 查看和解除。"},
    {"alerts.toast_muted", "已屏蔽 {server}，恢复后自动解除。可在 /notify 解除。"},
    {"alerts.toast_silenced", "在 /notify 中解除静默和屏蔽。"},
    {"alerts.chart_title", "{what} · {server}"},
};
} // namespace

const Table kAlertsZh{Lang::zh, kEntries};

} // namespace serversan::bot::i18n
