// mbedTLS backend of core/crypto.h (agent). Uses only APIs common to mbedTLS 2.28 and 3.x.
#include <cerrno>
#include <new>
#include <stdexcept>
#include <sys/random.h>

#include <mbedtls/md.h>
#include <mbedtls/sha256.h>
#include <mbedtls/version.h>

#include "serversan/core/crypto.h"

namespace serversan::crypto {

static_assert(sizeof(mbedtls_sha256_context) <= 256, "Sha256 state buffer too small");

std::string_view backend_name() {
	return "mbedtls " MBEDTLS_VERSION_STRING;
}

Digest sha256(std::span<const uint8_t> data) {
	Sha256 h;
	h.update(data);
	return h.finish();
}

Digest hmac_sha256(std::span<const uint8_t> key, std::span<const uint8_t> message) {
	Digest out{};
	const mbedtls_md_info_t* md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	if (!md || mbedtls_md_hmac(md, key.data(), key.size(), message.data(), message.size(), out.data()) != 0)
		throw std::runtime_error("mbedtls: HMAC-SHA256 failed");
	return out;
}

namespace {
mbedtls_sha256_context* ctx(unsigned char* state) {
	return reinterpret_cast<mbedtls_sha256_context*>(state);
}
} // namespace

Sha256::Sha256() {
	auto* c = new (state_) mbedtls_sha256_context;
	mbedtls_sha256_init(c);
	// mbedtls_sha256_starts_ret is the 2.28 name; 3.x renamed it to mbedtls_sha256_starts.
#if MBEDTLS_VERSION_MAJOR >= 3
	mbedtls_sha256_starts(c, 0);
#else
	mbedtls_sha256_starts_ret(c, 0);
#endif
}

Sha256::~Sha256() {
	mbedtls_sha256_free(ctx(state_));
}

void Sha256::update(std::span<const uint8_t> data) {
#if MBEDTLS_VERSION_MAJOR >= 3
	mbedtls_sha256_update(ctx(state_), data.data(), data.size());
#else
	mbedtls_sha256_update_ret(ctx(state_), data.data(), data.size());
#endif
}

Digest Sha256::finish() {
	Digest out{};
#if MBEDTLS_VERSION_MAJOR >= 3
	mbedtls_sha256_finish(ctx(state_), out.data());
#else
	mbedtls_sha256_finish_ret(ctx(state_), out.data());
#endif
	return out;
}

bool constant_time_equal(std::span<const uint8_t> a, std::span<const uint8_t> b) {
	if (a.size() != b.size())
		return false;
	// volatile keeps the compiler from turning the loop into an early-exit memcmp.
	volatile uint8_t diff = 0;
	for (size_t i = 0; i < a.size(); ++i)
		diff = diff | static_cast<uint8_t>(a[i] ^ b[i]);
	return diff == 0;
}

void random_bytes(std::span<uint8_t> out) {
	// getrandom(2) blocks only until the kernel pool is first initialised, then never.
	size_t done = 0;
	while (done < out.size()) {
		ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			throw std::runtime_error("getrandom failed");
		}
		done += static_cast<size_t>(n);
	}
}

} // namespace serversan::crypto
