#include <gtest/gtest.h>
#include <zlib.h>

#include "serversan/server/ingest/gunzip.h"

using serversan::ingest::gunzip;

namespace {
std::string gzip(const std::string& in) {
	z_stream zs{};
	deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
	std::string out(deflateBound(&zs, in.size()) + 64, '\0');
	zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
	zs.avail_in = static_cast<uInt>(in.size());
	zs.next_out = reinterpret_cast<Bytef*>(out.data());
	zs.avail_out = static_cast<uInt>(out.size());
	deflate(&zs, Z_FINISH);
	out.resize(zs.total_out);
	deflateEnd(&zs);
	return out;
}
} // namespace

TEST(Gunzip, RoundTrip) {
	std::string text(100000, 'x');
	for (size_t i = 0; i < text.size(); ++i)
		text[i] = static_cast<char>('a' + i % 26);
	auto r = gunzip(gzip(text), 1 << 20);
	ASSERT_TRUE(r.ok()) << r.error().message;
	EXPECT_EQ(*r, text);
}

TEST(Gunzip, BombStopsAtTheCap) {
	std::string zeros(64 << 20, '\0'); // 64 MiB of zeros compress to about 64 KiB
	std::string bomb = gzip(zeros);
	EXPECT_LT(bomb.size(), 100u << 10);
	auto r = gunzip(bomb, 8 << 20);
	ASSERT_FALSE(r.ok());
	EXPECT_NE(r.error().message.find("too large"), std::string::npos);
}

TEST(Gunzip, GarbageTruncatedAndTrailing) {
	EXPECT_FALSE(gunzip("not gzip at all", 1024).ok());
	std::string z = gzip("hello world");
	EXPECT_FALSE(gunzip(z.substr(0, z.size() - 5), 1024).ok());
	EXPECT_FALSE(gunzip(z + "junk", 1024).ok());
	EXPECT_FALSE(gunzip("", 1024).ok());
}
