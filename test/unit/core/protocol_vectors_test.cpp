// Runs the protocol v1 vectors (test/fixtures/protocol/vectors.json, computed independently in
// Python from docs/protocol.md) and the standard crypto vectors. This file is built twice, once
// per crypto backend: the agent (mbedTLS) and the server (OpenSSL) must agree on every byte.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "serversan/core/crypto.h"
#include "serversan/core/encoding.h"
#include "serversan/core/signing.h"
#include "serversan/core/token.h"

using namespace serversan;
using nlohmann::json;

namespace {

const json& vectors() {
	static const json v = [] {
		std::ifstream in(std::string(SERVERSAN_FIXTURES) + "/protocol/vectors.json");
		std::stringstream ss;
		ss << in.rdbuf();
		return json::parse(ss.str());
	}();
	return v;
}

std::vector<uint8_t> unhex(const std::string& s) {
	return hex_decode(s).value();
}

SigningKey key_from_hex(const std::string& s) {
	SigningKey k{};
	auto raw = unhex(s);
	std::copy(raw.begin(), raw.end(), k.begin());
	return k;
}

} // namespace

TEST(Crypto, BackendIsNamed) {
	EXPECT_FALSE(crypto::backend_name().empty());
	std::cout << "backend: " << crypto::backend_name() << "\n";
}

TEST(Crypto, Sha256StandardVectors) {
	EXPECT_EQ(hex_encode(crypto::sha256(crypto::bytes(""))),
	          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	EXPECT_EQ(hex_encode(crypto::sha256(crypto::bytes("abc"))),
	          "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	// FIPS 180-2 two-block message.
	EXPECT_EQ(
	    hex_encode(crypto::sha256(crypto::bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
	    "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Crypto, Sha256IncrementalEqualsOneShot) {
	std::string data(100000, 'x');
	for (size_t i = 0; i < data.size(); ++i)
		data[i] = static_cast<char>(i * 31);
	crypto::Sha256 h;
	for (size_t off = 0; off < data.size(); off += 777)
		h.update(crypto::bytes(std::string_view(data).substr(off, 777)));
	EXPECT_EQ(h.finish(), crypto::sha256(crypto::bytes(data)));
}

TEST(Crypto, HmacRfc4231) {
	// Test case 1.
	std::vector<uint8_t> key1(20, 0x0b);
	EXPECT_EQ(hex_encode(crypto::hmac_sha256(key1, crypto::bytes("Hi There"))),
	          "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	// Test case 2.
	EXPECT_EQ(
	    hex_encode(crypto::hmac_sha256(crypto::bytes("Jefe"), crypto::bytes("what do ya want for nothing?"))),
	    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	// Test case 6: key longer than the block size.
	std::vector<uint8_t> key6(131, 0xaa);
	EXPECT_EQ(hex_encode(crypto::hmac_sha256(
	              key6, crypto::bytes("Test Using Larger Than Block-Size Key - Hash Key First"))),
	          "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Crypto, ConstantTimeEqual) {
	std::vector<uint8_t> a{1, 2, 3}, b{1, 2, 3}, c{1, 2, 4}, d{1, 2};
	EXPECT_TRUE(crypto::constant_time_equal(a, b));
	EXPECT_FALSE(crypto::constant_time_equal(a, c));
	EXPECT_FALSE(crypto::constant_time_equal(a, d));
	EXPECT_TRUE(crypto::constant_time_equal({}, {}));
}

TEST(Crypto, RandomBytesDiffer) {
	std::array<uint8_t, 32> a{}, b{};
	crypto::random_bytes(a);
	crypto::random_bytes(b);
	EXPECT_NE(a, b);
	EXPECT_NE(a, (std::array<uint8_t, 32>{}));
}

TEST(ProtocolVectors, TokenAndSigningKey) {
	for (const auto& v : vectors()["signing"]) {
		SCOPED_TRACE(v["name"].get<std::string>());
		auto tok = parse_token(v["token"].get<std::string>());
		ASSERT_TRUE(tok.ok()) << tok.error().message;
		EXPECT_EQ(tok->server_id, v["server_id"].get<uint64_t>());
		EXPECT_EQ(tok->secret, v["secret"].get<std::string>());
		EXPECT_EQ(format_token(*tok), v["token"].get<std::string>());
		EXPECT_EQ(hex_encode(derive_signing_key(*tok)), v["signing_key_hex"].get<std::string>());
	}
}

TEST(ProtocolVectors, CanonicalStringAndSignature) {
	for (const auto& v : vectors()["signing"]) {
		SCOPED_TRACE(v["name"].get<std::string>());
		auto body = unhex(v["body_hex"]);
		SignedRequest req{v["method"].get<std::string_view>(),
		                  v["path"].get<std::string_view>(),
		                  v["query"].get<std::string_view>(),
		                  v["content_type"].get<std::string_view>(),
		                  v["content_encoding"].get<std::string_view>(),
		                  body};
		uint64_t id = v["server_id"];
		int64_t ts = v["timestamp"];
		std::string nonce = v["nonce"];
		EXPECT_EQ(hex_encode(crypto::sha256(body)), v["body_sha256_hex"].get<std::string>());
		EXPECT_EQ(canonical_string(id, ts, nonce, req), v["canonical"].get<std::string>());
		SigningKey key = key_from_hex(v["signing_key_hex"]);
		std::string header = sign_request(key, id, ts, nonce, req);
		EXPECT_EQ(header, v["authorization"].get<std::string>());
		auto auth = parse_authorization(header);
		ASSERT_TRUE(auth.ok()) << auth.error().message;
		EXPECT_EQ(hex_encode(auth->signature), v["signature_hex"].get<std::string>());
		EXPECT_EQ(format_authorization(*auth), header);
	}
}

TEST(ProtocolVectors, Verdicts) {
	const auto& signing = vectors()["signing"];
	for (const auto& c : vectors()["verification"]) {
		SCOPED_TRACE(c["name"].get<std::string>());
		const auto& v = signing[c["vector"].get<size_t>()];
		auto pick = [&](const char* k) { return (c.contains(k) ? c : v)[k].get<std::string>(); };
		std::string method = pick("method"), path = pick("path"), query = pick("query");
		std::string ctype = pick("content_type"), cenc = pick("content_encoding");
		auto body = unhex(pick("body_hex"));
		SignedRequest req{method, path, query, ctype, cenc, body};
		SigningKey key = key_from_hex(pick("signing_key_hex"));
		std::string expected = c["verdict"];

		auto auth = parse_authorization(pick("authorization"));
		std::string got;
		if (!auth.ok())
			got = "malformed_authorization";
		else
			got = verdict_name(verify_request(key, *auth, req, c["now"].get<int64_t>()));
		EXPECT_EQ(got, expected);
	}
}

TEST(ProtocolVectors, Tokens) {
	for (const auto& t : vectors()["tokens"]) {
		SCOPED_TRACE(t["name"].get<std::string>());
		auto tok = parse_token(t["text"].get<std::string>());
		ASSERT_EQ(tok.ok(), t["valid"].get<bool>()) << (tok.ok() ? "" : tok.error().message);
		if (tok.ok()) {
			EXPECT_EQ(tok->server_id, t["server_id"].get<uint64_t>());
			EXPECT_EQ(tok->secret, t["secret"].get<std::string>());
		} else {
			EXPECT_NE(tok.error().message.find(t["error"].get<std::string>()), std::string::npos)
			    << tok.error().message;
			// An error message never repeats the secret.
			EXPECT_EQ(tok.error().message.find("Zx9Qm3Lk7Pw2"), std::string::npos);
		}
	}
}

TEST(ProtocolVectors, Base62DigitValues) {
	const auto& b = vectors()["base62"];
	EXPECT_EQ(b["alphabet"].get<std::string>(), kBase62Alphabet);
	for (const auto& [digit, value] : b["digit_values"].items())
		EXPECT_EQ(kBase62Alphabet.find(digit), value.get<size_t>()) << digit;
	for (const auto& n : b["numbers"])
		EXPECT_EQ(base62_fixed(n["value"].get<uint64_t>(), n["width"].get<size_t>()),
		          n["digits"].get<std::string>())
		    << n["value"];
	const auto& c = b["checksum"];
	EXPECT_EQ(crc32(c["text"].get<std::string>()), c["crc32"].get<uint32_t>());
	EXPECT_EQ(base62_fixed(crc32(c["text"].get<std::string>()), 6), c["digits"].get<std::string>());
}
