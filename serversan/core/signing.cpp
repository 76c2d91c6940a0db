#include "serversan/core/signing.h"

#include <algorithm>

#include <climits>
#include <fmt/format.h>

#include "serversan/core/crypto.h"
#include "serversan/core/encoding.h"

namespace serversan {

namespace {
std::string lower(std::string_view s) {
	std::string out(s);
	std::transform(out.begin(), out.end(), out.begin(),
	               [](unsigned char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c); });
	return out;
}

} // namespace

std::string canonical_string(uint64_t server_id, int64_t timestamp, std::string_view nonce,
                             const SignedRequest& request) {
	crypto::Digest body_hash = crypto::sha256(request.body);
	return fmt::format("{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}\n{}", kSigningScheme, server_id, request.method,
	                   request.path, request.query, timestamp, nonce,
	                   lower(trim_blanks(request.content_type)), lower(trim_blanks(request.content_encoding)),
	                   hex_encode(body_hash));
}

std::string make_nonce() {
	std::array<uint8_t, 16> raw{};
	crypto::random_bytes(raw);
	return hex_encode(raw);
}

std::string format_authorization(const Authorization& auth) {
	return fmt::format("{} Server={}, Timestamp={}, Nonce={}, Signature={}", kSigningScheme, auth.server_id,
	                   auth.timestamp, auth.nonce, hex_encode(auth.signature));
}

std::string sign_request(const SigningKey& key, uint64_t server_id, int64_t timestamp, std::string_view nonce,
                         const SignedRequest& request) {
	Authorization auth{server_id, timestamp, std::string(nonce), {}};
	auth.signature =
	    crypto::hmac_sha256(key, crypto::bytes(canonical_string(server_id, timestamp, nonce, request)));
	return format_authorization(auth);
}

// The grammar of docs/protocol.md section 4 (RFC 9110 credentials, strict values).
Result<Authorization> parse_authorization(std::string_view header) {
	header = trim_blanks(header);
	if (header.size() > 512)
		return Err("authorization header too long");
	size_t sp = header.find(' ');
	if (sp == std::string_view::npos || lower(header.substr(0, sp)) != lower(kSigningScheme))
		return Err(fmt::format("authorization scheme must be {}", kSigningScheme));
	std::string_view rest = header.substr(sp);
	Authorization auth;
	bool have_server = false, have_ts = false, have_nonce = false, have_sig = false;
	auto once = [](bool& seen) {
		bool first = !seen;
		seen = true;
		return first;
	};
	while (!rest.empty()) {
		size_t comma = rest.find(',');
		std::string_view part = trim_blanks(rest.substr(0, comma));
		rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
		if (part.empty())
			continue; // an empty list element, as RFC 9110's #rule allows
		size_t eq = part.find('=');
		if (eq == std::string_view::npos)
			return Err("authorization parameter without '='");
		std::string name = lower(trim_blanks(part.substr(0, eq)));
		std::string_view value = trim_blanks(part.substr(eq + 1));
		if (name == "server") {
			auto id = parse_u64(value);
			if (!once(have_server) || !id || *id == 0 || *id > kMaxServerId)
				return Err("authorization: bad or repeated Server");
			auth.server_id = *id;
		} else if (name == "timestamp") {
			auto ts = parse_u64(value);
			if (!once(have_ts) || !ts || *ts > static_cast<uint64_t>(INT64_MAX))
				return Err("authorization: bad or repeated Timestamp");
			auth.timestamp = static_cast<int64_t>(*ts);
		} else if (name == "nonce") {
			if (!once(have_nonce) || value.size() != 32 || !is_lower_hex(value))
				return Err("authorization: bad or repeated Nonce (32 lowercase hex digits)");
			auth.nonce = std::string(value);
		} else if (name == "signature") {
			if (!once(have_sig) || value.size() != 64 || !is_lower_hex(value))
				return Err("authorization: bad or repeated Signature (64 lowercase hex digits)");
			auto raw = hex_decode(value);
			std::copy(raw->begin(), raw->end(), auth.signature.begin());
		} else {
			return Err("authorization: unknown parameter");
		}
	}
	if (!have_server || !have_ts || !have_nonce || !have_sig)
		return Err("authorization: Server, Timestamp, Nonce and Signature are all required");
	return auth;
}

std::string_view verdict_name(Verdict v) {
	switch (v) {
	case Verdict::ok:
		return "ok";
	case Verdict::malformed_authorization:
		return "malformed_authorization";
	case Verdict::bad_signature:
		return "bad_signature";
	case Verdict::stale_timestamp:
		return "stale_timestamp";
	}
	return "?";
}

bool signature_matches(const SigningKey& key, const Authorization& auth, const SignedRequest& request) {
	crypto::Digest expected = crypto::hmac_sha256(
	    key, crypto::bytes(canonical_string(auth.server_id, auth.timestamp, auth.nonce, request)));
	return crypto::constant_time_equal(expected, auth.signature);
}

Verdict verify_request(const SigningKey& key, const Authorization& auth, const SignedRequest& request,
                       int64_t now_s, int64_t window_s) {
	if (!signature_matches(key, auth, request))
		return Verdict::bad_signature;
	if (auth.timestamp < now_s - window_s || auth.timestamp > now_s + window_s)
		return Verdict::stale_timestamp;
	return Verdict::ok;
}

} // namespace serversan
