// ServerSummary and ServerDetail (docs/api.md) from the store's records: the list, the detail,
// the live stream and the Prometheus page read the same numbers. State and the summary's
// percentages are the bot's (fleet/server_state.h, fleet/report_summary.h), so the dashboard and
// /list never disagree. Unknown values are null.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "serversan/core/result.h"
#include "serversan/server/store/store.h"

namespace serversan::web {

struct ServerView {
	store::ServerRecord server;
	std::optional<store::LatestReport> latest;
	size_t firing = 0; // alerts firing now
	std::vector<std::string> tags;
};

// The record's latest report, firing alerts and tags, read now.
Result<ServerView> load_view(store::Store& store, store::ServerRecord server);
// The same for many servers in three store reads (latest_of, alert_states_of, server_tags_of),
// in their order; the latest reports without the slow sections (which only the detail shows).
Result<std::vector<ServerView>> load_views(store::Store& store, std::vector<store::ServerRecord> servers);

nlohmann::json server_summary(const ServerView& v, int64_t now_ms);
nlohmann::json server_detail(const ServerView& v, int64_t now_ms);

// Optional numbers as JSON (null when absent).
template <typename T>
nlohmann::json or_null(const std::optional<T>& v) {
	return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

} // namespace serversan::web
