// Authorization header parser (core/signing.h): any header either fails or yields values that
// format_authorization writes back into a header parsing to the same values.
#include "fuzz_check.h"
#include "serversan/core/signing.h"

using namespace serversan;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
	auto auth = parse_authorization(fuzz::as_text(data, size));
	if (!auth.ok())
		return 0;
	FUZZ_CHECK(auth->nonce.size() == 32 &&
	               auth->nonce.find_first_not_of("0123456789abcdef") == std::string::npos,
	           "nonce '{}'", auth->nonce);
	fuzz::check_round_trip(*auth, format_authorization, parse_authorization, "format_authorization's form");
	return 0;
}
