// The fixture of the listener's tests: a test certificate; a store with one server, an IngestServer
// (listener, service, writer) on port 0 with short time-outs, and signed report requests for it.
#pragma once

#include <memory>
#include <string>
#include <sys/stat.h>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "serversan/core/clock.h"
#include "serversan/server/ingest/ingest_server.h"
#include "serversan/server/store/store.h"
#include "test/unit/server/http_client.h"
#include "test/unit/server/test_support.h"

namespace serversan::testing {

// A self-signed P-256 certificate for 127.0.0.1, written as PEM files; nothing is committed.
inline void make_certificate(const std::string& cert_path, const std::string& key_path) {
	EVP_PKEY* key = EVP_EC_gen("P-256");
	ASSERT_NE(key, nullptr);
	X509* x = X509_new();
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 3600);
	X509_set_pubkey(x, key);
	X509_NAME* name = X509_get_subject_name(x);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"),
	                           -1, -1, 0);
	X509_set_issuer_name(x, name);
	X509V3_CTX ctx;
	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, x, x, nullptr, nullptr, 0);
	X509_EXTENSION* san = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "IP:127.0.0.1");
	ASSERT_NE(san, nullptr);
	X509_add_ext(x, san, -1);
	X509_EXTENSION_free(san);
	ASSERT_GT(X509_sign(x, key, EVP_sha256()), 0);
	FILE* f = fopen(cert_path.c_str(), "w");
	ASSERT_NE(f, nullptr);
	PEM_write_X509(f, x);
	fclose(f);
	f = fopen(key_path.c_str(), "w");
	ASSERT_NE(f, nullptr);
	fchmod(fileno(f), 0600);
	PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
	fclose(f);
	X509_free(x);
	EVP_PKEY_free(key);
}

inline std::string request_text(const SignedPost& p, const std::string& extra_headers = "") {
	return fmt::format("{} {} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {}\r\n{}Authorization: {}\r\n"
	                   "Content-Length: {}\r\n{}\r\n{}",
	                   p.method, p.target, p.content_type,
	                   p.content_encoding.empty() ? "" : "Content-Encoding: " + p.content_encoding + "\r\n",
	                   p.authorization, p.body.size(), extra_headers, p.body);
}

class HttpTest : public ::testing::Test {
protected:
	void SetUp() override {
		auto s = store::open_sqlite_store(dir.file("serversan.db"));
		ASSERT_TRUE(s.ok()) << s.error().message;
		store = std::move(*s);
		token = add_server("web-1");
	}
	void TearDown() override {
		if (server)
			server->stop();
	}

	AgentToken add_server(const std::string& name) {
		AgentToken placeholder = generate_token(1);
		auto id =
		    store->create_server(std::nullopt, name, derive_signing_key(placeholder), clock.unix_millis());
		EXPECT_TRUE(id.ok());
		AgentToken t = generate_token(*id);
		EXPECT_TRUE(store->set_signing_key(*id, derive_signing_key(t)).ok());
		return t;
	}

	// Options fit for tests: port 0, short time-outs.
	ingest::Options options() {
		ingest::Options o;
		o.http.port = 0;
		o.http.header_timeout = std::chrono::seconds(3);
		o.store_files = {dir.file("serversan.db"), dir.file("serversan.db-wal")};
		return o;
	}

	void start(ingest::Options o) {
		server = std::make_unique<ingest::IngestServer>(*store, clock, std::move(o));
		auto r = server->start();
		ASSERT_TRUE(r.ok()) << r.error().message;
		clock.advance(std::chrono::seconds(1)); // requests are signed after the start
		port = server->port();
		ASSERT_NE(port, 0);
	}

	SignedPost valid(uint64_t seq, const AgentToken* t = nullptr) {
		return sign_post(t ? *t : token, encode_batch(sample_batch(seq, 1, clock.unix_millis())),
		                 clock.unix_seconds());
	}

	uint64_t stored() { return store->count_samples(token.server_id).value(); }

	TempDir dir;
	ManualClock clock;
	std::unique_ptr<store::Store> store;
	std::unique_ptr<ingest::IngestServer> server;
	AgentToken token;
	uint16_t port = 0;
};

} // namespace serversan::testing
