// English texts of /chart: the caption, the buttons, the pick prompt (bot/views/chart_view.h).
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"charts.pick", "Chart of which server?"},
    {"charts.button", "📈 Chart"},
    {"charts.caption_head", "<b>{server}</b> · {chart} · {range}"},
    {"charts.no_data", "No data in this range yet."},
    {"charts.stat", "{label}: min {min} · avg {avg} · max {max}"},
    {"charts.kind.cpu", "CPU"},
    {"charts.kind.mem", "RAM"},
    {"charts.kind.disk", "Disk"},
    {"charts.kind.io", "I/O"},
    {"charts.kind.net", "Net"},
    {"charts.kind.load", "Load"},
    {"charts.kind.temp", "Temp"},
    {"charts.range.1h", "1 h"},
    {"charts.range.6h", "6 h"},
    {"charts.range.24h", "24 h"},
    {"charts.range.7d", "7 d"},
    {"charts.range.30d", "30 d"},
    {"charts.dark", "🌙 Dark"},
    {"charts.all_devices", "All"},
    {"charts.light", "☀️ Light"},
    {"charts.word.title.cpu", "CPU"},
    {"charts.word.title.mem", "Memory"},
    {"charts.word.title.disk", "Disk space"},
    {"charts.word.title.io", "Disk I/O"},
    {"charts.word.title.net", "Network"},
    {"charts.word.title.load", "Load"},
    {"charts.word.title.temp", "Temperature"},
    {"charts.word.range.1h", "last hour"},
    {"charts.word.range.6h", "last 6 hours"},
    {"charts.word.range.24h", "last 24 hours"},
    {"charts.word.range.7d", "last 7 days"},
    {"charts.word.range.30d", "last 30 days"},
    {"charts.word.user", "user"},
    {"charts.word.system", "system"},
    {"charts.word.iowait", "iowait"},
    {"charts.word.steal", "steal"},
    {"charts.word.ram_used", "RAM used"},
    {"charts.word.swap_used", "swap used"},
    {"charts.word.used", "used"},
    {"charts.word.read", "read"},
    {"charts.word.write", "write"},
    {"charts.word.in", "in"},
    {"charts.word.out", "out"},
    {"charts.word.load1", "1 min"},
    {"charts.word.load15", "15 min"},
    {"charts.word.core", "{n} core"},
    {"charts.word.cores", "{n} cores"},
    {"charts.word.ram_total", "RAM {size}"},
    {"charts.word.fs_size", "size {size}"},
    {"charts.word.limit", "limit {size}"},
    {"charts.word.offline", "offline"},
    {"charts.word.no_data", "No data yet"},
    {"charts.word.no_data_detail", "Nothing was reported in this range."},
};
} // namespace

const Table kChartsEn{Lang::en, kEntries};

} // namespace serversan::bot::i18n
