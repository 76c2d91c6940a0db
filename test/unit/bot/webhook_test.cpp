// Webhook deliveries: the secret checked before anything else, the update handled on the bot's
// thread (step), a repeated delivery not handled twice, a body that is no update refused, and
// Telegram's restart of the numbering after a week without updates.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "serversan/server/bot/webhook.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::bot;

namespace {

struct Recorder final : UpdateHandler {
	std::vector<int64_t> ids;
	void handle(const telegram::Update& u) override { ids.push_back(u.update_id); }
};

std::string update(int64_t id) {
	return nlohmann::json{{"update_id", id},
	                      {"message",
	                       {{"message_id", 1},
	                        {"date", 1},
	                        {"chat", {{"id", 1001}, {"type", "private"}}},
	                        {"from", {{"id", 1001}, {"is_bot", false}, {"first_name", "A"}}},
	                        {"text", "/start"}}}}
	    .dump();
}

} // namespace

TEST(Webhook, OnlyTheRightSecretGetsAnUpdateHandledAndOnlyOnce) {
	serversan::testing::TempDir dir;
	auto store = store::open_sqlite_store(dir.file("s.db")).value();
	Recorder handler;
	ManualClock clock;
	WebhookReceiver hook(*store, handler, clock, "s3cret_-X");

	EXPECT_EQ(hook.receive("", update(10)), 401);
	EXPECT_EQ(hook.receive("s3cret_-Y", update(10)), 401);
	EXPECT_EQ(hook.receive("s3cret_-X ", update(10)), 401);
	EXPECT_EQ(hook.step(), 0u); // nothing queued: never handled
	EXPECT_TRUE(handler.ids.empty());

	EXPECT_EQ(hook.receive("s3cret_-X", "{not json"), 400);
	EXPECT_EQ(hook.receive("s3cret_-X", update(10)), 200);
	EXPECT_TRUE(handler.ids.empty()); // answered first, handled on the bot's thread
	EXPECT_EQ(hook.step(), 1u);
	EXPECT_EQ(handler.ids, std::vector<int64_t>{10});
	EXPECT_EQ(store->bot_state(kLastUpdateKey).value(), std::optional<std::string>("10"));

	EXPECT_EQ(hook.receive("s3cret_-X", update(10)), 200); // Telegram delivers again
	EXPECT_EQ(hook.receive("s3cret_-X", update(11)), 200);
	hook.step();
	EXPECT_EQ(handler.ids, (std::vector<int64_t>{10, 11}));
}

// After a week without updates Telegram numbers the next one at random, possibly below the last:
// within the sequence a lower id is a repeat, after the gap it is new, and the numbering goes on
// from there. The rule holds across a restart (the time is stored with the id).
TEST(Webhook, ALowerIdAfterAWeekOfSilenceIsANewSequenceNotARepeat) {
	serversan::testing::TempDir dir;
	auto store = store::open_sqlite_store(dir.file("s.db")).value();
	Recorder handler;
	ManualClock clock;
	{
		WebhookReceiver hook(*store, handler, clock, "s");
		hook.receive("s", update(5000));
		hook.step();
		clock.advance(std::chrono::hours(24 * 5));
		hook.receive("s", update(4999)); // five days on: still the sequence, a late repeat
		hook.step();
		EXPECT_EQ(handler.ids, std::vector<int64_t>{5000});
	}
	clock.advance(std::chrono::hours(24 * 2)); // a week after the last update
	WebhookReceiver hook(*store, handler, clock, "s");
	hook.receive("s", update(120));
	hook.receive("s", update(121));
	hook.receive("s", update(121)); // repeats of the new sequence are still caught
	hook.step();
	EXPECT_EQ(handler.ids, (std::vector<int64_t>{5000, 120, 121}));
	EXPECT_EQ(store->bot_state(kLastUpdateKey).value(), std::optional<std::string>("121"));
}
