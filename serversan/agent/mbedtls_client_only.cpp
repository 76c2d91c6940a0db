// Link-time trimming of the static mbedTLS archives (issue 11: a stripped static agent of at most
// 2 MB). Debian builds mbedTLS without -ffunction-sections, so one referenced function drags in
// its whole object file. Defining the symbol here, in an object the agent's link always loads
// before the archives, means the archive member is never pulled in:
//   - ssl_srv.c (27 kB): ssl_tls.c's handshake loop calls the server state machine when the
//     context is a server; the agent's context is always a client (MBEDTLS_SSL_IS_CLIENT);
//   - certs.c (54 kB of test certificates): read only by mbedtls_x509_self_test, which the agent
//     never calls.
// Only the agent executable links this file, not serversan_agent_lib: the tests run an mbedTLS
// server. Should a future mbedTLS need more from these objects, the link fails with a duplicate
// definition rather than misbehaving.
#include <cstddef>

#include <mbedtls/certs.h>
#include <mbedtls/ssl.h>

extern "C" {

// Declared in ssl_internal.h, which is not installed.
int mbedtls_ssl_handshake_server_step(mbedtls_ssl_context* ssl);

int mbedtls_ssl_handshake_server_step(mbedtls_ssl_context*) {
	return MBEDTLS_ERR_SSL_FEATURE_UNAVAILABLE;
}

const char* mbedtls_test_ca_crt = "";
const size_t mbedtls_test_ca_crt_len = 0;
const char* mbedtls_test_cli_crt = "";
const size_t mbedtls_test_cli_crt_len = 0;
}
