// The bot's views read humane numbers from core (serversan/core/units.h), which the charts share.
#pragma once

#include "serversan/core/units.h"

namespace serversan::bot::views {

using serversan::format_bytes;
using serversan::format_bytes_compact;
using serversan::format_count;
using serversan::format_load;
using serversan::format_percent;
using serversan::format_rate;
using serversan::percent_of;

} // namespace serversan::bot::views
