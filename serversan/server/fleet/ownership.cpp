#include "serversan/server/fleet/ownership.h"

#include <algorithm>

namespace serversan::fleet {

int64_t owner_of(const store::ServerRecord& server) {
	return server.owner_chat.value_or(kConsoleOperator);
}

bool owned_by(const store::ServerRecord& server, int64_t owner) {
	return owner_of(server) == owner;
}

Result<std::optional<store::ServerRecord>> owned_server(store::Store& store, int64_t owner, uint64_t id) {
	auto server = store.find_server(id);
	if (!server.ok())
		return server.error();
	if (!*server || !owned_by(**server, owner))
		return std::optional<store::ServerRecord>{};
	return std::move(*server);
}

Result<std::vector<store::ServerRecord>> owned_servers(store::Store& store, int64_t owner) {
	if (owner != kConsoleOperator)
		return store.servers_of(owner);
	// The console's servers have no owner chat to look up by: few, so a filtered list is fine.
	auto all = store.list_servers();
	if (!all.ok())
		return all.error();
	std::erase_if(*all, [](const store::ServerRecord& s) { return s.owner_chat.has_value(); });
	return std::move(*all);
}

} // namespace serversan::fleet
