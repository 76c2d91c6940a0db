// The server's TLS settings, in plain OpenSSL so that the Beast TU only wraps the result:
// TLS 1.2 and 1.3 with OpenSSL's default cipher list, no renegotiation (a cheap way for a client
// to make us burn CPU), the server's cipher preference, the certificate chain and key from PEM
// files, checked against each other at start so that a mismatch fails the start, not the first
// handshake. A key file readable by group or others is reported (warn), as sshd would.
#pragma once

#include <string>

#include <openssl/types.h>

#include "serversan/core/result.h"

namespace serversan::ingest {

// A new SSL_CTX the caller owns (SSL_CTX_free, or hand it to asio::ssl::context). The error
// names the file and carries OpenSSL's reason.
Result<SSL_CTX*> make_tls_server_context(const std::string& cert_chain_pem, const std::string& key_pem);

} // namespace serversan::ingest
