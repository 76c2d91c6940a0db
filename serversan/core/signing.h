// Request signing, protocol v1 (docs/protocol.md, "Authentication").
//
// The agent signs every request with the key derived from its token; the server rebuilds the
// canonical string from what it received (it never trusts one sent by the client) and compares
// MACs in constant time. The canonical string is these lines joined by '\n':
//
//   SS1-HMAC-SHA256
//   <server id>
//   <method>
//   <path>
//   <query, exactly as sent, without '?'; empty if none>
//   <timestamp, unix seconds>
//   <nonce, 32 lowercase hex digits>
//   <content-type, lowercased>
//   <content-encoding, lowercased; empty if none>
//   <SHA-256 of the body bytes as sent, lowercase hex>
//
// and travels as:  Authorization: SS1-HMAC-SHA256 Server=<id>, Timestamp=<t>, Nonce=<n>,
// Signature=<64 lowercase hex>. Hashing the body as sent (compressed, if gzip) lets the
// server reject a forged request before it decompresses anything.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "serversan/core/crypto.h" // crypto::bytes() builds SignedRequest::body
#include "serversan/core/result.h"
#include "serversan/core/token.h"

namespace serversan {

inline constexpr std::string_view kSigningScheme = "SS1-HMAC-SHA256";
inline constexpr int64_t kDefaultTimestampWindowS = 300;

struct SignedRequest {
	std::string_view method;
	std::string_view path;
	std::string_view query;
	std::string_view content_type;
	std::string_view content_encoding;
	std::span<const uint8_t> body;
};

struct Authorization {
	uint64_t server_id = 0;
	int64_t timestamp = 0;
	std::string nonce; // 32 lowercase hex digits (128 random bits)
	std::array<uint8_t, 32> signature{};

	bool operator==(const Authorization&) const = default;
};

std::string canonical_string(uint64_t server_id, int64_t timestamp, std::string_view nonce,
                             const SignedRequest& request);

// A fresh random nonce (32 lowercase hex digits).
std::string make_nonce();

// Signs request and returns the complete Authorization header value.
std::string sign_request(const SigningKey& key, uint64_t server_id, int64_t timestamp, std::string_view nonce,
                         const SignedRequest& request);

std::string format_authorization(const Authorization& auth);
// The grammar of docs/protocol.md section 4: RFC 9110 credentials (scheme and parameter names
// case-insensitive, one or more spaces after the scheme, optional spaces and tabs around commas
// and '=', empty list elements ignored), then exactly the four parameters, each once, in any
// order, with strict values (decimal without leading zeros, lowercase hex of the exact length).
Result<Authorization> parse_authorization(std::string_view header);

// The stateless verdicts. Replay (nonce) and sequence checks need server state and come after.
enum class Verdict {
	ok,
	malformed_authorization, // 401
	bad_signature,           // 401
	stale_timestamp,         // 401 (outside +-window of server time)
};
std::string_view verdict_name(Verdict v);

// True if the MAC over the canonical string matches, compared in constant time.
bool signature_matches(const SigningKey& key, const Authorization& auth, const SignedRequest& request);

// MAC first, then the timestamp window (so that an unauthenticated caller learns nothing about
// server time from the verdict; the answer is 401 either way).
Verdict verify_request(const SigningKey& key, const Authorization& auth, const SignedRequest& request,
                       int64_t now_s, int64_t window_s = kDefaultTimestampWindowS);

} // namespace serversan
