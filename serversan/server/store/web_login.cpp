#include "serversan/server/store/web_login.h"

#include <array>

#include "serversan/core/crypto.h"

namespace serversan::store {

std::string base64url(std::string_view bytes) {
	static constexpr std::string_view kAlphabet =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	std::string out;
	out.reserve((bytes.size() * 4 + 2) / 3);
	size_t i = 0;
	auto at = [&](size_t k) { return static_cast<uint32_t>(static_cast<uint8_t>(bytes[k])); };
	for (; i + 3 <= bytes.size(); i += 3) {
		uint32_t v = at(i) << 16 | at(i + 1) << 8 | at(i + 2);
		for (int s = 18; s >= 0; s -= 6)
			out += kAlphabet[(v >> s) & 63];
	}
	if (size_t rest = bytes.size() - i; rest > 0) {
		uint32_t v = at(i) << 16 | (rest == 2 ? at(i + 1) << 8 : 0);
		out += kAlphabet[(v >> 18) & 63];
		out += kAlphabet[(v >> 12) & 63];
		if (rest == 2)
			out += kAlphabet[(v >> 6) & 63];
	}
	return out;
}

std::string new_secret() {
	std::array<uint8_t, 32> raw{};
	crypto::random_bytes(raw);
	return base64url({reinterpret_cast<const char*>(raw.data()), raw.size()});
}

std::string secret_hash(std::string_view secret) {
	crypto::Digest d = crypto::sha256(crypto::bytes(secret));
	return {reinterpret_cast<const char*>(d.data()), d.size()};
}

Result<std::string> issue_login_link(Store& store, int64_t user_id, int64_t now_ms, int64_t ttl_ms) {
	std::string token = new_secret();
	if (auto r = store.create_login_link(secret_hash(token), user_id, now_ms, now_ms + ttl_ms); !r.ok())
		return r.error();
	return token;
}

std::string dashboard_url(std::string_view public_url) {
	while (!public_url.empty() && public_url.back() == '/')
		public_url.remove_suffix(1);
	return std::string(public_url) + "/";
}

std::string login_url(std::string_view public_url, std::string_view token) {
	return dashboard_url(public_url) + "login/" + std::string(token);
}

} // namespace serversan::store
