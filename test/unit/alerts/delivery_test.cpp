// Delivery from a chat's notification settings: off, kinds, snoozes and mutes, quiet hours across
// midnight and across DST changes, silent warnings; and which zone a chat is in.
#include <gtest/gtest.h>

#include "serversan/server/alerts/chat_zone.h"
#include "serversan/server/alerts/delivery.h"
#include "serversan/server/alerts/quiet_hours.h"

using namespace serversan;
using namespace serversan::alerts;

namespace {

using A = Delivery::Action;
using W = Delivery::Why;

constexpr int64_t kChat = 1001;
constexpr int64_t kHourMs = 3'600'000;

// 2026-12-07 00:00 UTC
constexpr int64_t kDay = 1'796'601'600'000;

store::ChatSettings settings() {
	store::ChatSettings s;
	s.chat_id = kChat;
	return s;
}

store::ChatSettings quiet(int from, int to) {
	auto s = settings();
	s.quiet_from_min = from;
	s.quiet_to_min = to;
	return s;
}

Delivery decide_at(const store::ChatSettings& s, int64_t now_ms, bool critical = false,
                   std::string_view zone = "UTC") {
	return decide(s, "cpu", critical, {}, 7, zone, now_ms);
}

} // namespace

TEST(Delivery, DefaultsSendWithSound) {
	EXPECT_EQ(decide_at(settings(), kDay), (Delivery{A::send, W::none, 0, false}));
}

TEST(Delivery, OffAndKindOffDrop) {
	auto s = settings();
	s.notify = false;
	EXPECT_EQ(decide_at(s, kDay, true).why, W::notifications_off);
	s = settings();
	s.muted_kinds = {"cpu", "temp"};
	EXPECT_EQ(decide_at(s, kDay).action, A::drop);
	EXPECT_EQ(decide_at(s, kDay).why, W::kind_off);
	EXPECT_EQ(decide(s, "ram", false, {}, 7, "UTC", kDay).action, A::send);
}

TEST(Delivery, SnoozesAndMutesCoverTheirServerAndKind) {
	auto s = settings();
	store::AlertSilence snooze{1, kChat, 7, "cpu", kDay + kHourMs, kDay, kChat};
	store::AlertSilence mute{2, kChat, 8, "", std::nullopt, kDay, kChat};
	std::vector<store::AlertSilence> silences{snooze, mute};
	EXPECT_EQ(decide(s, "cpu", false, silences, 7, "UTC", kDay).why, W::silenced);
	EXPECT_EQ(decide(s, "ram", false, silences, 7, "UTC", kDay).action, A::send);           // other kind
	EXPECT_EQ(decide(s, "cpu", false, silences, 7, "UTC", kDay + kHourMs).action, A::send); // over
	// A mute covers every kind of its server, critical too, with no end.
	EXPECT_EQ(decide(s, "disk", true, silences, 8, "UTC", kDay + 1000 * kHourMs).why, W::silenced);
	EXPECT_EQ(decide(s, "disk", true, silences, 9, "UTC", kDay).action, A::send);
	// Another chat's silence does not apply here.
	store::AlertSilence other{3, 2002, std::nullopt, "", std::nullopt, kDay, 2002};
	EXPECT_EQ(decide(s, "cpu", false, std::vector{other}, 9, "UTC", kDay).action, A::send);
	// No server: every server of the chat.
	store::AlertSilence all{4, kChat, std::nullopt, "offline", kDay + kHourMs, kDay, kChat};
	EXPECT_EQ(decide(s, "offline", false, std::vector{all}, 99, "UTC", kDay).why, W::silenced);
}

TEST(Delivery, QuietHoursAcrossMidnightHoldUntilTheirEnd) {
	auto s = quiet(23 * 60, 7 * 60);
	// 22:59 is before, 23:00 inside, 06:59 inside, 07:00 after.
	EXPECT_EQ(decide_at(s, kDay + 22 * kHourMs + 59 * 60'000).action, A::send);
	auto at23 = decide_at(s, kDay + 23 * kHourMs);
	EXPECT_EQ(at23, (Delivery{A::hold, W::quiet_hours, kDay + 31 * kHourMs, false}));
	EXPECT_EQ(decide_at(s, kDay + 30 * kHourMs + 59 * 60'000).hold_until_ms, kDay + 31 * kHourMs);
	EXPECT_EQ(decide_at(s, kDay + 31 * kHourMs).action, A::send);
	// The same span read after midnight ends the same morning.
	EXPECT_EQ(decide_at(s, kDay + 2 * kHourMs).hold_until_ms, kDay + 7 * kHourMs);
}

TEST(Delivery, QuietHoursWithinADayAndInTheChatsZone) {
	auto s = quiet(13 * 60, 14 * 60 + 30);
	EXPECT_EQ(decide_at(s, kDay + 13 * kHourMs).hold_until_ms, kDay + 14 * kHourMs + 30 * 60'000);
	EXPECT_EQ(decide_at(s, kDay + 12 * kHourMs).action, A::send);
	// 13:00 in Shanghai is 05:00 UTC.
	auto sh = decide_at(s, kDay + 5 * kHourMs, false, "Asia/Shanghai");
	EXPECT_EQ(sh.action, A::hold);
	EXPECT_EQ(sh.hold_until_ms, kDay + 6 * kHourMs + 30 * 60'000);
	EXPECT_EQ(decide_at(s, kDay + 13 * kHourMs, false, "Asia/Shanghai").action, A::send);
	// An empty span is none.
	EXPECT_EQ(decide_at(quiet(600, 600), kDay + 10 * kHourMs).action, A::send);
}

TEST(Delivery, CriticalLetThroughWhenAllowedAndWarningsSilent) {
	auto s = quiet(0, 8 * 60);
	s.silent_warnings = true;
	EXPECT_EQ(decide_at(s, kDay + kHourMs, true), (Delivery{A::send, W::none, 0, false}));
	EXPECT_EQ(decide_at(s, kDay + kHourMs, false).action, A::hold);
	s.quiet_lets_critical = false;
	EXPECT_EQ(decide_at(s, kDay + kHourMs, true).action, A::hold);
	// Outside quiet hours a warning goes out silently, a critical one rings.
	EXPECT_EQ(decide_at(s, kDay + 9 * kHourMs, false), (Delivery{A::send, W::none, 0, true}));
	EXPECT_FALSE(decide_at(s, kDay + 9 * kHourMs, true).silent);
}

// Europe/Berlin: 2026-03-29 02:00 CET jumps to 03:00 CEST (01:00 UTC); 2026-10-25 03:00 CEST falls
// back to 02:00 CET (01:00 UTC).
TEST(QuietHours, SpringForwardEndsOnTheWallClock) {
	constexpr int64_t kMar28 = 1'774'656'000'000; // 2026-03-28 00:00 UTC
	// 23:30 CET on the 28th (22:30 UTC) to 07:00 CEST on the 29th (05:00 UTC): 6.5 h, not 7.5 h.
	auto end = quiet_until(23 * 60, 7 * 60, "Europe/Berlin", kMar28 + 22 * kHourMs + 30 * 60'000);
	ASSERT_TRUE(end);
	EXPECT_EQ(*end, kMar28 + 29 * kHourMs);
	// An end that the clocks skip (02:30) is the jump itself, 01:00 UTC.
	end = quiet_until(22 * 60, 2 * 60 + 30, "Europe/Berlin", kMar28 + 22 * kHourMs);
	ASSERT_TRUE(end);
	EXPECT_EQ(*end, kMar28 + 25 * kHourMs);
	// Read after the jump (03:30 CEST, 01:30 UTC), 23:00-07:00 still ends at 07:00 CEST.
	end = quiet_until(23 * 60, 7 * 60, "Europe/Berlin", kMar28 + 25 * kHourMs + 30 * 60'000);
	ASSERT_TRUE(end);
	EXPECT_EQ(*end, kMar28 + 29 * kHourMs);
	// Just after the jump (03:10 CEST) the span is over.
	EXPECT_FALSE(quiet_until(22 * 60, 2 * 60 + 30, "Europe/Berlin", kMar28 + 25 * kHourMs + 10 * 60'000));
}

TEST(QuietHours, FallBackEndsAtTheFirstOccurrence) {
	constexpr int64_t kOct24 = 1'792'800'000'000; // 2026-10-24 00:00 UTC
	// 23:00 CEST on the 24th (21:00 UTC) to 07:00 CET on the 25th (06:00 UTC): 9 h.
	auto end = quiet_until(23 * 60, 7 * 60, "Europe/Berlin", kOct24 + 21 * kHourMs);
	ASSERT_TRUE(end);
	EXPECT_EQ(*end, kOct24 + 30 * kHourMs);
	// 02:30 happens twice; the first is 00:30 UTC.
	end = quiet_until(23 * 60, 2 * 60 + 30, "Europe/Berlin", kOct24 + 21 * kHourMs);
	ASSERT_TRUE(end);
	EXPECT_EQ(*end, kOct24 + 24 * kHourMs + 30 * 60'000);
}

TEST(QuietHours, UnknownZoneIsUtcAndBadMinutesAreNone) {
	EXPECT_EQ(quiet_until(60, 120, "Mars/Olympus", 90 * 60'000), 120 * 60'000);
	EXPECT_FALSE(quiet_until(-1, 120, "UTC", 0));
	EXPECT_FALSE(quiet_until(60, kMinutesPerDay, "UTC", 0));
}

TEST(ChatZone, OwnZoneThenTheUsersInPrivateElseUtc) {
	store::User alice;
	alice.telegram_id = kChat;
	alice.time_zone = "Europe/Berlin";
	auto s = settings();
	EXPECT_EQ(chat_zone(s, &alice), "Europe/Berlin");
	EXPECT_EQ(chat_zone(s, nullptr), "UTC");
	s.time_zone = "Asia/Tokyo";
	EXPECT_EQ(chat_zone(s, &alice), "Asia/Tokyo");
	// A group is never in a member's zone.
	store::ChatSettings group;
	group.chat_id = -100;
	alice.telegram_id = -100;
	EXPECT_EQ(chat_zone(group, &alice), "UTC");
	// Another user's zone does not leak into this chat.
	store::User bob;
	bob.telegram_id = 2002;
	bob.time_zone = "America/New_York";
	EXPECT_EQ(chat_zone(settings(), &bob), "UTC");
}
