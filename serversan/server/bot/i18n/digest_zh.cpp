// 简体中文: 每日摘要 (keys as in digest_en.cpp).
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"digest.title", "📋 <b>每日摘要</b> · {date}"},
    {"digest.count", "在线服务器：{online}/{count}"},
    {"digest.server_offline", "🔴 <b>{server}</b> · 离线 · 最后上报 {time}"},
    {"digest.server_never", "⚪ <b>{server}</b> · 尚未上报"},
    {"digest.no_alerts", "✅ 近 24 小时没有告警"},
    {"digest.alerts_head", "<b>近 24 小时告警</b>"},
    {"digest.alert_resolved", "✅ <b>{server}</b> · {time} {what}{value} · 持续了 {held}"},
    {"digest.alert_firing", "{icon} <b>{server}</b> · {time} 起 {what}{value} · 仍在告警"},
    {"digest.alert_offline_resolved", "✅ <b>{server}</b> · {time} 离线 · 持续了 {held}"},
    {"digest.alert_offline_firing", "{icon} <b>{server}</b> · {time} 起离线 · 仍未恢复"},
    {"digest.outage_resolved", "✅ <b>{count} 台服务器</b> · {time} 离线 · 持续了 {held}：{names}"},
    {"digest.outage_firing", "{icon} <b>{count} 台服务器</b> · {time} 起离线 · 仍未恢复：{names}"},
    {"digest.name_sep", "、"},
    {"digest.names_more", " 等另外 {count} 台"},
    {"digest.trends_head", "<b>接近阈值</b>"},
    {"digest.trend_full", "⏳ <b>{server}</b> · {what} 预计 {date}左右写满（约 {eta}后）"},
    {"digest.trend_average", "📈 <b>{server}</b> · {what} 24 小时平均 {value} · 告警线 {limit}"},
};
} // namespace

const Table kDigestZh{Lang::zh, kEntries};

} // namespace serversan::bot::i18n
