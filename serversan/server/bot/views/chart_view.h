// A chart message: the caption (server, chart, range, then min · avg · max of each layer, all in
// the reader's language) and the buttons that switch chart, range and theme in place.
#pragma once

#include <string>
#include <vector>

#include "serversan/server/bot/i18n.h"
#include "serversan/server/bot/telegram/types.h"
#include "serversan/server/bot/views/chart_callback.h"
#include "serversan/server/charts/chart.h"

namespace serversan::bot::views {

// The words drawn on a picture (axis, legend, "No data yet") in the reader's language.
charts::Words chart_words(Lang lang);
// device: the one drawn alone (ChartRequest::device), named after the chart's kind; empty: none.
std::string chart_caption(Lang lang, const std::string& server_name, const ChartView& v,
                          const charts::Chart& c, const std::string& device = {});
// Chart kinds (two rows), ranges, the devices of the kind when it has more than one ("All" and
// up to kDeviceButtons names), the theme switch; the current choice is marked.
inline constexpr size_t kDeviceButtons = 8;
telegram::InlineKeyboard chart_keyboard(Lang lang, const ChartView& v,
                                        const std::vector<std::string>& devices = {});

} // namespace serversan::bot::views
