#include <gtest/gtest.h>

#include "serversan/agent/server_answer.h"

using namespace serversan::agent;

TEST(ServerAnswer, ReadsTheKnownFields) {
	auto a = parse_server_answer(
	    R"( {"accepted":3, "duplicates":1,"server_time_ms":1764000000123,"interval_s":60.5} )");
	ASSERT_TRUE(a.has_value());
	EXPECT_EQ(a->accepted, 3u);
	EXPECT_EQ(a->duplicates, 1u);
	EXPECT_EQ(a->server_time_ms, 1764000000123);
	EXPECT_EQ(a->interval_s, 60.5);
	EXPECT_EQ(a->error, "");
}

TEST(ServerAnswer, SkipsUnknownMembersOfAnyType) {
	auto a = parse_server_answer(R"({"x":{"a":[1,2,{"b":"}"}],"c":null},"y":[true,false],"z":"\"q\\",)"
	                             R"("error":"bad \"seq\"\n","accepted":0,"w":-1.5e3})");
	ASSERT_TRUE(a.has_value());
	EXPECT_EQ(a->accepted, 0u);
	EXPECT_EQ(a->error, "bad \"seq\"\n");
	EXPECT_EQ(a->duplicates, std::nullopt);
}

TEST(ServerAnswer, WrongTypesLeaveFieldsEmpty) {
	auto a = parse_server_answer(R"({"accepted":"3","duplicates":-1,"interval_s":null,"error":5})");
	ASSERT_TRUE(a.has_value());
	EXPECT_EQ(a->accepted, std::nullopt);
	EXPECT_EQ(a->duplicates, std::nullopt);
	EXPECT_EQ(a->interval_s, std::nullopt);
	EXPECT_EQ(a->error, "");
}

TEST(ServerAnswer, NotOneObjectMeansNothing) {
	for (const char* bad : {"", "[]", "{", "{\"a\":}", "{\"a\":1,}", "{\"a\":1} x", "<html>", "{'a':1}",
	                        "{\"a\":tru}", "{\"a\":\"\x01\"}", "{\"a\":\"\\x\"}"})
		EXPECT_FALSE(parse_server_answer(bad).has_value()) << bad;
	EXPECT_TRUE(parse_server_answer("{}").has_value());
	// Deep nesting is refused, not recursed into without bound.
	std::string deep(1000, '[');
	EXPECT_FALSE(parse_server_answer("{\"a\":" + deep + "}").has_value());
}

TEST(HttpDate, ImfFixdate) {
	EXPECT_EQ(parse_http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777000);
	EXPECT_EQ(parse_http_date_ms("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
	EXPECT_EQ(parse_http_date_ms("Sat, 29 Feb 2020 12:00:00 GMT"), 1582977600000);
	EXPECT_EQ(parse_http_date_ms("Sunday, 06-Nov-94 08:49:37 GMT"), std::nullopt);
	EXPECT_EQ(parse_http_date_ms("Sun, 06 Foo 1994 08:49:37 GMT"), std::nullopt);
	EXPECT_EQ(parse_http_date_ms("Sun, 06 Nov 1994 25:49:37 GMT"), std::nullopt);
	EXPECT_EQ(parse_http_date_ms(""), std::nullopt);
}

TEST(ServerAnswer, ProtocolShapes) {
	auto ok =
	    parse_server_answer(R"({"status":"ok","accepted":5,"duplicates":1,"stale":2,)"
	                        R"("server_time_ms":1764000000000,"instructions":{"collect":["tcp_states"],)"
	                        R"("interval_s":15,"future":{"x":1}}})");
	ASSERT_TRUE(ok.has_value());
	EXPECT_EQ(ok->accepted, 5u);
	EXPECT_EQ(ok->stale, 2u);
	EXPECT_EQ(ok->interval_s, 15.0);
	auto bad = parse_server_answer(
	    R"({"error":"malformed","reason":"reports[3].memory.total: expected a non-negative integer","server_time_ms":1})");
	ASSERT_TRUE(bad.has_value());
	EXPECT_EQ(bad->error, "malformed");
	EXPECT_EQ(bad->reason, "reports[3].memory.total: expected a non-negative integer");
	// Instructions win over a top-level interval_s, whatever the order.
	EXPECT_EQ(parse_server_answer(R"({"interval_s":5,"instructions":{"interval_s":7}})")->interval_s, 7.0);
	EXPECT_EQ(parse_server_answer(R"({"instructions":{"interval_s":7},"interval_s":5})")->interval_s, 7.0);
	EXPECT_FALSE(parse_server_answer(R"({"instructions":{"interval_s":}})").has_value());
}

TEST(ServerAnswer, CollectInstruction) {
	auto a =
	    parse_server_answer(R"({"accepted":1,"instructions":{"collect":["top_processes", "tcp_states"]}})");
	ASSERT_TRUE(a.has_value());
	EXPECT_EQ(a->collect, (std::vector<std::string>{"top_processes", "tcp_states"}));
	// Non-strings are skipped, the list is bounded, and a collect outside instructions means nothing.
	a = parse_server_answer(
	    R"({"instructions":{"collect":[1,{"x":[2]},"a","b","c","d","e","f","g","h","i"]}})");
	ASSERT_TRUE(a.has_value());
	EXPECT_EQ(a->collect.size(), 8u);
	EXPECT_EQ(a->collect.front(), "a");
	EXPECT_TRUE(parse_server_answer(R"({"collect":["top_processes"]})")->collect.empty());
	EXPECT_TRUE(parse_server_answer(R"({"instructions":{"collect":"top_processes"}})")->collect.empty());
	EXPECT_FALSE(parse_server_answer(R"({"instructions":{"collect":["a",]}})").has_value());
}
