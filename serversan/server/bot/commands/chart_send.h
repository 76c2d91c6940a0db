// Sends a server's chart (views::ChartView: kind, range, theme) as a photo with its caption and
// switch buttons: /chart and the alert messages' Chart button share it. The caller has already
// checked access (Action::see) for server. in_place: replace the pressed button's photo message.
#pragma once

#include "serversan/server/bot/context.h"
#include "serversan/server/bot/views/chart_callback.h"

namespace serversan::bot::commands {

Result<void> send_chart(Context& ctx, const store::ServerRecord& server, views::ChartView v, bool in_place);

} // namespace serversan::bot::commands
