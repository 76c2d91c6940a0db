// /web: a one-time dashboard link in a private chat, with previews off, spendable once; a Mini
// App button only under https; refused in groups, where anyone could use the link.
#include <iostream>

#include <gtest/gtest.h>

#include "serversan/server/store/web_login.h"
#include "test/unit/bot/bot_harness.h"

using namespace serversan;
using namespace serversan::bot;
using namespace serversan::bot::testing;

namespace {

struct WebCommand : ::testing::Test {
	BotHarness h;
	telegram::User alice = tg_user(1001, "Alice");
	telegram::Chat alice_chat = private_chat(alice);
};

// The token after "/login/" in the reply's link.
std::string link_token(const std::string& text) {
	size_t at = text.find("/login/");
	if (at == std::string::npos)
		return "";
	size_t from = at + 7, to = from;
	while (to < text.size() &&
	       (std::isalnum(static_cast<unsigned char>(text[to])) || text[to] == '-' || text[to] == '_'))
		++to;
	return text.substr(from, to - from);
}

} // namespace

TEST_F(WebCommand, SendsAOneTimeLinkWithoutPreviewAndAMiniAppButton) {
	h.say(alice, alice_chat, "/start");
	auto r = h.say(alice, alice_chat, "/web");
	std::cout << transcript(r);
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(r[0].disable_link_preview);
	EXPECT_TRUE(has(r[0].text, "<a href=\"https://mon.example.com/login/")) << r[0].text;
	EXPECT_TRUE(has(r[0].text, "works once, within 5 min.")) << r[0].text;
	ASSERT_TRUE(r[0].keyboard);
	EXPECT_EQ((*r[0].keyboard)[0][0].web_app, "https://mon.example.com/");

	std::string token = link_token(r[0].text);
	ASSERT_EQ(token.size(), 43u) << r[0].text;
	int64_t now = h.clock.unix_millis();
	EXPECT_EQ(h.store->spend_login_link(store::secret_hash(token), now).value(),
	          std::optional<int64_t>(alice.id));
	EXPECT_EQ(h.store->spend_login_link(store::secret_hash(token), now).value(), std::nullopt);
}

TEST_F(WebCommand, NoMiniAppButtonWithoutHttps) {
	h.settings.public_url = "http://127.0.0.1:8080";
	h.start();
	auto r = h.say(alice, alice_chat, "/web");
	std::cout << transcript(r);
	ASSERT_EQ(r.size(), 1u);
	EXPECT_FALSE(r[0].keyboard);
	EXPECT_TRUE(has(r[0].text, "http://127.0.0.1:8080/login/")) << r[0].text;
}

// web.login_link_ttl reaches /web (main passes it in BotSettings): the text says it and the link
// lives that long, not the default 5 minutes.
TEST_F(WebCommand, TheConfiguredLifetimeIsTheLinks) {
	h.settings.login_link_ttl_ms = 15 * 60'000;
	h.start();
	h.say(alice, alice_chat, "/start");
	auto r = h.say(alice, alice_chat, "/web");
	std::cout << transcript(r);
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "works once, within 15 min.")) << r[0].text;
	std::string token = link_token(r[0].text);
	int64_t sent = h.clock.unix_millis();
	EXPECT_EQ(h.store->spend_login_link(store::secret_hash(token), sent + 15 * 60'000 + 1).value(),
	          std::nullopt); // expired just after
	auto again = h.say(alice, alice_chat, "/web");
	token = link_token(again[0].text);
	EXPECT_EQ(h.store->spend_login_link(store::secret_hash(token), sent + 14 * 60'000).value(),
	          std::optional<int64_t>(alice.id)); // past the default 5 minutes, still good
}

TEST_F(WebCommand, RefusedInAGroup) {
	auto r = h.say(alice, group_chat(-100), "/web");
	std::cout << transcript(r);
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "private chat")) << r[0].text;
	EXPECT_FALSE(has(r[0].text, "/login/"));
}

TEST_F(WebCommand, ChineseText) {
	telegram::User li = tg_user(1002, "Li", "zh-hans");
	auto r = h.say(li, private_chat(li), "/web");
	std::cout << transcript(r);
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(has(r[0].text, "打开控制台")) << r[0].text;
	EXPECT_EQ((*r[0].keyboard)[0][0].text, "在 Telegram 中打开");
}
