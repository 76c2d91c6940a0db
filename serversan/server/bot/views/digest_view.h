// What a chat's daily digest (alerts/digest_message.h) looks like, in the reader's language and
// zone. Pure: the facts come in, Telegram HTML comes out; names are clipped and escaped.
//
//   📋 Daily digest · Sun 6 Dec
//   Servers online: 1/2
//
//   🔴 db-1 · offline · last report 12-05 03:00 UTC+8
//   🟢 web-01 · CPU 16% · RAM 84% · Disk /data 68%
//
//   Alerts · last 24 h
//   🔴 db-1 · offline since 12-05 03:00 UTC+8 · still offline
//   ✅ 3 servers offline at 02:10 UTC+8 · lasted 14 min: web-01, web-02, web-03
//   ✅ web-01 · CPU 97.5% at 04:50 UTC+8 · lasted 32 min
//
//   Heading for a threshold
//   ⏳ web-01 · Disk /data full around Thu 10 Dec (in ~4 d)
//   📈 web-01 · RAM averaged 84% over 24 h · alert at 90%
//
// Servers that went offline and came back together are one outage line, as their alert was one
// message. A day without alerts says so in one line; no trends, no section. Long lists end with "… and
// N more" so the message stays one screen of a phone for a large fleet.
#pragma once

#include <string>

#include "serversan/server/alerts/digest_message.h"
#include "serversan/server/bot/views/view_context.h"

namespace serversan::bot::views {

inline constexpr size_t kDigestServers = 30, kDigestAlerts = 15, kDigestTrends = 10;

std::string digest_text(const ViewContext& vc, const alerts::Digest& d);

} // namespace serversan::bot::views
