#include <gtest/gtest.h>

#include "serversan/core/result.h"

using namespace serversan;

namespace {
Result<int> half(int x) {
	if (x % 2)
		return Err("odd");
	return x / 2;
}
} // namespace

TEST(Result, ValueAndError) {
	auto a = half(4);
	ASSERT_TRUE(a.ok());
	EXPECT_EQ(*a, 2);
	auto b = half(3);
	ASSERT_FALSE(b);
	EXPECT_EQ(b.error().message, "odd");
}

TEST(Result, VoidAndMoveOnly) {
	Result<void> ok = Ok();
	EXPECT_TRUE(ok.ok());
	Result<void> bad = Err("nope");
	EXPECT_EQ(bad.error().message, "nope");
	Result<std::unique_ptr<int>> p = std::make_unique<int>(7);
	std::unique_ptr<int> taken = std::move(p).value();
	EXPECT_EQ(*taken, 7);
}
