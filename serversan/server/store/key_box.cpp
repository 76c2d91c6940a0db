#include "serversan/server/store/key_box.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "serversan/core/encoding.h"

namespace serversan::store {

namespace {

constexpr std::string_view kAadLabel = "serversan signing key v1";
constexpr std::string_view kIdLabel = "serversan store key id";

struct CtxFree {
	void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

std::array<uint8_t, 32> aad_of(uint64_t server_id, size_t& len) {
	std::array<uint8_t, 32> aad{};
	std::memcpy(aad.data(), kAadLabel.data(), kAadLabel.size());
	for (int i = 0; i < 8; ++i)
		aad[kAadLabel.size() + static_cast<size_t>(i)] = static_cast<uint8_t>(server_id >> (56 - 8 * i));
	len = kAadLabel.size() + 8;
	return aad;
}

std::string errno_text(int e) {
	return std::strerror(e);
}

// Writes a new key file without ever replacing one: a temporary file, fsync, link() to the
// final name (fails if another process got there first), fsync of the directory.
Result<void> create_key_file(const std::filesystem::path& path) {
	std::error_code ec;
	std::filesystem::path dir = path.parent_path().empty() ? "." : path.parent_path();
	bool made = std::filesystem::create_directories(dir, ec);
	if (ec)
		return Err(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
	if (made)
		::chmod(dir.c_str(), 0700);
	KeyBox::Key key{};
	if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1)
		return Err("no random bytes for a new store key");
	std::string text;
	for (uint8_t b : key)
		text += fmt::format("{:02x}", b);
	text += "\n";
	OPENSSL_cleanse(key.data(), key.size());
	std::string tmp = path.string() + fmt::format(".tmp.{}", ::getpid());
	int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return Err(fmt::format("cannot create {}: {}", tmp, errno_text(errno)));
	bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
	int e = errno;
	::close(fd);
	OPENSSL_cleanse(text.data(), text.size());
	if (!ok) {
		::unlink(tmp.c_str());
		return Err(fmt::format("cannot write {}: {}", tmp, errno_text(e)));
	}
	int rc = ::link(tmp.c_str(), path.c_str());
	e = errno;
	::unlink(tmp.c_str());
	if (rc != 0 && e != EEXIST)
		return Err(fmt::format("cannot create {}: {}", path.string(), errno_text(e)));
	int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		::fsync(dfd);
		::close(dfd);
	}
	return Ok();
}

} // namespace

Result<KeyBox> KeyBox::load(const std::string& path, bool create) {
	struct stat st {};
	if (::stat(path.c_str(), &st) != 0) {
		if (errno != ENOENT)
			return Err(fmt::format("cannot read the store key file {}: {}", path, errno_text(errno)));
		if (!create)
			return Err(fmt::format("the store key file {} is missing", path));
		if (auto r = create_key_file(path); !r.ok())
			return r.error();
		if (::stat(path.c_str(), &st) != 0)
			return Err(fmt::format("cannot read the store key file {}: {}", path, errno_text(errno)));
	}
	if (!S_ISREG(st.st_mode))
		return Err(fmt::format("the store key file {} is not a regular file", path));
	if (st.st_mode & 077)
		return Err(fmt::format("the store key file {} is readable by others (mode {:o}); run chmod 600 on it",
		                       path, st.st_mode & 0777));
	int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return Err(fmt::format("cannot read the store key file {}: {}", path, errno_text(errno)));
	char buf[128];
	ssize_t n = ::read(fd, buf, sizeof buf);
	::close(fd);
	size_t len = n > 0 ? static_cast<size_t>(n) : 0;
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' '))
		--len;
	Key key{};
	bool ok = len == 64;
	for (size_t i = 0; ok && i < 32; ++i) {
		int hi = hex_digit_value(buf[2 * i]), lo = hex_digit_value(buf[2 * i + 1]);
		ok = hi >= 0 && lo >= 0;
		key[i] = static_cast<uint8_t>(hi << 4 | lo);
	}
	OPENSSL_cleanse(buf, sizeof buf);
	if (!ok)
		return Err(fmt::format("the store key file {} is malformed (expected 64 hex digits)", path));
	KeyBox box(key);
	OPENSSL_cleanse(key.data(), key.size());
	return box;
}

KeyBox::~KeyBox() {
	OPENSSL_cleanse(key_.data(), key_.size());
}

std::string KeyBox::key_id() const {
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
	     reinterpret_cast<const unsigned char*>(kIdLabel.data()), kIdLabel.size(), mac, &len);
	std::string out;
	for (int i = 0; i < 8; ++i)
		out += fmt::format("{:02x}", mac[i]);
	return out;
}

std::string KeyBox::seal(const SigningKey& key, uint64_t server_id) const {
	std::string out(kSealedSize, '\0');
	auto* p = reinterpret_cast<unsigned char*>(out.data());
	p[0] = 1;
	unsigned char* nonce = p + 1;
	unsigned char* ct = p + 13;
	unsigned char* tag = p + 45;
	// Random 96-bit nonces are safe here: a store seals one key per server creation or rotation,
	// many orders of magnitude below the 2^32 seals per key that random GCM nonces allow.
	if (RAND_bytes(nonce, 12) != 1)
		throw std::runtime_error("no random bytes for a GCM nonce");
	size_t aad_len = 0;
	auto aad = aad_of(server_id, aad_len);
	Ctx ctx(EVP_CIPHER_CTX_new());
	int n = 0;
	bool ok = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), nonce) == 1 &&
	          EVP_EncryptUpdate(ctx.get(), nullptr, &n, aad.data(), static_cast<int>(aad_len)) == 1 &&
	          EVP_EncryptUpdate(ctx.get(), ct, &n, key.data(), static_cast<int>(key.size())) == 1 &&
	          n == 32 && EVP_EncryptFinal_ex(ctx.get(), ct + n, &n) == 1 &&
	          EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, 16, tag) == 1;
	if (!ok) // only a broken OpenSSL gets here: a start-up class failure, not bad data
		throw std::runtime_error("AES-256-GCM encryption failed");
	return out;
}

Result<SigningKey> KeyBox::open(std::span<const uint8_t> sealed, uint64_t server_id) const {
	if (sealed.size() != kSealedSize || sealed[0] != 1)
		return Err(fmt::format("sealed key of server {} is malformed ({} bytes)", server_id, sealed.size()));
	size_t aad_len = 0;
	auto aad = aad_of(server_id, aad_len);
	unsigned char tag[16];
	std::memcpy(tag, sealed.data() + 45, 16);
	SigningKey key{};
	Ctx ctx(EVP_CIPHER_CTX_new());
	int n = 0;
	bool ok =
	    ctx &&
	    EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key_.data(), sealed.data() + 1) == 1 &&
	    EVP_DecryptUpdate(ctx.get(), nullptr, &n, aad.data(), static_cast<int>(aad_len)) == 1 &&
	    EVP_DecryptUpdate(ctx.get(), key.data(), &n, sealed.data() + 13, 32) == 1 && n == 32 &&
	    EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, 16, tag) == 1 &&
	    EVP_DecryptFinal_ex(ctx.get(), key.data() + n, &n) == 1;
	if (!ok) {
		OPENSSL_cleanse(key.data(), key.size());
		return Err(fmt::format("sealed key of server {} does not open: altered, or sealed under another "
		                       "store key file",
		                       server_id));
	}
	return key;
}

} // namespace serversan::store
