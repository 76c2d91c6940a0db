// The crypto primitives ServerSan needs, behind one small interface. Two backends implement it
// and exactly one is linked into each binary: crypto_mbedtls (agent: small, static) and
// crypto_openssl (server: SHA-NI/AVX2 speed on the ingest path). Both must produce identical
// results; the protocol test vectors run against each.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace serversan::crypto {

using Digest = std::array<uint8_t, 32>;

inline std::span<const uint8_t> bytes(std::string_view s) {
	return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// The name of the linked backend ("openssl 3.0.x", "mbedtls 2.28.x"), for logs and tests.
std::string_view backend_name();

Digest sha256(std::span<const uint8_t> data);
Digest hmac_sha256(std::span<const uint8_t> key, std::span<const uint8_t> message);

// Incremental SHA-256, for bodies that arrive in pieces.
class Sha256 {
public:
	Sha256();
	~Sha256();
	Sha256(const Sha256&) = delete;
	Sha256& operator=(const Sha256&) = delete;
	void update(std::span<const uint8_t> data);
	Digest finish();

private:
	alignas(16) unsigned char state_[256];
};

// Compares in time that depends only on the lengths, never on where the bytes differ.
bool constant_time_equal(std::span<const uint8_t> a, std::span<const uint8_t> b);

// Fills out with bytes from a cryptographically secure generator; throws std::runtime_error if
// the system cannot provide them (a start-up failure, not an expected one).
void random_bytes(std::span<uint8_t> out);

} // namespace serversan::crypto
