// OpenSSL 3 backend of core/crypto.h (server).
#include <cstring>
#include <new>
#include <stdexcept>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "serversan/core/crypto.h"

namespace serversan::crypto {

static_assert(sizeof(SHA256_CTX) <= 256, "Sha256 state buffer too small for SHA256_CTX");

std::string_view backend_name() {
	return OPENSSL_VERSION_TEXT;
}

namespace {

// OpenSSL 3 looks an algorithm up by name (locks, a provider walk) on every EVP_Q_* call and on
// every init with a legacy EVP_sha256(): on the ingest path that cost more than hashing the
// report. The algorithms are fetched once; each thread keeps its contexts and re-inits them.
const EVP_MD* fetched_sha256() {
	static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
	if (!md)
		throw std::runtime_error("openssl: SHA-256 unavailable");
	return md;
}

struct ThreadContexts {
	EVP_MD_CTX* md = nullptr;
	EVP_MAC_CTX* mac = nullptr;
	~ThreadContexts() {
		EVP_MD_CTX_free(md);
		EVP_MAC_CTX_free(mac);
	}
	EVP_MD_CTX* digest() {
		if (!md && !(md = EVP_MD_CTX_new()))
			throw std::runtime_error("openssl: out of memory");
		return md;
	}
	EVP_MAC_CTX* hmac() {
		if (mac)
			return mac;
		static EVP_MAC* alg = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
		if (!alg || !(mac = EVP_MAC_CTX_new(alg)))
			throw std::runtime_error("openssl: HMAC unavailable");
		char digest[] = "SHA256";
		OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string("digest", digest, 0),
		                       OSSL_PARAM_construct_end()};
		if (!EVP_MAC_CTX_set_params(mac, params))
			throw std::runtime_error("openssl: HMAC-SHA256 unavailable");
		return mac;
	}
};

thread_local ThreadContexts t_contexts;

} // namespace

Digest sha256(std::span<const uint8_t> data) {
	Digest out{};
	unsigned int len = 0;
	EVP_MD_CTX* ctx = t_contexts.digest();
	if (!EVP_DigestInit_ex2(ctx, fetched_sha256(), nullptr) ||
	    !EVP_DigestUpdate(ctx, data.data(), data.size()) || !EVP_DigestFinal_ex(ctx, out.data(), &len))
		throw std::runtime_error("openssl: SHA-256 failed");
	return out;
}

Digest hmac_sha256(std::span<const uint8_t> key, std::span<const uint8_t> message) {
	Digest out{};
	size_t len = 0;
	EVP_MAC_CTX* ctx = t_contexts.hmac();
	if (!EVP_MAC_init(ctx, key.data(), key.size(), nullptr) ||
	    !EVP_MAC_update(ctx, message.data(), message.size()) ||
	    !EVP_MAC_final(ctx, out.data(), &len, out.size()))
		throw std::runtime_error("openssl: HMAC-SHA256 failed");
	return out;
}

Sha256::Sha256() {
	auto* ctx = new (state_) EVP_MD_CTX*(EVP_MD_CTX_new());
	if (!*ctx || !EVP_DigestInit_ex2(*ctx, fetched_sha256(), nullptr))
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
