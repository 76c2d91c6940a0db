// gzip inflate with its limit (server/ingest/gunzip.h). The first input byte picks the limit; the
// rest is the body. gunzip must succeed exactly when the body is one complete gzip member, with
// nothing after it, that inflates to at most the limit, and must then return those bytes: a plain
// zlib loop with an unbounded buffer (capped just past the limit) is the reference.
#include <array>
#include <string>

#include <zlib.h>

#include "fuzz_check.h"
#include "serversan/core/report.h"
#include "serversan/server/ingest/gunzip.h"

using namespace serversan;

namespace {

constexpr std::array<size_t, 5> kLimits = {1, 100, 4096, 65536, kMaxDecodedBodyBytes};

// The inflated member, or nothing if the body is not exactly one complete member. Stops once the
// output passes `cap`: past it only "too large" matters.
struct Reference {
	bool complete = false;
	std::string out;
};

Reference inflate_reference(std::string_view in, size_t cap) {
	Reference ref;
	z_stream zs{};
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return ref;
	zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
	zs.avail_in = static_cast<uInt>(in.size());
	std::array<char, 16384> chunk;
	int rc = Z_OK;
	while (rc == Z_OK && ref.out.size() <= cap) {
		zs.next_out = reinterpret_cast<Bytef*>(chunk.data());
		zs.avail_out = static_cast<uInt>(chunk.size());
		rc = inflate(&zs, Z_NO_FLUSH);
		ref.out.append(chunk.data(), chunk.size() - zs.avail_out);
		if (rc == Z_OK && zs.avail_in == 0 && zs.avail_out != 0)
			break; // truncated
	}
	ref.complete = rc == Z_STREAM_END && zs.avail_in == 0;
	inflateEnd(&zs);
	return ref;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
	if (size == 0)
		return 0;
	size_t limit = kLimits[data[0] % kLimits.size()];
	std::string_view body = fuzz::as_text(data + 1, size - 1);
	auto got = ingest::gunzip(body, limit);
	Reference ref = inflate_reference(body, limit);
	bool fits = ref.complete && ref.out.size() <= limit;
	FUZZ_CHECK(got.ok() == fits, "limit {}: gunzip says {}, the reference {} bytes, complete {}", limit,
	           got.ok() ? "ok" : got.error().message, ref.out.size(), ref.complete);
	if (got.ok())
		FUZZ_CHECK(*got == ref.out, "limit {}: {} bytes, the reference {}", limit, got->size(),
		           ref.out.size());
	return 0;
}
