#!/usr/bin/env bash
# The agent must stay small and self-contained: no OpenSSL, libcurl, SQLite, spdlog, simdjson,
# toml++ or libfmt, neither as a dynamic library nor linked in statically.
source "$(dirname "$0")/lib.sh"
AGENT=$1
[ -x "$AGENT" ] || fail "no agent binary at $AGENT"
DEPS=$(ldd "$AGENT" 2>&1 || true)
echo "$DEPS"
FORBIDDEN="libssl libcrypto libcurl libsqlite3 libspdlog libsimdjson libtomlplusplus libfmt"
# libstdc++ is linked statically, except in sanitizer builds, whose runtimes bring the shared one.
grep -q libasan <<<"$DEPS" || FORBIDDEN="$FORBIDDEN libstdc++"
for lib in $FORBIDDEN; do
	if grep -q "$lib" <<<"$DEPS"; then fail "agent links $lib dynamically"; fi
done
SYMS=$(nm -C "$AGENT" 2>/dev/null || true)
# Here-strings, not `echo | grep -q`: grep -q exits at the first match, and under pipefail the
# echo still writing the symbol list then fails the pipeline with SIGPIPE (seen under load).
for sym in 'OPENSSL_init' 'EVP_MD_CTX_new' 'curl_easy_init' 'sqlite3_open' 'spdlog::' 'simdjson::'; do
	if grep -q "$sym" <<<"$SYMS"; then fail "agent contains $sym"; fi
done
grep -q 'mbedtls_md_hmac' <<<"$SYMS" || fail "agent does not contain the mbedTLS HMAC"
echo "PASS"
