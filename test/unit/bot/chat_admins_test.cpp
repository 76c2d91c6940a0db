// Group admins from getChatMember, cached on the manual clock; errors refuse and are not cached.
#include <gtest/gtest.h>

#include "serversan/server/bot/telegram_chat_admins.h"
#include "test/fake_telegram/fake_bot_api.h"

using namespace serversan;
using namespace serversan::bot;
using namespace serversan::fake_telegram;
using namespace std::chrono_literals;

TEST(TelegramChatAdmins, AsksTelegramOnceAMinuteAndRefusesOnDoubt) {
	FakeBotApi fake;
	ManualClock clock;
	fake.add_chat({-100, "supergroup", "ops"});
	fake.set_member_status(-100, 1, "creator");
	fake.set_member_status(-100, 2, "administrator");
	telegram::ClientOptions o;
	o.api_url = fake.base_url();
	o.token = fake.token();
	TelegramChatAdmins admins(std::make_unique<telegram::ApiClient>(o), clock);

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
	EXPECT_FALSE(admins.is_admin(-100, 1).ok());   // never allow on doubt
	EXPECT_TRUE(admins.is_admin(-100, 1).value()); // the error was not cached
	EXPECT_FALSE(admins.is_admin(-999, 1).ok());   // chat not found
}
