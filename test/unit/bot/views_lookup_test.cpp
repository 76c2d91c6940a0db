#include <gtest/gtest.h>

#include "serversan/server/bot/views/server_lookup.h"

using namespace serversan;
using namespace serversan::bot;
using namespace serversan::bot::views;

namespace {

std::vector<store::ServerRecord> servers() {
	std::vector<store::ServerRecord> out;
	for (auto [id, name] : std::initializer_list<std::pair<uint64_t, const char*>>{
	         {3, "web-01"}, {5, "web-02"}, {8, "DB"}, {12, "db-replica"}, {20, "7"}}) {
		store::ServerRecord r;
		r.id = id;
		r.name = name;
		out.push_back(r);
	}
	return out;
}

} // namespace

TEST(BotServerLookup, IdNameThenUniquePrefix) {
	auto s = servers();
	EXPECT_EQ(match_server(s, "12").ids, (std::vector<uint64_t>{12}));
	EXPECT_EQ(match_server(s, "#5").ids, (std::vector<uint64_t>{5}));
	EXPECT_EQ(match_server(s, " WEB-01 ").ids, (std::vector<uint64_t>{3}));
	EXPECT_EQ(match_server(s, "db").ids, (std::vector<uint64_t>{8})); // exact name beats prefix
	EXPECT_EQ(match_server(s, "db-r").ids, (std::vector<uint64_t>{12}));
	EXPECT_EQ(match_server(s, "web").ids, (std::vector<uint64_t>{3, 5}));
	EXPECT_EQ(match_server(s, "7").ids, (std::vector<uint64_t>{20})); // no server 7: the name
	EXPECT_TRUE(match_server(s, "99").ids.empty());                   // not this chat's id
	EXPECT_TRUE(match_server(s, "").ids.empty());
	EXPECT_TRUE(match_server(s, "mail").ids.empty());
}

TEST(BotServerLookup, RepliesForNoneAndSeveral) {
	auto s = servers();
	auto none = match_reply(Lang::en, s, "<mail>", match_server(s, "<mail>"));
	EXPECT_EQ(none.text, "No server of yours is called “&lt;mail&gt;”. /stat lists them all.");
	EXPECT_TRUE(none.keyboard.empty());
	auto several = match_reply(Lang::zh, s, "web", match_server(s, "web"));
	EXPECT_EQ(several.text, "有多台服务器匹配“web”，请选择：");
	ASSERT_EQ(several.keyboard.size(), 2u);
	EXPECT_EQ(several.keyboard[0][0].text, "web-01");
	EXPECT_EQ(several.keyboard[1][0].callback_data, "st:5");
}
