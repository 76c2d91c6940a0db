// The words drawn in a picture (titles, ranges, legend, "offline", "No data yet"), by key, so
// that the bot can have them in the reader's language from its catalogue (charts.word.<key>)
// while the charts never depend on the bot. A key the caller leaves out is drawn in English.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace serversan::charts {

using Words = std::map<std::string, std::string, std::less<>>;

// Every key with its English text: title.<kind> and range.<range> (chart_request.h names), the
// layers (user system iowait steal ram_used swap_used used read write in out load1 load15), the
// reference lines (core and cores with {n}, ram_total and fs_size with {size}), the sparkline's limit
// ({size}), offline, no_data, no_data_detail.
const Words& english_words();
// words[key], else the English text; {n} and {size} replaced by n and size.
std::string word(const Words& words, std::string_view key, std::string_view n = {},
                 std::string_view size = {});

} // namespace serversan::charts
