// The web dashboard's keys: defaults (30-day sessions, 5-minute links, on), each settable from the
// environment and from flags, bounds that name the key, and the default root's search.
#include <gtest/gtest.h>

#include "serversan/server/web/web_config.h"

using namespace serversan;
using namespace serversan::web;
using namespace std::chrono_literals;

namespace {

Result<WebSettings> load(std::vector<std::string> env, std::vector<FlagOverride> flags = {}) {
	ConfigSchema schema;
	add_web_config(schema);
	ConfigSources src;
	src.env = std::move(env);
	src.env_prefix = "SERVERSAN_SERVER_";
	src.flags = std::move(flags);
	auto cfg = load_config(schema, src);
	if (!cfg.ok())
		return cfg.error();
	return web_settings_from(*cfg);
}

} // namespace

TEST(WebConfig, Defaults) {
	auto w = load({});
	ASSERT_TRUE(w.ok()) << w.error().message;
	EXPECT_TRUE(w->enabled);
	EXPECT_EQ(w->session_ttl, std::chrono::seconds(30 * 24 * 3600));
	EXPECT_EQ(w->login_link_ttl, 5min);
	EXPECT_EQ(w->api_rate_per_minute, 600);
	EXPECT_FALSE(w->root_configured);
	// Not configured: one of the default places (beside the binary, or the source tree's dist).
	auto roots = default_web_roots();
	ASSERT_EQ(roots.size(), 2u);
	EXPECT_TRUE(roots[0].string().ends_with("share/serversan/web")) << roots[0];
	EXPECT_TRUE(roots[1].string().ends_with("web/dist")) << roots[1];
	EXPECT_TRUE(w->root == roots[0] || w->root == roots[1]) << w->root;
}

TEST(WebConfig, EnvironmentAndFlagsSetEveryKey) {
	auto w = load({"SERVERSAN_SERVER_WEB_ENABLED=false", "SERVERSAN_SERVER_WEB_ROOT=/srv/dash",
	               "SERVERSAN_SERVER_WEB_SESSION_TTL=7d", "SERVERSAN_SERVER_WEB_LOGIN_LINK_TTL=10m",
	               "SERVERSAN_SERVER_WEB_API_RATE=0"});
	ASSERT_TRUE(w.ok()) << w.error().message;
	EXPECT_FALSE(w->enabled);
	EXPECT_EQ(w->root, "/srv/dash");
	EXPECT_TRUE(w->root_configured);
	EXPECT_EQ(w->session_ttl, std::chrono::seconds(7 * 24 * 3600));
	EXPECT_EQ(w->login_link_ttl, 10min);
	EXPECT_EQ(w->api_rate_per_minute, 0);
	auto f = load({"SERVERSAN_SERVER_WEB_ENABLED=false"},
	              {{"web.enabled", "true", "--web"}, {"web.root", "/x", ""}});
	ASSERT_TRUE(f.ok()) << f.error().message;
	EXPECT_TRUE(f->enabled);
	EXPECT_EQ(f->root, "/x");
}

TEST(WebConfig, OutOfBoundsNamesTheKey) {
	auto w = load({"SERVERSAN_SERVER_WEB_LOGIN_LINK_TTL=2d"});
	ASSERT_FALSE(w.ok());
	EXPECT_NE(w.error().message.find("web.login_link_ttl"), std::string::npos) << w.error().message;
	w = load({"SERVERSAN_SERVER_WEB_SESSION_TTL=10s"});
	ASSERT_FALSE(w.ok());
	EXPECT_NE(w.error().message.find("web.session_ttl"), std::string::npos) << w.error().message;
}
