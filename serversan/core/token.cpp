#include "serversan/core/token.h"

#include <stdexcept>

#include <fmt/format.h>

#include "serversan/core/crypto.h"
#include "serversan/core/encoding.h"

namespace serversan {

AgentToken generate_token(uint64_t server_id) {
	if (server_id == 0 || server_id > kMaxServerId)
		throw std::invalid_argument("server id out of range");
	AgentToken t{server_id, {}};
	t.secret.reserve(kTokenSecretChars);
	// Rejection sampling keeps every base62 digit uniform: 248 = 4 * 62.
	uint8_t buf[64];
	while (t.secret.size() < kTokenSecretChars) {
		crypto::random_bytes(buf);
		for (uint8_t b : buf) {
			if (b < 248 && t.secret.size() < kTokenSecretChars)
				t.secret.push_back(kBase62Alphabet[b % 62]);
		}
	}
	return t;
}

std::string format_token(const AgentToken& token) {
	std::string body = fmt::format("{}{}_{}", kTokenPrefix, token.server_id, token.secret);
	return body + base62_fixed(crc32(body), kTokenChecksumChars);
}

Result<AgentToken> parse_token(std::string_view text) {
	while (!text.empty() &&
	       (text.front() == ' ' || text.front() == '\t' || text.front() == '\n' || text.front() == '\r'))
		text.remove_prefix(1);
	while (!text.empty() &&
	       (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r'))
		text.remove_suffix(1);
	if (!text.starts_with(kTokenPrefix))
		return Err(fmt::format("not a ServerSan agent token (it must start with \"{}\")", kTokenPrefix));
	std::string_view rest = text.substr(kTokenPrefix.size());
	size_t sep = rest.find('_');
	if (sep == std::string_view::npos)
		return Err("malformed token: no server id");
	auto id = parse_u64(rest.substr(0, sep));
	if (!id || *id == 0 || *id > kMaxServerId)
		return Err("malformed token: bad server id");
	std::string_view tail = rest.substr(sep + 1);
	if (tail.size() != kTokenSecretChars + kTokenChecksumChars || !is_base62(tail))
		return Err("malformed token: the secret part has the wrong length or characters (truncated copy?)");
	std::string_view body = text.substr(0, text.size() - kTokenChecksumChars);
	if (base62_fixed(crc32(body), kTokenChecksumChars) != tail.substr(kTokenSecretChars))
		return Err("malformed token: checksum mismatch (a character was changed in copying)");
	return AgentToken{*id, std::string(tail.substr(0, kTokenSecretChars))};
}

SigningKey derive_signing_key(const AgentToken& token) {
	std::string label = fmt::format("SS1 signing key\n{}", token.server_id);
	return crypto::hmac_sha256(crypto::bytes(token.secret), crypto::bytes(label));
}

} // namespace serversan
