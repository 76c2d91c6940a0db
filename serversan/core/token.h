// Enrollment token: the one copy-pasteable string that binds an agent to one server record.
//
//   ssa1_<server id>_<secret: 43 base62 chars><checksum: 6 base62 chars>
//
// The "ssa1_" prefix lets secret scanners find leaked tokens; the checksum (CRC-32 of everything
// before it) catches copy-paste damage before any network round trip. The secret carries
// 43 * log2(62) = 256 bits. Only the agent keeps the token; the server stores the signing key
// derived from it (derive_signing_key), so a server database never holds the raw secret.
// Rotating (the bot's /reinstall) makes a new secret and replaces the stored key at once.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "serversan/core/result.h"

namespace serversan {

inline constexpr std::string_view kTokenPrefix = "ssa1_";
inline constexpr size_t kTokenSecretChars = 43;
inline constexpr size_t kTokenChecksumChars = 6;
// Server ids fit in a JSON number without loss (2^53 - 1).
inline constexpr uint64_t kMaxServerId = (uint64_t{1} << 53) - 1;

using SigningKey = std::array<uint8_t, 32>;

struct AgentToken {
	uint64_t server_id = 0;
	std::string secret; // kTokenSecretChars base62 characters

	bool operator==(const AgentToken&) const = default;
};

// A fresh token for server_id with a random secret. Throws if server_id is out of range.
AgentToken generate_token(uint64_t server_id);

std::string format_token(const AgentToken& token);

// Parses and checks a token; surrounding whitespace (a pasted newline) is ignored. The error
// never repeats the token's secret.
Result<AgentToken> parse_token(std::string_view text);

// HMAC-SHA256(key = secret, message = "SS1 signing key\n" + decimal server id).
SigningKey derive_signing_key(const AgentToken& token);

} // namespace serversan
