#include "serversan/server/bot/views/stat_data.h"

namespace serversan::bot::views {

namespace {

Result<ServerStatus> with_latest(store::Store& store, store::ServerRecord server) {
	ServerStatus s{std::move(server), std::nullopt};
	if (!s.server.last_seen_ms)
		return s;
	auto latest = store.latest(s.server.id);
	if (!latest)
		return latest.error();
	s.latest = std::move(*latest);
	return s;
}

} // namespace

Result<std::vector<ServerStatus>> load_fleet(store::Store& store, int64_t chat) {
	auto servers = store.servers_of(chat);
	if (!servers)
		return servers.error();
	std::vector<ServerStatus> out;
	out.reserve(servers->size());
	for (store::ServerRecord& rec : *servers) {
		auto s = with_latest(store, std::move(rec));
		if (!s)
			return s.error();
		out.push_back(std::move(*s));
	}
	return out;
}

Result<std::optional<ServerStatus>> load_server(store::Store& store, uint64_t server_id) {
	auto found = store.find_server(server_id);
	if (!found)
		return found.error();
	if (!*found)
		return std::optional<ServerStatus>{};
	auto s = with_latest(store, std::move(**found));
	if (!s)
		return s.error();
	return std::optional<ServerStatus>{std::move(*s)};
}

} // namespace serversan::bot::views
