// The alert notice's payload: what the engine writes is what the bot reads.
#include <gtest/gtest.h>

#include "serversan/server/alerts/alert_message.h"

using namespace serversan::alerts;

namespace {

TEST(AlertMessage, RoundTrip) {
	AlertMessage m;
	m.server_id = 7;
	m.server_name = "web <1> \"eu\"";
	m.kind = "disk";
	m.device = "/var";
	m.state = NoticeState::reminder;
	m.severity = "critical";
	m.above = true;
	m.value = 93.25;
	m.threshold = 90;
	m.clear = 85;
	m.for_s = 300;
	m.started_ms = 1'764'000'000'000;
	m.at_ms = m.started_ms + 600'000;
	m.held_s = 600;
	m.reminder = 2;
	m.latest = 88.5;
	m.quiet_until_ms = m.at_ms + 3'600'000;
	m.evidence.bytes_left = 12ull << 30;
	m.evidence.total = 100ull << 30;
	m.evidence.fill_per_s = -1234.5;
	m.evidence.top = {{42, "postgres", "pg", 180.5, 4ull << 30},
	                  {1, "init", "root", std::nullopt, std::nullopt}};
	m.evidence.top_ms = m.at_ms - 5000;
	auto back = decode_alert_message(encode(m));
	ASSERT_TRUE(back.ok()) << back.error().message;
	EXPECT_EQ(*back, m);

	AlertMessage bare; // the least: offline, no value, no evidence
	bare.server_id = 1;
	bare.kind = "offline";
	bare.above = false;
	auto b = decode_alert_message(encode(bare));
	ASSERT_TRUE(b.ok());
	EXPECT_EQ(*b, bare);
	EXPECT_EQ(encode(bare).find("evidence"), std::string::npos);
	EXPECT_EQ(encode(bare).find("latest"), std::string::npos);
	EXPECT_EQ(encode(bare).find("quiet_until_ms"), std::string::npos);
}

TEST(AlertMessage, ForecastRoundTripAndOldPayloadsStillRead) {
	AlertMessage f;
	f.server_id = 7;
	f.kind = "disk";
	f.device = "/data";
	f.state = NoticeState::forecast;
	f.threshold = 100;
	f.evidence.full_ms = 1'764'500'000'000;
	f.evidence.fill_per_s = 40'000;
	auto back = decode_alert_message(encode(f));
	ASSERT_TRUE(back.ok()) << back.error().message;
	EXPECT_EQ(*back, f);
	const std::string json = encode(f);
	EXPECT_TRUE(json.find("forecast") != std::string::npos) << json;
	// A payload written before forecasts existed (no full_ms) reads as before.
	constexpr std::string_view kOld =
	    R"({"v":1,"server_id":1,"kind":"disk","state":"firing","threshold":90,"started_ms":5,"at_ms":6,"evidence":{"bytes_left":10,"total":100,"fill_per_s":0.5}})";
	auto old = decode_alert_message(kOld);
	ASSERT_TRUE(old.ok()) << old.error().message;
	EXPECT_EQ(old->state, NoticeState::firing);
	EXPECT_FALSE(old->evidence.full_ms);
	EXPECT_EQ(old->evidence.bytes_left, 10u);
}

TEST(AlertMessage, RefusesWhatItDidNotWrite) {
	EXPECT_FALSE(decode_alert_message("").ok());
	EXPECT_FALSE(decode_alert_message("[1]").ok());
	EXPECT_FALSE(decode_alert_message(R"({"v":2,"server_id":1})").ok());
	EXPECT_FALSE(decode_alert_message(R"({"v":1,"kind":"cpu"})").ok());
	EXPECT_FALSE(
	    decode_alert_message(
	        R"({"v":1,"server_id":1,"kind":"cpu","state":"odd","threshold":1,"started_ms":0,"at_ms":0})")
	        .ok());
	EXPECT_FALSE(
	    decode_alert_message(
	        R"({"v":1,"server_id":"x","kind":"cpu","state":"firing","threshold":1,"started_ms":0,"at_ms":0})")
	        .ok());
}

TEST(AlertMessage, DedupeKeysDifferPerFiringAndWhat) {
	EXPECT_NE(alert_dedupe_key(1, "cpu.busy", "", 10, "firing"),
	          alert_dedupe_key(1, "cpu.busy", "", 11, "firing"));
	EXPECT_NE(alert_dedupe_key(1, "fs.percent", "/", 10, "firing"),
	          alert_dedupe_key(1, "fs.percent", "/var", 10, "firing"));
	EXPECT_NE(alert_dedupe_key(1, "cpu.busy", "", 10, "reminder-1"),
	          alert_dedupe_key(1, "cpu.busy", "", 10, "reminder-2"));
}

} // namespace
