// Report decoder (core/report_decode.h) on arbitrary bytes:
//   - both overloads give the same answer, whatever the padding after the input holds;
//   - a batch it accepts, written again by the agent's encoder (core/report_encode.h), decodes to
//     the same batch: the encoder and the decoder agree on every value the decoder lets in.
#include <cstring>
#include <vector>

#include "fuzz_check.h"
#include "serversan/core/report_decode.h"
#include "serversan/core/report_encode.h"

using namespace serversan;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
	std::string_view json = fuzz::as_text(data, size);
	auto batch = decode_batch(json);

	// In place, with padding that could close the JSON if the parser looked at it.
	std::vector<char> padded(size + kDecodePadding, '}');
	std::memcpy(padded.data(), data, size);
	auto in_place = decode_batch(padded.data(), size, padded.size());
	FUZZ_CHECK(batch.ok() == in_place.ok(), "copying decode {}, in-place decode {}",
	           batch.ok() ? "ok" : batch.error().message, in_place.ok() ? "ok" : in_place.error().message);
	if (!batch.ok()) {
		FUZZ_CHECK(batch.error().message == in_place.error().message, "errors differ");
		return 0;
	}
	FUZZ_CHECK(*batch == *in_place, "the two overloads decode different batches");

	fuzz::check_round_trip(
	    *batch, [](const ReportBatch& b) { return encode_batch(b); },
	    [](std::string_view text) { return decode_batch(text); }, "the encoder's form");
	return 0;
}
