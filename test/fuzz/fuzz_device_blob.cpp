// The store's device blob decoder (server/store/device_blob.h) on arbitrary bytes, as a blob
// altered on disk would reach it: it fails or yields devices that
//   - refresh_report (what latest() does with the newest sample) takes without undefined
//     behaviour, and
//   - the encoder writes them into a blob that decodes, and writing that again gives the same
//     bytes. Not "the same devices": the decoder reads any varint, the encoder leaves out what a
//     report cannot hold (a count of 2^64), so the first pass may drop a value; after it the blob
//     must be stable (the parse-serialise-parse check of nlohmann/json's fuzzer).
#include <span>

#include "fuzz_check.h"
#include "serversan/server/store/device_blob.h"
#include "serversan/server/store/stored_report.h"

using namespace serversan;
using namespace serversan::store;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
	auto devices = decode_devices(std::span<const uint8_t>(data, size));
	if (!devices.ok())
		return 0;
	Report r;
	r.time_ms = 1'764'000'000'000;
	refresh_report(r, r.time_ms + 10'000, 2, MainValues{}, *devices);

	std::string first, second;
	encode_devices(*devices, first);
	auto again = decode_devices(fuzz::as_bytes(first));
	FUZZ_CHECK(again.ok(), "the store refuses its own blob: {}", again.ok() ? "" : again.error().message);
	encode_devices(*again, second);
	FUZZ_CHECK(first == second, "the blob is not stable: {} bytes, then {}", first.size(), second.size());
	return 0;
}
