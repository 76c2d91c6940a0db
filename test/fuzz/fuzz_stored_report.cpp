// The store's snapshot decoder (server/store/stored_report.h) on arbitrary bytes, as a snapshot
// altered on disk would reach it: it fails or yields a report that the store's encoder writes
// back into a snapshot decoding to the same report. The input is spliced into a batch, so it
// also tries to break out of its place there.
#include "fuzz_check.h"
#include "serversan/server/store/stored_report.h"

using namespace serversan;
using namespace serversan::store;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
	auto report = decode_stored_report(fuzz::as_text(data, size));
	if (!report.ok())
		return 0;
	fuzz::check_round_trip(*report, encode_stored_report, decode_stored_report, "the store's snapshot");
	return 0;
}
