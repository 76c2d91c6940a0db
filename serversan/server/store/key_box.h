// KeyBox: the servers' signing keys at rest. Each key is sealed with AES-256-GCM under a 256-bit
// store key kept in a file outside the database (data_dir/keys/store.key, mode 0600, created at
// first start), so a copy of the database or of a backup yields no usable key
// (research/reliability.md 1.5 and bar item 17). The server id is authenticated data: a sealed
// key copied onto another server's row does not open.
//
// Sealed form: version byte 1, 12-byte random nonce, 32-byte ciphertext, 16-byte tag (61 bytes).
// The key file holds the store key as 64 hex digits and a newline. Engine-neutral (OpenSSL 3 EVP).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "serversan/core/result.h"
#include "serversan/core/token.h"

namespace serversan::store {

class KeyBox {
public:
	static constexpr size_t kSealedSize = 1 + 12 + 32 + 16;
	using Key = std::array<uint8_t, 32>;

	// Reads the key file, refusing one that group or others may read, or that is malformed.
	// If it does not exist and create is true, makes a new random key there atomically (parent
	// directory 0700, file 0600); an existing file is never replaced.
	static Result<KeyBox> load(const std::string& path, bool create);
	explicit KeyBox(const Key& key) : key_(key) {}
	KeyBox(const KeyBox&) = default;
	KeyBox& operator=(const KeyBox&) = default;
	~KeyBox();

	// A fingerprint of the store key (16 hex digits), kept in the database so that opening it
	// with the wrong key file fails at once with a clear message instead of at the first report.
	std::string key_id() const;

	std::string seal(const SigningKey& key, uint64_t server_id) const;
	// Fails if the box was altered, belongs to another server or was sealed under another key.
	Result<SigningKey> open(std::span<const uint8_t> sealed, uint64_t server_id) const;

private:
	Key key_{};
};

} // namespace serversan::store
