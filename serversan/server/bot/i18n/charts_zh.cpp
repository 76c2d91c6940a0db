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
    {"charts.all_devices", "全部"},
    {"charts.light", "☀️ 浅色"},
    {"charts.word.title.cpu", "CPU"},
    {"charts.word.title.mem", "内存"},
    {"charts.word.title.disk", "磁盘空间"},
    {"charts.word.title.io", "磁盘读写"},
    {"charts.word.title.net", "网络"},
    {"charts.word.title.load", "负载"},
    {"charts.word.title.temp", "温度"},
    {"charts.word.range.1h", "最近 1 小时"},
    {"charts.word.range.6h", "最近 6 小时"},
    {"charts.word.range.24h", "最近 24 小时"},
    {"charts.word.range.7d", "最近 7 天"},
    {"charts.word.range.30d", "最近 30 天"},
    {"charts.word.user", "用户"},
    {"charts.word.system", "系统"},
    {"charts.word.iowait", "IO 等待"},
    {"charts.word.steal", "被宿主占用"},
    {"charts.word.ram_used", "已用内存"},
    {"charts.word.swap_used", "已用交换"},
    {"charts.word.used", "已用"},
    {"charts.word.read", "读"},
    {"charts.word.write", "写"},
    {"charts.word.in", "入"},
    {"charts.word.out", "出"},
    {"charts.word.load1", "1 分钟"},
    {"charts.word.load15", "15 分钟"},
    {"charts.word.core", "{n} 核"},
    {"charts.word.cores", "{n} 核"},
    {"charts.word.ram_total", "内存 {size}"},
    {"charts.word.fs_size", "容量 {size}"},
    {"charts.word.limit", "阈值 {size}"},
    {"charts.word.offline", "离线"},
    {"charts.word.no_data", "暂无数据"},
    {"charts.word.no_data_detail", "这个时间段还没有上报。"},
};
} // namespace

const Table kChartsZh{Lang::zh, kEntries};

} // namespace serversan::bot::i18n
