// The [bot] section: keys, token file, webhook checks, and the token redacted in `config`.
#include <fstream>

#include <gtest/gtest.h>

#include "serversan/server/bot/bot_config.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::bot;

namespace {

Result<Config> load(std::vector<std::string> env) {
	ConfigSchema s;
	add_bot_config(s);
	ConfigSources src;
	src.env = std::move(env);
	src.env_prefix = "SERVERSAN_SERVER_";
	return load_config(s, src);
}

const std::string kToken = "123456:SECRET-token_abcdefghijklmnopqrstuv";

} // namespace

TEST(BotConfig, EveryKeyFromTheEnvironmentAndTheTokenRedacted) {
	auto cfg = load({"SERVERSAN_SERVER_BOT_TOKEN=" + kToken, "SERVERSAN_SERVER_BOT_ADMINS=1, 22 333",
	                 "SERVERSAN_SERVER_BOT_API_URL=http://127.0.0.1:9",
	                 "SERVERSAN_SERVER_BOT_MAX_SERVERS_PER_USER=5"});
	ASSERT_TRUE(cfg.ok()) << cfg.error().message;
	auto b = bot_config_from(*cfg);
	ASSERT_TRUE(b.ok()) << b.error().message;
	EXPECT_EQ(b->token, kToken);
	EXPECT_EQ(b->admins, (std::vector<int64_t>{1, 22, 333}));
	EXPECT_EQ(b->api_url, "http://127.0.0.1:9");
	EXPECT_EQ(b->max_servers_per_user, 5);
	EXPECT_FALSE(b->webhook);
	std::string dump = cfg->dump();
	EXPECT_EQ(dump.find(kToken), std::string::npos) << dump;
	EXPECT_EQ(dump.find("SECRET"), std::string::npos) << dump;
	EXPECT_NE(dump.find("bot.token"), std::string::npos);
}

TEST(BotConfig, TokenFileAndWebhookChecks) {
	serversan::testing::TempDir dir;
	std::ofstream(dir.file("token")) << kToken << "\n";
	auto cfg = load({"SERVERSAN_SERVER_BOT_TOKEN_FILE=" + dir.file("token")});
	ASSERT_TRUE(cfg.ok());
	EXPECT_EQ(bot_config_from(*cfg).value().token, kToken);

	auto hook =
	    load({"SERVERSAN_SERVER_BOT_MODE=webhook", "SERVERSAN_SERVER_BOT_WEBHOOK_URL=https://x.example/tg"});
	ASSERT_TRUE(hook.ok());
	EXPECT_FALSE(bot_config_from(*hook).ok()); // no secret
	auto bad = load({"SERVERSAN_SERVER_BOT_ADMINS=12,abc"});
	ASSERT_TRUE(bad.ok());
	auto err = bot_config_from(*bad);
	ASSERT_FALSE(err.ok());
	EXPECT_NE(err.error().message.find("abc"), std::string::npos);
	auto missing = load({"SERVERSAN_SERVER_BOT_TOKEN_FILE=" + dir.file("none")});
	ASSERT_TRUE(missing.ok());
	EXPECT_FALSE(bot_config_from(*missing).ok());
}
