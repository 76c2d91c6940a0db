// The API's endpoint groups, one file each, registered by make_api_router (api.cpp). Internal to
// web/: handlers find the user's servers through owned() and answer ApiError for every failure.
#pragma once

#include <optional>
#include <span>

#include <nlohmann/json.hpp>

#include "serversan/server/store/store.h"
#include "serversan/server/web/api.h"

namespace serversan::web {

// The server `id` (a path or query value) if the principal may do `action` to it (user_access.h):
// 404 if they may not see it, 403 if it is a group's and they are not its admin. The one check
// every endpoint that takes a server id makes.
std::variant<fleet::UserServer, ApiError> owned(const ApiDeps& deps, const Principal& who,
                                                std::string_view id,
                                                fleet::UserAction action = fleet::UserAction::see);
// Every server the principal may see, in id order: the one list every listing endpoint reads.
Result<std::vector<fleet::UserServer>> visible_servers(const ApiDeps& deps, const Principal& who);
// The server's "group" field: null for a private server.
nlohmann::json group_json(const fleet::UserServer& s);
// A decimal id or empty.
std::optional<uint64_t> parse_id(std::string_view text);
std::optional<int64_t> parse_int(std::string_view text);

// An alert state as the API shows it, with the rule in force (chat_rules: the owner's).
nlohmann::json alert_json(const store::ServerRecord& server, const store::AlertState& a,
                          std::span<const store::AlertRule> chat_rules);

void add_server_endpoints(ApiRouter& router, const ApiDeps& deps);
void add_series_endpoints(ApiRouter& router, const ApiDeps& deps);
void add_alert_endpoints(ApiRouter& router, const ApiDeps& deps);
void add_threshold_endpoints(ApiRouter& router, const ApiDeps& deps);
void add_notify_endpoints(ApiRouter& router, const ApiDeps& deps);
void add_prometheus_endpoint(ApiRouter& router, const ApiDeps& deps);
void add_stream_endpoint(ApiRouter& router, const ApiDeps& deps);

} // namespace serversan::web
