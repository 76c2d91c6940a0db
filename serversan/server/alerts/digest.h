// The daily digest: a chat that chose an hour (ChatSettings.digest_hour, /notify digest 9) gets one
// message a day at that hour in its zone (chat_zone.h): each of its servers with its state and
// worst current values, the alerts of the last 24 h, and what is heading for a threshold. A job
// on the jobs scheduler (every kDigestEveryMs) queues it as an outbox row of kind "digest"
// (digest_message.h); the bot renders it. docs/alerts.md ("Daily digest") has the reasons.
//
//  - Due from the chosen hour of the local day until that day ends (a restart that misses the
//    hour still sends it that day). An hour skipped by a DST change is the moment the clocks jump
//    (the next hour that exists); an hour that happens twice is its first occurrence.
//  - Once per chat and local day, across restarts: dedupe key "digest:<chat>:<yyyy-mm-dd>", which
//    the outbox keeps in any state (a digest already queued, sent or given up is not rebuilt).
//  - None for a chat with notifications off, without an hour, or without servers (only chats that
//    own a server are looked at).
//  - Quiet hours do not hold it (the chat chose the hour): inside them it goes out silently.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/core/result.h"
#include "serversan/server/alerts/digest_message.h"
#include "serversan/server/alerts/forecast_check.h"
#include "serversan/server/store/store.h"

namespace serversan::alerts {

inline constexpr int64_t kDigestEveryMs = 5 * 60'000;
inline constexpr int64_t kDigestSpanMs = 24 * 3'600'000LL;
// A 24 h average this close under its rule's threshold (percent kinds, in points) is a trend.
inline constexpr double kTrendMarginPoints = 10;

// The local date ("2026-12-08") whose digest is due at now_ms for a chat with this hour (0-23)
// in zone, or nothing (before the hour).
std::optional<std::string> digest_day_due(int hour, std::string_view zone, int64_t now_ms);
std::string digest_dedupe_key(int64_t chat_id, std::string_view day);

// The facts of one chat's digest over its servers (owned by chat_id), at now_ms.
Result<Digest> build_digest(store::Store& store, int64_t chat_id,
                            const std::vector<store::ServerRecord>& servers, int64_t now_ms,
                            const ForecastOptions& forecast = {});

struct DigestStats {
	uint64_t chats = 0;  // chats with servers and an hour, notifications on
	uint64_t queued = 0; // digests queued by this run
};

// The job: every chat whose digest is due and not queued yet gets it.
Result<DigestStats> queue_digests(store::Store& store, int64_t now_ms, const ForecastOptions& forecast = {});

} // namespace serversan::alerts
