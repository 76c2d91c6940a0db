#include "serversan/server/web/miniapp.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "serversan/core/crypto.h"
#include "serversan/core/encoding.h"
#include "serversan/server/web/form.h"

namespace serversan::web {

namespace {

constexpr int64_t kSkewS = 60;

std::string text_of(const nlohmann::json& j, const char* key) {
	auto it = j.find(key);
	return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace

std::string init_data_hash(const std::vector<std::pair<std::string, std::string>>& fields,
                           std::string_view bot_token) {
	std::vector<const std::pair<std::string, std::string>*> sorted;
	for (const auto& f : fields)
		if (f.first != "hash")
			sorted.push_back(&f);
	std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
	std::string check;
	for (const auto* f : sorted) {
		if (!check.empty())
			check += '\n';
		check += f->first + "=" + f->second;
	}
	crypto::Digest secret = crypto::hmac_sha256(crypto::bytes("WebAppData"), crypto::bytes(bot_token));
	return hex_encode(crypto::hmac_sha256(secret, crypto::bytes(check)));
}

Result<MiniAppUser> verify_init_data(std::string_view init_data, std::string_view bot_token, int64_t now_s,
                                     int64_t max_age_s) {
	if (bot_token.empty())
		return Err("no bot token configured");
	auto fields = parse_form(init_data);
	if (!fields)
		return Err("init data is not form-encoded");
	auto field = [&](std::string_view key) -> const std::string* {
		for (const auto& f : *fields)
			if (f.first == key)
				return &f.second;
		return nullptr;
	};
	const std::string* hash = field("hash");
	if (!hash)
		return Err("init data has no hash");
	std::string expected = init_data_hash(*fields, bot_token);
	std::string given = *hash;
	std::transform(given.begin(), given.end(), given.begin(),
	               [](unsigned char c) { return std::tolower(c); });
	if (!crypto::constant_time_equal(crypto::bytes(given), crypto::bytes(expected)))
		return Err("init data hash does not match");
	const std::string* auth_date = field("auth_date");
	auto when = auth_date ? parse_i64(*auth_date) : std::nullopt;
	if (!when)
		return Err("init data has no auth_date");
	if (*when < now_s - max_age_s)
		return Err("init data is stale");
	if (*when > now_s + kSkewS)
		return Err("init data is from the future");
	const std::string* user = field("user");
	if (!user)
		return Err("init data has no user");
	auto j = nlohmann::json::parse(*user, nullptr, false);
	if (!j.is_object() || !j.contains("id") || !j["id"].is_number_integer())
		return Err("init data's user has no id");
	MiniAppUser u;
	u.id = j["id"].get<int64_t>();
	u.first_name = text_of(j, "first_name");
	u.last_name = text_of(j, "last_name");
	u.username = text_of(j, "username");
	u.language_code = text_of(j, "language_code");
	return u;
}

} // namespace serversan::web
