// 简体中文：/chart 的说明文字、按钮和选择服务器的提示。
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"charts.pick", "查看哪台服务器的图表？"},
    {"charts.button", "📈 图表"},
    {"charts.caption_head", "<b>{server}</b> · {chart} · {range}"},
    {"charts.no_data", "这个时间段还没有数据。"},
    {"charts.stat", "{label}：最低 {min} · 平均 {avg} · 最高 {max}"},
    {"charts.kind.cpu", "CPU"},
    {"charts.kind.mem", "内存"},
    {"charts.kind.disk", "磁盘"},
    {"charts.kind.io", "读写"},
    {"charts.kind.net", "网络"},
    {"charts.kind.load", "负载"},
    {"charts.kind.temp", "温度"},
    {"charts.range.1h", "1 小时"},
    {"charts.range.6h", "6 小时"},
    {"charts.range.24h", "24 小时"},
    {"charts.range.7d", "7 天"},
    {"charts.range.30d", "30 天"},
    {"charts.dark", "🌙 深色"},
    {"charts.light", "☀️ 浅色"},
};
} // namespace

const Table kChartsZh{Lang::zh, kEntries};

} // namespace serversan::bot::i18n
