// What /stat reads from the store: a chat's servers with their newest reports. Reads only; the
// caller checks that the chat may see a server (bot/access.h) before showing it.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "serversan/core/result.h"
#include "serversan/server/store/store.h"

namespace serversan::bot::views {

struct ServerStatus {
	store::ServerRecord server;
	std::optional<store::LatestReport> latest; // empty: never reported
};

// Every server owned by chat, each with its latest report (one read per server).
Result<std::vector<ServerStatus>> load_fleet(store::Store& store, int64_t chat);
// One server, or nothing if it does not exist.
Result<std::optional<ServerStatus>> load_server(store::Store& store, uint64_t server_id);

} // namespace serversan::bot::views
