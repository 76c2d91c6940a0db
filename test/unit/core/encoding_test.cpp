#include <gtest/gtest.h>

#include "serversan/core/encoding.h"

using namespace serversan;

TEST(Encoding, HexRoundTrip) {
	std::vector<uint8_t> data{0x00, 0x7f, 0x80, 0xff, 0x12};
	EXPECT_EQ(hex_encode(data), "007f80ff12");
	EXPECT_EQ(hex_decode("007F80ff12").value(), data);
	EXPECT_FALSE(hex_decode("abc"));
	EXPECT_FALSE(hex_decode("zz"));
	EXPECT_TRUE(is_lower_hex("0123456789abcdef"));
	EXPECT_FALSE(is_lower_hex("ABC"));
}

TEST(Encoding, Crc32KnownValues) {
	EXPECT_EQ(crc32(std::string_view("")), 0u);
	EXPECT_EQ(crc32(std::string_view("123456789")), 0xCBF43926u); // the standard check value
	// Incremental equals one shot.
	EXPECT_EQ(crc32(std::string_view("6789"), crc32(std::string_view("12345"))), 0xCBF43926u);
}

TEST(Encoding, Base62Fixed) {
	EXPECT_EQ(base62_fixed(0, 3), "000");
	EXPECT_EQ(base62_fixed(61, 2), "0z");
	EXPECT_EQ(base62_fixed(62, 2), "10");
	EXPECT_EQ(base62_fixed(0xFFFFFFFFu, 6), "4gfFC3");
	EXPECT_TRUE(is_base62("azAZ09"));
	EXPECT_FALSE(is_base62("a-b"));
}

TEST(Encoding, StrictIntegers) {
	EXPECT_EQ(parse_u64("0").value(), 0u);
	EXPECT_EQ(parse_u64("18446744073709551615").value(), UINT64_MAX);
	EXPECT_FALSE(parse_u64("18446744073709551616"));
	EXPECT_FALSE(parse_u64("012"));
	EXPECT_FALSE(parse_u64("+1"));
	EXPECT_FALSE(parse_u64("-1"));
	EXPECT_FALSE(parse_u64("1 "));
	EXPECT_FALSE(parse_u64(""));
	EXPECT_EQ(parse_i64("-5").value(), -5);
	EXPECT_FALSE(parse_i64("-0"));
	EXPECT_FALSE(parse_i64("-"));
}
