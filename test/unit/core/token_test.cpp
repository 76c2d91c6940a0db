#include <set>

#include <gtest/gtest.h>

#include "serversan/core/token.h"

using namespace serversan;

TEST(Token, GenerateFormatParseRoundTrip) {
	std::set<std::string> seen;
	for (int i = 0; i < 200; ++i) {
		AgentToken t = generate_token(1000 + i);
		ASSERT_EQ(t.secret.size(), kTokenSecretChars);
		std::string text = format_token(t);
		EXPECT_TRUE(text.starts_with("ssa1_"));
		auto back = parse_token(text);
		ASSERT_TRUE(back.ok()) << back.error().message;
		EXPECT_EQ(*back, t);
		seen.insert(t.secret);
	}
	EXPECT_EQ(seen.size(), 200u);
}

TEST(Token, EveryBase62DigitAppears) {
	// A biased generator (e.g. b % 62 without rejection) would still pass this; it guards
	// against a generator stuck on a subset of the alphabet.
	std::set<char> chars;
	for (int i = 0; i < 100; ++i)
		for (char c : generate_token(1).secret)
			chars.insert(c);
	EXPECT_EQ(chars.size(), 62u);
}

TEST(Token, RejectsOutOfRangeIds) {
	EXPECT_THROW(generate_token(0), std::invalid_argument);
	EXPECT_THROW(generate_token(kMaxServerId + 1), std::invalid_argument);
	EXPECT_NO_THROW(generate_token(kMaxServerId));
}

TEST(Token, EverySingleCharacterChangeIsDetected) {
	std::string text = format_token(generate_token(77));
	for (size_t i = kTokenPrefix.size(); i < text.size(); ++i) {
		std::string bad = text;
		bad[i] = bad[i] == 'a' ? 'b' : 'a';
		EXPECT_FALSE(parse_token(bad).ok()) << "position " << i;
	}
}

TEST(Token, DerivedKeysDifferPerSecretAndId) {
	AgentToken a = generate_token(5);
	AgentToken b = a;
	b.server_id = 6;
	AgentToken c = generate_token(5);
	EXPECT_NE(derive_signing_key(a), derive_signing_key(b));
	EXPECT_NE(derive_signing_key(a), derive_signing_key(c));
	EXPECT_EQ(derive_signing_key(a), derive_signing_key(a));
}
