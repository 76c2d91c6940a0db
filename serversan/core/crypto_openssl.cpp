// OpenSSL 3 backend of core/crypto.h (server).
#include <cstring>
#include <new>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/opensslv.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "serversan/core/crypto.h"

namespace serversan::crypto {

static_assert(sizeof(SHA256_CTX) <= 256, "Sha256 state buffer too small for SHA256_CTX");

std::string_view backend_name() {
	return OPENSSL_VERSION_TEXT;
}

// The low-level SHA256()/HMAC() one-shots are deprecated in OpenSSL 3 but avoid a context
// allocation per call; EVP_Q_digest and EVP_Q_mac are the supported one-shot forms.
Digest sha256(std::span<const uint8_t> data) {
	Digest out{};
	size_t len = 0;
	if (!EVP_Q_digest(nullptr, "SHA256", nullptr, data.data(), data.size(), out.data(), &len))
		throw std::runtime_error("openssl: SHA-256 failed");
	return out;
}

Digest hmac_sha256(std::span<const uint8_t> key, std::span<const uint8_t> message) {
	Digest out{};
	unsigned int len = 0;
	// HMAC() is the fastest path in OpenSSL 3.0 (EVP_Q_mac fetches the algorithm each call).
	if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), message.data(), message.size(),
	          out.data(), &len))
		throw std::runtime_error("openssl: HMAC-SHA256 failed");
	return out;
}

Sha256::Sha256() {
	auto* ctx = new (state_) EVP_MD_CTX*(EVP_MD_CTX_new());
	if (!*ctx || !EVP_DigestInit_ex(*ctx, EVP_sha256(), nullptr))
		throw std::runtime_error("openssl: SHA-256 init failed");
}

Sha256::~Sha256() {
	EVP_MD_CTX_free(*reinterpret_cast<EVP_MD_CTX**>(state_));
}

void Sha256::update(std::span<const uint8_t> data) {
	EVP_DigestUpdate(*reinterpret_cast<EVP_MD_CTX**>(state_), data.data(), data.size());
}

Digest Sha256::finish() {
	Digest out{};
	unsigned int len = 0;
	EVP_DigestFinal_ex(*reinterpret_cast<EVP_MD_CTX**>(state_), out.data(), &len);
	return out;
}

bool constant_time_equal(std::span<const uint8_t> a, std::span<const uint8_t> b) {
	if (a.size() != b.size())
		return false;
	return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

void random_bytes(std::span<uint8_t> out) {
	if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1)
		throw std::runtime_error("openssl: RAND_bytes failed");
}

} // namespace serversan::crypto
