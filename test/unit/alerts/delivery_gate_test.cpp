// The engine's gate over the store (delivery_gate.h): the chat's settings, silences and zone as
// stored decide each notice: quiet hours hold it until they end (in the user's zone for a
// private chat), a muted kind or a silence of the server drops it, a recovery is never dropped,
// and silent warnings carry the flag the sender turns into disable_notification.
#include <gtest/gtest.h>

#include "serversan/server/alerts/delivery_gate.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::alerts;

namespace {

constexpr int64_t kMin = 60'000;
constexpr int64_t kChat = 42; // a private chat: its user's id
// 2025-11-24 22:30 UTC, 23:30 in Berlin (CET).
constexpr int64_t kNow = 1'764'023'400'000;

class GateTest : public ::testing::Test {
protected:
	void SetUp() override {
		store = store::open_sqlite_store(dir.file("s.db")).value();
		store::User u;
		u.telegram_id = kChat;
		u.time_zone = "Europe/Berlin";
		ASSERT_TRUE(store->create_user(u).ok());
		settings = store->chat_settings(kChat).value();
		gate = store_delivery_gate(*store);
	}
	void put() { ASSERT_TRUE(store->put_chat_settings(settings).ok()); }
	void silence(std::optional<uint64_t> server, std::string kind, std::optional<int64_t> until) {
		store::AlertSilence s;
		s.chat_id = kChat;
		s.server_id = server;
		s.kind = std::move(kind);
		s.until_ms = until;
		s.created_ms = kNow;
		ASSERT_TRUE(store->add_silence(s).ok());
	}
	static AlertMessage notice(std::string kind, std::string severity = "warning",
	                           NoticeState state = NoticeState::firing, uint64_t server = 7) {
		AlertMessage m;
		m.server_id = server;
		m.kind = std::move(kind);
		m.severity = std::move(severity);
		m.state = state;
		return m;
	}

	serversan::testing::TempDir dir;
	std::unique_ptr<store::Store> store;
	store::ChatSettings settings;
	DeliveryGate gate;
};

TEST_F(GateTest, NothingSetSendsAtOnceWithSound) {
	auto v = gate(kChat, notice("cpu"), kNow);
	EXPECT_TRUE(v.send);
	EXPECT_LE(v.at_ms, kNow);
	EXPECT_FALSE(v.silent);
}

TEST_F(GateTest, QuietHoursInTheUsersZoneHoldUntilTheyEnd) {
	settings.quiet_from_min = 23 * 60; // 23:00-07:00 Berlin = 22:00-06:00 UTC in November
	settings.quiet_to_min = 7 * 60;
	settings.quiet_lets_critical = true;
	put();
	auto v = gate(kChat, notice("cpu"), kNow);
	EXPECT_TRUE(v.send);
	EXPECT_EQ(v.at_ms, kNow + 7 * 60 * kMin + 30 * kMin); // 06:00 UTC next morning
	// A critical alert passes; a recovery waits like the warning.
	EXPECT_LE(gate(kChat, notice("offline", "critical"), kNow).at_ms, kNow);
	EXPECT_EQ(gate(kChat, notice("cpu", "warning", NoticeState::resolved), kNow).at_ms, v.at_ms);
	// At 06:00 UTC they are over.
	EXPECT_LE(gate(kChat, notice("cpu"), v.at_ms).at_ms, v.at_ms);
}

TEST_F(GateTest, AMutedKindIsDroppedButItsRecoveryIsNot) {
	settings.muted_kinds = {"disk"};
	put();
	EXPECT_FALSE(gate(kChat, notice("disk"), kNow).send);
	EXPECT_TRUE(gate(kChat, notice("cpu"), kNow).send);
	EXPECT_TRUE(gate(kChat, notice("disk", "warning", NoticeState::resolved), kNow).send);
}

TEST_F(GateTest, ASilenceOfTheServerDropsItsNoticesOnly) {
	silence(7, "", std::nullopt);        // muted until it recovers
	silence(8, "cpu", kNow + 60 * kMin); // snoozed for an hour
	EXPECT_FALSE(gate(kChat, notice("cpu", "warning", NoticeState::firing, 7), kNow).send);
	EXPECT_FALSE(gate(kChat, notice("offline", "critical", NoticeState::firing, 7), kNow).send);
	EXPECT_FALSE(gate(kChat, notice("cpu", "warning", NoticeState::firing, 8), kNow).send);
	EXPECT_TRUE(gate(kChat, notice("ram", "warning", NoticeState::firing, 8), kNow).send);
	EXPECT_TRUE(gate(kChat, notice("cpu", "warning", NoticeState::firing, 8), kNow + 61 * kMin).send);
	EXPECT_TRUE(gate(kChat, notice("cpu", "warning", NoticeState::firing, 9), kNow).send);
}

TEST_F(GateTest, SilentWarningsAreSilentCriticalOnesRing) {
	settings.silent_warnings = true;
	put();
	EXPECT_TRUE(gate(kChat, notice("cpu"), kNow).silent);
	EXPECT_FALSE(gate(kChat, notice("offline", "critical"), kNow).silent);
	settings.quiet_from_min = 23 * 60;
	settings.quiet_to_min = 7 * 60;
	put();
	auto held = gate(kChat, notice("cpu"), kNow);
	EXPECT_GT(held.at_ms, kNow);
	EXPECT_TRUE(held.silent); // held, and still silent when it goes out
}

} // namespace
