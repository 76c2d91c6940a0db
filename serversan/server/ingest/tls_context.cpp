#include "serversan/server/ingest/tls_context.h"

#include <sys/stat.h>

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "serversan/core/log.h"

namespace serversan::ingest {

namespace {

// OpenSSL's queued errors as one line (and the queue emptied).
std::string openssl_errors() {
	std::string out;
	while (unsigned long e = ERR_get_error()) {
		char buf[256];
		ERR_error_string_n(e, buf, sizeof buf);
		if (!out.empty())
			out += "; ";
		out += buf;
	}
	return out.empty() ? "unknown error" : out;
}

} // namespace

Result<SSL_CTX*> make_tls_server_context(const std::string& cert_chain_pem, const std::string& key_pem) {
	ERR_clear_error();
	SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx)
		return Err("TLS: cannot create a context: " + openssl_errors());
	auto fail = [&](std::string message) -> Result<SSL_CTX*> {
		SSL_CTX_free(ctx);
		return Err(std::move(message));
	};
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx,
	                    SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_COMPRESSION);
	if (SSL_CTX_use_certificate_chain_file(ctx, cert_chain_pem.c_str()) != 1)
		return fail(
		    fmt::format("TLS: cannot load the certificate chain {}: {}", cert_chain_pem, openssl_errors()));
	// OpenSSL already refuses a key that does not belong to the certificate here ("key values
	// mismatch"); the message says which two files to compare.
	if (SSL_CTX_use_PrivateKey_file(ctx, key_pem.c_str(), SSL_FILETYPE_PEM) != 1)
		return fail(fmt::format("TLS: cannot use the private key {} with the certificate {}: {}", key_pem,
		                        cert_chain_pem, openssl_errors()));
	if (SSL_CTX_check_private_key(ctx) != 1)
		return fail(fmt::format("TLS: the private key {} does not match the certificate {}: {}", key_pem,
		                        cert_chain_pem, openssl_errors()));
	struct stat st {};
	if (stat(key_pem.c_str(), &st) == 0 && (st.st_mode & 077) != 0)
		log::warn("TLS: the private key {} is readable by group or others (mode {:o}); chmod 600 it", key_pem,
		          st.st_mode & 0777);
	return ctx;
}

} // namespace serversan::ingest
