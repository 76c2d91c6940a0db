// A chart message: the caption (server, chart, range, then min · avg · max of each layer, all in
// the reader's language) and the buttons that switch chart, range and theme in place.
#pragma once

#include <string>

#include "serversan/server/bot/i18n.h"
#include "serversan/server/bot/telegram/types.h"
#include "serversan/server/bot/views/chart_callback.h"
#include "serversan/server/charts/chart.h"

namespace serversan::bot::views {

// The words drawn on a picture (axis, legend, "No data yet") in the reader's language.
charts::Words chart_words(Lang lang);
std::string chart_caption(Lang lang, const std::string& server_name, const ChartView& v,
                          const charts::Chart& c);
// Chart kinds (two rows), ranges, the theme switch; the current choice is marked.
telegram::InlineKeyboard chart_keyboard(Lang lang, const ChartView& v);

} // namespace serversan::bot::views
