// The [bot] section: how the bot reaches Telegram and who runs it. Each key is also a
// SERVERSAN_SERVER_BOT_* variable and a flag. The token is a secret: `config` shows it redacted and
// nothing logs it (errors about it name the key or the file, never the value).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "serversan/core/config.h"
#include "serversan/core/result.h"

namespace serversan::bot {

struct BotConfig {
	std::string token; // from bot.token or the first line of bot.token_file; empty: no bot
	std::string api_url = "https://api.telegram.org";
	std::string proxy;
	bool webhook = false; // mode = "webhook"
	std::string webhook_url, webhook_secret;
	std::vector<int64_t> admins;
	int max_servers_per_user = 50;
};

void add_bot_config(ConfigSchema& schema);
// Reads token_file if set; checks webhook mode has its URL and a valid secret.
Result<BotConfig> bot_config_from(const Config& cfg);
// "1, 2 3" -> {1, 2, 3}; an error names the bad entry.
Result<std::vector<int64_t>> parse_id_list(std::string_view text);

} // namespace serversan::bot
