// Enrollment token parser (core/token.h): any text either fails or yields a token whose canonical
// form parses back to the same token.
#include "fuzz_check.h"
#include "serversan/core/token.h"

using namespace serversan;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
	auto token = parse_token(fuzz::as_text(data, size));
	if (!token.ok())
		return 0;
	FUZZ_CHECK(token->server_id <= kMaxServerId, "server id {}", token->server_id);
	FUZZ_CHECK(token->secret.size() == kTokenSecretChars, "secret of {} chars", token->secret.size());
	fuzz::check_round_trip(*token, format_token, parse_token, "format_token's form");
	return 0;
}
