#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "serversan/agent/collectors/text.h"
#include "serversan/agent/state.h"
#include "serversan/core/encoding.h"

using namespace serversan;
using namespace serversan::agent;

namespace {

std::string fresh_dir(const std::string& name) {
	std::string dir = ::testing::TempDir() + "/ss-state-" + name + "-" + std::to_string(::getpid());
	std::filesystem::remove_all(dir);
	std::filesystem::create_directories(dir);
	return dir;
}

void write(const std::string& path, const std::string& text) {
	std::ofstream(path) << text;
}

} // namespace

TEST(AgentState, FirstRunCreatesAStreamInMissingDirectories) {
	std::string path = fresh_dir("first") + "/var/lib/serversan/agent.state";
	auto state = AgentState::open(path);
	ASSERT_TRUE(state.ok()) << state.error().message;
	EXPECT_EQ(state->stream().size(), 16u);
	EXPECT_TRUE(is_lower_hex(state->stream()));
	EXPECT_EQ(state->next_seq(), 1u);
	EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(AgentState, SequenceNumbersAreNeverReusedAcrossRestarts) {
	std::string path = fresh_dir("seq") + "/agent.state";
	std::string stream;
	uint64_t last = 0;
	for (int restart = 0; restart < 5; ++restart) {
		auto state = AgentState::open(path);
		ASSERT_TRUE(state.ok()) << state.error().message;
		if (restart == 0)
			stream = state->stream();
		EXPECT_EQ(state->stream(), stream);
		for (int i = 0; i < 3; ++i) {
			auto seq = state->reserve_seq();
			ASSERT_TRUE(seq.ok()) << seq.error().message;
			EXPECT_EQ(*seq, last + 1);
			last = *seq;
		}
	}
	EXPECT_EQ(last, 15u);
	auto peeked = AgentState::peek(path);
	ASSERT_TRUE(peeked.has_value());
	EXPECT_EQ(peeked->next_seq(), 16u);
	// No temporary file is left behind.
	EXPECT_EQ(std::distance(std::filesystem::directory_iterator(std::filesystem::path(path).parent_path()),
	                        std::filesystem::directory_iterator{}),
	          1);
}

TEST(AgentState, TwoStreamsDiffer) {
	std::string dir = fresh_dir("two");
	auto a = AgentState::open(dir + "/a");
	auto b = AgentState::open(dir + "/b");
	ASSERT_TRUE(a.ok() && b.ok());
	EXPECT_NE(a->stream(), b->stream());
}

TEST(AgentState, MalformedFileStartsANewStream) {
	std::string path = fresh_dir("bad") + "/agent.state";
	write(path, "stream=0123456789abcdef\nnext_seq=banana\n");
	auto state = AgentState::open(path);
	ASSERT_TRUE(state.ok());
	EXPECT_NE(state->stream(), "0123456789abcdef");
	EXPECT_EQ(state->next_seq(), 1u);
	EXPECT_EQ(AgentState::peek(path)->stream(), state->stream());
}

TEST(AgentState, ParseIsStrict) {
	EXPECT_TRUE(AgentState::parse(AgentState::format("0123456789abcdef", 7)).ok());
	EXPECT_EQ(AgentState::parse(AgentState::format("0123456789abcdef", 7))->next_seq, 7u);
	EXPECT_FALSE(AgentState::parse("stream=0123456789ABCDEF\nnext_seq=1\n").ok());
	EXPECT_FALSE(AgentState::parse("stream=0123456789abcde\nnext_seq=1\n").ok());
	EXPECT_FALSE(AgentState::parse("stream=0123456789abcdef\nnext_seq=0\n").ok());
	EXPECT_FALSE(AgentState::parse("stream=0123456789abcdef\n").ok());
	EXPECT_FALSE(AgentState::parse("stream=0123456789abcdef\nnext_seq=1\nextra=1\n").ok());
	EXPECT_FALSE(AgentState::parse("").ok());
	EXPECT_FALSE(AgentState::peek("/nonexistent/agent.state").has_value());
}

TEST(AgentState, UnwritableLocationIsAnError) {
	// A regular file where a directory should be: fails for root too.
	std::string dir = fresh_dir("ro");
	write(dir + "/file", "x");
	auto state = AgentState::open(dir + "/file/agent.state");
	ASSERT_FALSE(state.ok());
	EXPECT_NE(state.error().message.find(dir + "/file"), std::string::npos) << state.error().message;
}

TEST(AgentState, FailedReservationReservesNothing) {
	std::string dir = fresh_dir("fail");
	auto state = AgentState::open(dir + "/agent.state");
	ASSERT_TRUE(state.ok());
	ASSERT_EQ(*state->reserve_seq(), 1u);
	// Replace the file by a directory with content: rename onto it fails, even for root.
	std::filesystem::remove(dir + "/agent.state");
	std::filesystem::create_directories(dir + "/agent.state/x");
	auto seq = state->reserve_seq();
	EXPECT_FALSE(seq.ok());
	EXPECT_EQ(state->next_seq(), 2u);
}

TEST(AgentState, NumbersFromMemoryAreSavedOnRequestAndRaisedFromTheSpool) {
	std::string path = fresh_dir("take") + "/agent.state";
	{
		auto state = AgentState::open(path);
		ASSERT_TRUE(state.ok());
		EXPECT_EQ(state->take_seq(), 1u);
		EXPECT_EQ(state->take_seq(), 2u);
		EXPECT_EQ(AgentState::peek(path)->next_seq(), 1u); // not written yet: the spool holds them
		ASSERT_TRUE(state->save().ok());
		EXPECT_EQ(AgentState::peek(path)->next_seq(), 3u);
	}
	auto state = AgentState::open(path);
	ASSERT_TRUE(state.ok());
	ASSERT_TRUE(state->raise_to(10).ok()); // the spool had numbers up to 9
	EXPECT_EQ(state->next_seq(), 10u);
	EXPECT_EQ(AgentState::peek(path)->next_seq(), 10u);
	ASSERT_TRUE(state->raise_to(4).ok()); // never lowered
	EXPECT_EQ(state->take_seq(), 10u);
}
