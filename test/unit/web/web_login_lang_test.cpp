// A login link's two pages speak the language of the user the link was made for (the bot's
// /web in a Chinese Telegram gives a Chinese page), and otherwise the browser's Accept-Language,
// else English; the page's rules (no scripts, inline styles only, no referrer) stay the same.
#include "serversan/server/store/web_login.h"
#include "serversan/server/web/login_page.h"
#include "test/unit/web/web_harness.h"

using namespace serversan;
using namespace serversan::testing;
using web::page_language;
using web::PageLang;

struct WebLoginLanguage : WebTest {
	void add_speaker(int64_t id, std::string language) {
		store::User u;
		u.telegram_id = id;
		u.display_name = "Li";
		u.language = std::move(language);
		u.created_ms = now_ms();
		ASSERT_TRUE(store->create_user(u).value());
	}
	static bool has(const ingest::RouteResponse& r, std::string_view text) {
		return r.body.find(text) != std::string::npos;
	}
};

TEST_F(WebLoginLanguage, AChineseUsersLinkShowsBothPagesInChinese) {
	add_speaker(7, "zh-hans");
	std::string token = link_for(7);
	auto page = call({"GET", "/login/" + token, "", {{"Accept-Language", "en-US,en;q=0.9"}}});
	EXPECT_EQ(page.status, 200);
	EXPECT_TRUE(has(page, "<html lang=\"zh-CN\">")) << page.body;
	EXPECT_TRUE(has(page, "<button type=\"submit\">打开仪表盘</button>")) << page.body;
	EXPECT_TRUE(has(page, "<title>登录 · ServerSan</title>")) << page.body;
	EXPECT_FALSE(has(page, "Open the dashboard"));
	EXPECT_FALSE(has(page, "<script"));
	EXPECT_EQ(header_of(page, "Content-Security-Policy"),
	          "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'");
	EXPECT_EQ(header_of(page, "Referrer-Policy"), "no-referrer");

	EXPECT_EQ(call({"POST", "/login/" + token}).status, 303);
	auto again = call({"POST", "/login/" + token});
	EXPECT_EQ(again.status, 410);
	EXPECT_TRUE(has(again, "<h1>此链接已失效</h1>")) << again.body;
	EXPECT_TRUE(has(again, "<code>/web</code>"));
	EXPECT_TRUE(has(again, "<code>serversan-server web login-link</code>"));
	EXPECT_FALSE(has(again, "no longer works"));
}

TEST_F(WebLoginLanguage, AnExpiredLinkStillKnowsItsUsersLanguage) {
	add_speaker(8, "zh");
	std::string token = link_for(8);
	clock.advance(std::chrono::minutes(6));
	auto late = call({"POST", "/login/" + token});
	EXPECT_EQ(late.status, 410);
	EXPECT_TRUE(has(late, "此链接已失效")) << late.body;
}

TEST_F(WebLoginLanguage, TheUsersLanguageWinsOverTheBrowsers) {
	add_speaker(9, "en");
	auto page = call({"GET", "/login/" + link_for(9), "", {{"Accept-Language", "zh-CN,zh;q=0.9"}}});
	EXPECT_TRUE(has(page, "<html lang=\"en\">"));
	EXPECT_TRUE(has(page, "Open the dashboard"));
}

TEST_F(WebLoginLanguage, WithoutAKnownUserTheBrowsersLanguageThenEnglish) {
	// The console operator has no Telegram language; an unknown link has no user at all.
	std::string console = link_for(store::kConsoleUser);
	auto zh = call({"GET", "/login/" + console, "", {{"Accept-Language", "zh-CN,zh;q=0.9,en;q=0.8"}}});
	EXPECT_TRUE(has(zh, "打开仪表盘")) << zh.body;
	EXPECT_EQ(header_of(zh, "Vary"), "Accept-Language");
	auto en = call({"GET", "/login/" + console});
	EXPECT_TRUE(has(en, "Open the dashboard"));
	auto unknown = call({"POST", "/login/" + store::new_secret(), "", {{"Accept-Language", "zh-TW"}}});
	EXPECT_EQ(unknown.status, 410);
	EXPECT_TRUE(has(unknown, "此链接已失效"));
	auto malformed = call({"POST", "/login/short", "", {{"Accept-Language", "de-DE,de;q=0.9"}}});
	EXPECT_TRUE(has(malformed, "This link no longer works"));
}

TEST(PageLanguage, TheUsersTagThenTheBrowsersFavourite) {
	EXPECT_EQ(page_language("zh-hans", ""), PageLang::zh);
	EXPECT_EQ(page_language("ZH", "en"), PageLang::zh);
	EXPECT_EQ(page_language("de", "zh-CN"), PageLang::en); // a known user's language is kept
	EXPECT_EQ(page_language("", "zh-CN,zh;q=0.9,en;q=0.8"), PageLang::zh);
	EXPECT_EQ(page_language("", "en-US,en;q=0.9,zh;q=0.8"), PageLang::en);
	EXPECT_EQ(page_language("", "fr;q=0.5, zh;q=0.7"), PageLang::zh); // by q, not by order
	EXPECT_EQ(page_language("", "*, zh;q=0.5"), PageLang::zh);
	EXPECT_EQ(page_language("", " zh-TW ; q=1.0 "), PageLang::zh);
	EXPECT_EQ(page_language("", ""), PageLang::en);
	EXPECT_EQ(page_language("", "z"), PageLang::en);
}
