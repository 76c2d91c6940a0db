// The Telegram Mini App's login: the initData string Telegram hands the page
// (Telegram.WebApp.initData), checked as Telegram documents it: secret_key =
// HMAC_SHA256(key "WebAppData", bot token); the data-check string is every field except hash,
// sorted by key, "key=value" lines joined by '\n'; hash must be hex(HMAC_SHA256(secret_key, it)).
// auth_date must be within max_age_s (a day: a Mini App reopened the next day is sent fresh
// data by Telegram) and not in the future beyond a minute of clock skew.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "serversan/core/result.h"

namespace serversan::web {

inline constexpr int64_t kInitDataMaxAgeS = 24 * 3600;

struct MiniAppUser {
	int64_t id = 0;
	std::string first_name, last_name, username, language_code;
};

// The user the data names if it is signed with bot_token and fresh at now_s; the error says why
// not (for the log: it never contains the data or the token).
Result<MiniAppUser> verify_init_data(std::string_view init_data, std::string_view bot_token, int64_t now_s,
                                     int64_t max_age_s = kInitDataMaxAgeS);

// The hash Telegram would put in init data with these fields (everything but hash): for tests and
// for the server's own check.
std::string init_data_hash(const std::vector<std::pair<std::string, std::string>>& fields,
                           std::string_view bot_token);

} // namespace serversan::web
