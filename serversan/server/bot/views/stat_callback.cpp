#include "serversan/server/bot/views/stat_callback.h"

#include "serversan/core/encoding.h"

namespace serversan::bot::views {

std::string stat_callback_data(uint64_t server_id) {
	return std::string(kStatCallbackPrefix) + std::to_string(server_id);
}

std::string stat_refresh_callback_data(uint64_t server_id) {
	return std::string(kStatRefreshPrefix) + std::to_string(server_id);
}

std::optional<uint64_t> parse_stat_callback(std::string_view data) {
	if (!data.starts_with(kStatCallbackPrefix))
		return std::nullopt;
	data.remove_prefix(kStatCallbackPrefix.size());
	if (data.empty() || data.size() > 20 || data.find_first_not_of("0123456789") != std::string_view::npos)
		return std::nullopt;
	return parse_u64(data);
}

} // namespace serversan::bot::views
