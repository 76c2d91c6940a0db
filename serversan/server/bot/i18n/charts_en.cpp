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
    {"charts.light", "☀️ Light"},
};
} // namespace

const Table kChartsEn{Lang::en, kEntries};

} // namespace serversan::bot::i18n
