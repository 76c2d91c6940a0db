// TLS for the agent's one connection, on mbedTLS (linked statically; only APIs common to 2.28 and
// 3.x). TlsContext holds what outlives a connection (configuration, trust anchors, the resumable
// session); TlsStream is one TLS session over a connected non-blocking socket. Every step
// (handshake, write, read) takes a deadline and a cancel descriptor, like the plain socket code.
//
// Trust:
//   - a pinned SHA-256 of the server's certificate (DER) and no CA file: the chain is not
//     verified (the self-signed server case); the pin alone must match;
//   - otherwise a CA file (tls.ca_file), or else the first system bundle found
//     (default_ca_bundles()): the chain must verify, and the certificate must name the URL's host
//     (a DNS name, or an IP address SAN: mbedTLS 2.28 cannot check those, so this file does); a
//     pin, if also given, must match too.
//
// Verification happens in this file, right after the handshake and before any byte of the
// request is written (mbedTLS runs in "optional" mode and reports what it saw): mbedTLS would
// need the whole bundle parsed and held, about 140 certificates and half a megabyte, a quarter of
// the agent's memory budget, and freeing it afterwards leaves a fragmented heap. Instead the
// bundle file is read one certificate at a time and only those that can anchor the server's
// chain (their subject is an issuer in it) are kept; they are tried first at the next full
// handshake, and the bundle is read again only if they no longer verify (the server changed CA).
// Resumed sessions (tickets or IDs, kept only after a verified handshake) skip all of this.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/core/result.h"

namespace serversan::agent {

struct TlsSettings {
	std::string ca_file;    // PEM bundle; empty: the first of default_ca_bundles() that exists
	std::string pin_sha256; // 64 hex digits, ':' separators allowed; empty: no pin

	bool operator==(const TlsSettings&) const = default;
};

// Where Linux distributions keep their CA bundle (Debian/Ubuntu/Alpine/Arch, RHEL/Fedora,
// openSUSE, ...), most common first.
const std::vector<std::string>& default_ca_bundles();
// The first candidate that is a readable regular file; empty if none is.
std::string find_ca_bundle(const std::vector<std::string>& candidates);

// "AB:CD:..." or "abcd..." (as `openssl x509 -noout -fingerprint -sha256` prints it) -> 32 bytes.
Result<std::array<uint8_t, 32>> parse_pin_sha256(std::string_view text);

class TlsContext {
public:
	// Checks the settings: the pin's syntax, and that the CA file (or a system bundle) exists
	// and holds at least one certificate.
	static Result<std::unique_ptr<TlsContext>> create(const TlsSettings& settings);
	~TlsContext();
	TlsContext(const TlsContext&) = delete;
	TlsContext& operator=(const TlsContext&) = delete;

	// For logs: "CA file /etc/ssl/certs/ca-certificates.crt", "pinned certificate sha256 ab12...".
	std::string describe() const;
	// CA certificates held (those that verified the server last; 0 before the first handshake
	// and in pin-only mode).
	size_t anchors_held() const;
	// Handshakes completed with and without resuming a saved session (tests, benchmarks).
	uint64_t full_handshakes() const;
	uint64_t resumed_handshakes() const;

	struct Impl;

private:
	explicit TlsContext(std::unique_ptr<Impl> impl);
	std::unique_ptr<Impl> impl_;
	friend class TlsStream;
};

class TlsStream {
public:
	using TimePoint = std::chrono::steady_clock::time_point;

	explicit TlsStream(TlsContext& context);
	~TlsStream();
	TlsStream(const TlsStream&) = delete;
	TlsStream& operator=(const TlsStream&) = delete;

	// Handshake over fd (connected, non-blocking, not owned) for `host` as written in the URL (a
	// name or an IP literal); peer names the server in messages ("host:port").
	Result<void> handshake(int fd, const std::string& host, std::string_view peer, TimePoint deadline,
	                       int cancel_fd);
	Result<void> write_all(const void* data, size_t size, TimePoint deadline, int cancel_fd);
	// Waits for and returns at least one byte; 0 means the peer closed (close_notify or end of
	// stream).
	Result<size_t> read_some(void* buf, size_t size, TimePoint deadline, int cancel_fd);
	// For an idle kept-alive connection whose socket became readable: true if it is still usable
	// (what arrived was a TLS 1.3 ticket or similar), false if the peer closed or sent data.
	bool still_open();
	// Sends close_notify (best effort, never waits).
	void close_notify();
	// True if the last handshake() failed because of the certificate (as opposed to a network
	// error).
	bool refused_certificate() const;

	struct Impl;

private:
	std::unique_ptr<Impl> impl_;
};

} // namespace serversan::agent
