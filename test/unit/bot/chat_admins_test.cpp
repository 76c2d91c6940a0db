// Group admins from getChatMember, cached on the manual clock; errors refuse and are asked again
// after 10 s.
#include <map>

#include <gtest/gtest.h>

#include "serversan/server/bot/telegram_chat_admins.h"
#include "test/fake_telegram/fake_bot_api.h"

using namespace serversan;
using namespace serversan::bot;
using namespace serversan::fake_telegram;
using namespace std::chrono_literals;

namespace {

// Group -100 on the fake Bot API with its members' statuses, and the class under test.
struct Group {
	FakeBotApi fake;
	ManualClock clock;
	std::unique_ptr<TelegramChatAdmins> admins;
	explicit Group(const std::map<int64_t, std::string>& statuses) {
		fake.add_chat({-100, "supergroup", "ops"});
		for (const auto& [user, status] : statuses)
			fake.set_member_status(-100, user, status);
		telegram::ClientOptions o;
		o.api_url = fake.base_url();
		o.token = fake.token();
		admins = std::make_unique<TelegramChatAdmins>(std::make_unique<telegram::ApiClient>(o), clock);
	}
};

} // namespace

TEST(TelegramChatAdmins, AsksTelegramOnceAMinuteAndRefusesOnDoubt) {
	Group group({{1, "creator"}, {2, "administrator"}});
	FakeBotApi& fake = group.fake;
	ManualClock& clock = group.clock;
	TelegramChatAdmins& admins = *group.admins;

	EXPECT_TRUE(admins.is_admin(-100, 1).value());
	EXPECT_TRUE(admins.is_admin(-100, 2).value());
	EXPECT_FALSE(admins.is_admin(-100, 3).value()); // a plain member
	EXPECT_TRUE(admins.is_admin(7, 7).value());     // a private chat: no call
	EXPECT_FALSE(admins.is_admin(7, 8).value());
	EXPECT_EQ(fake.calls("getChatMember").size(), 3u);

	fake.set_member_status(-100, 2, "member"); // demoted: the cache answers until it expires
	EXPECT_TRUE(admins.is_admin(-100, 2).value());
	EXPECT_EQ(fake.calls("getChatMember").size(), 3u);
	clock.advance(61s);
	EXPECT_FALSE(admins.is_admin(-100, 2).value());

	Fault down = Fault::server_error("getChatMember", 502);
	fake.fail(down);
	clock.advance(61s);
	EXPECT_FALSE(admins.is_admin(-100, 1).ok()); // never allow on doubt
	// The error answers for 10 s without a call (Telegram recovered at once here), then it asks.
	size_t asked = fake.calls("getChatMember").size();
	EXPECT_FALSE(admins.is_admin(-100, 1).ok());
	EXPECT_EQ(fake.calls("getChatMember").size(), asked);
	clock.advance(10s);
	EXPECT_TRUE(admins.is_admin(-100, 1).value());
	EXPECT_FALSE(admins.is_admin(-999, 1).ok()); // chat not found
}

// The web's question (fleet/membership.h) from the same cache: creator and administrator are
// admins, member and restricted are members, left and kicked are not in the group.
TEST(TelegramChatAdmins, MembershipForTheWebSharesTheCache) {
	Group group({{1, "creator"}, {2, "member"}, {3, "restricted"}, {4, "left"}, {5, "kicked"}, {6, "guest"}});
	FakeBotApi& fake = group.fake;
	TelegramChatAdmins& admins = *group.admins;
	fleet::GroupMembership& web = admins;
	// A status Telegram may add one day is nobody's membership until we know what it means.
	EXPECT_EQ(web.role(-100, 6).value(), fleet::Membership::none);

	EXPECT_EQ(web.role(-100, 1).value(), fleet::Membership::admin);
	EXPECT_EQ(web.role(-100, 2).value(), fleet::Membership::member);
	EXPECT_EQ(web.role(-100, 3).value(), fleet::Membership::member);
	EXPECT_EQ(web.role(-100, 4).value(), fleet::Membership::none);
	EXPECT_EQ(web.role(-100, 5).value(), fleet::Membership::none);
	EXPECT_EQ(fake.calls("getChatMember").size(), 6u);
	// The bot's own check and the web's second look: both from the cache.
	EXPECT_TRUE(admins.is_admin(-100, 1).value());
	EXPECT_FALSE(admins.is_admin(-100, 2).value());
	EXPECT_EQ(web.role(-100, 2).value(), fleet::Membership::member);
	EXPECT_EQ(fake.calls("getChatMember").size(), 6u);

	fake.set_member_status(-100, 2, "left"); // left the group: seen within the minute
	group.clock.advance(61s);
	EXPECT_EQ(web.role(-100, 2).value(), fleet::Membership::none);
	fake.fail(Fault::server_error("getChatMember", 502));
	group.clock.advance(61s);
	EXPECT_FALSE(web.role(-100, 1).ok()); // an error is no answer
	group.clock.advance(10s);             // and is asked again after 10 s
	EXPECT_EQ(web.role(-100, 1).value(), fleet::Membership::admin);
}
