// Engine-neutral parts of store.h: choosing the engine, tiers, roles and enrollment.
#include "serversan/server/store/store.h"

#include <algorithm>

#include "serversan/server/store/sqlite/sqlite_store.h"

namespace serversan::store {

Result<std::unique_ptr<Store>> open_store(const StoreOptions& options) {
	// The one place that knows the engines. PostgreSQL will be chosen here by a connection URL in
	// options.path ("postgresql://..."), see docs/store.md.
	return sqlite::open(options);
}

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path) {
	StoreOptions o;
	o.path = path;
	return open_store(o);
}

std::string_view tier_name(Tier tier) {
	switch (tier) {
	case Tier::raw:
		return "raw";
	case Tier::m5:
		return "5m";
	case Tier::h1:
		return "1h";
	}
	return "?";
}

int64_t tier_width_ms(Tier tier) {
	switch (tier) {
	case Tier::raw:
		return kMinuteMs;
	case Tier::m5:
		return 5 * kMinuteMs;
	case Tier::h1:
		return kHourMs;
	}
	return kMinuteMs;
}

bool valid_server_tag(std::string_view tag) {
	if (tag.empty() || tag.size() > kMaxServerTagLength)
		return false;
	return std::all_of(tag.begin(), tag.end(), [](char c) {
		return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
	});
}

bool Role::allows(std::string_view permission) const {
	return std::any_of(permissions.begin(), permissions.end(),
	                   [&](const std::string& p) { return p == permission || p == kPermAdmin; });
}

Result<Enrollment> enroll_server(Store& store, std::optional<int64_t> owner_chat, const std::string& name,
                                 int64_t now_ms) {
	AgentToken placeholder = generate_token(1);
	auto id = store.create_server(owner_chat, name, derive_signing_key(placeholder), now_ms);
	if (!id.ok())
		return id.error();
	AgentToken token = generate_token(*id);
	auto set = store.set_signing_key(*id, derive_signing_key(token));
	if (!set.ok())
		return set.error();
	if (!*set)
		return Err("the new server vanished before its key was set");
	return Enrollment{*id, format_token(token)};
}

Result<std::optional<std::string>> rotate_token(Store& store, uint64_t server_id) {
	if (server_id == 0 || server_id > kMaxServerId)
		return std::optional<std::string>{};
	AgentToken token = generate_token(server_id);
	auto set = store.set_signing_key(server_id, derive_signing_key(token));
	if (!set.ok())
		return set.error();
	if (!*set)
		return std::optional<std::string>{};
	return std::optional<std::string>{format_token(token)};
}

} // namespace serversan::store
