#include "serversan/server/bot/bot_config.h"

#include <fstream>

#include <fmt/format.h>

#include "serversan/core/encoding.h"

namespace serversan::bot {

void add_bot_config(ConfigSchema& s) {
	s.add_string("bot.token", "", "Telegram bot token from @BotFather (empty: no bot)")
	    .secret()
	    .flag("--bot-token");
	s.add_string("bot.token_file", "", "File holding the bot token (instead of bot.token)")
	    .flag("--bot-token-file");
	s.add_string("bot.api_url", "https://api.telegram.org",
	             "Bot API server (a local Bot API server, a test fake)")
	    .flag("--bot-api-url");
	s.add_string("bot.proxy", "", "Proxy to reach Telegram: http://, https:// or socks5:// URL")
	    .flag("--bot-proxy");
	s.add_string("bot.mode", "polling", "How updates arrive: polling or webhook")
	    .one_of({"polling", "webhook"})
	    .flag("--bot-mode");
	s.add_string("bot.webhook_url", "", "Public HTTPS URL Telegram posts updates to (webhook mode)")
	    .flag("--bot-webhook-url");
	s.add_string("bot.webhook_secret", "",
	             "Secret Telegram sends with every update (1-256 of A-Z a-z 0-9 _ -)")
	    .secret()
	    .flag("--bot-webhook-secret");
	s.add_string("bot.admins", "", "Telegram user ids that become admins (comma separated)")
	    .flag("--bot-admins");
	s.add_int("bot.max_servers_per_user", 50, "Servers one chat may add (0: no limit)", 0, 1000000)
	    .flag("--bot-max-servers");
}

Result<std::vector<int64_t>> parse_id_list(std::string_view text) {
	std::vector<int64_t> out;
	size_t i = 0;
	while (i < text.size()) {
		size_t end = text.find_first_of(", \t", i);
		if (end == std::string_view::npos)
			end = text.size();
		std::string_view part = text.substr(i, end - i);
		if (!part.empty()) {
			auto id = parse_i64(part);
			if (!id)
				return Err(fmt::format("bot.admins: \"{}\" is not a Telegram id", part));
			out.push_back(*id);
		}
		i = end + 1;
	}
	return out;
}

namespace {

bool valid_secret(std::string_view s) {
	if (s.empty() || s.size() > 256)
		return false;
	for (char c : s)
		if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'))
			return false;
	return true;
}

Result<std::string> read_token_file(const std::string& path) {
	std::ifstream in(path);
	if (!in)
		return Err(fmt::format("bot.token_file: cannot read {}", path));
	std::string line;
	std::getline(in, line);
	while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back())))
		line.pop_back();
	if (line.empty())
		return Err(fmt::format("bot.token_file: {} is empty", path));
	return line;
}

} // namespace

Result<BotConfig> bot_config_from(const Config& cfg) {
	BotConfig b;
	b.token = cfg.get_string("bot.token");
	const std::string& file = cfg.get_string("bot.token_file");
	if (!file.empty()) {
		if (!b.token.empty())
			return Err("set bot.token or bot.token_file, not both");
		auto t = read_token_file(file);
		if (!t.ok())
			return t.error();
		b.token = std::move(*t);
	}
	b.api_url = cfg.get_string("bot.api_url");
	b.proxy = cfg.get_string("bot.proxy");
	b.webhook = cfg.get_string("bot.mode") == "webhook";
	b.webhook_url = cfg.get_string("bot.webhook_url");
	b.webhook_secret = cfg.get_string("bot.webhook_secret");
	if (b.webhook && b.webhook_url.empty())
		return Err("bot.mode = webhook needs bot.webhook_url");
	if (b.webhook && !valid_secret(b.webhook_secret))
		return Err("bot.mode = webhook needs bot.webhook_secret: 1-256 of A-Z a-z 0-9 _ -");
	auto admins = parse_id_list(cfg.get_string("bot.admins"));
	if (!admins.ok())
		return admins.error();
	b.admins = std::move(*admins);
	b.max_servers_per_user = static_cast<int>(cfg.get_int("bot.max_servers_per_user"));
	return b;
}

} // namespace serversan::bot
