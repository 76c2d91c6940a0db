// mbedTLS client session (see tls_stream.h). No Beast/Asio here: HTTP framing stays in
// http_client.cpp, which calls this file for the bytes.
#include "serversan/agent/tls_stream.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <optional>
#include <poll.h>
#include <span>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <fmt/format.h>
#include <mbedtls/asn1.h>
#include <mbedtls/base64.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>
#if MBEDTLS_VERSION_MAJOR >= 3
#include <psa/crypto.h>
#endif

#include "serversan/agent/socket_wait.h"
#include "serversan/core/crypto.h"
#include "serversan/core/encoding.h"

namespace serversan::agent {

namespace {

using Pin = std::array<uint8_t, 32>;

std::string code_text(int code) {
	return fmt::format("-0x{:04x}", static_cast<unsigned>(-code));
}

// Short, actionable texts for what goes wrong in practice; the code for the rest.
std::string tls_error_text(int code) {
	switch (code) {
	case MBEDTLS_ERR_SSL_CONN_EOF:
	case MBEDTLS_ERR_NET_CONN_RESET:
		return "the server closed the connection during the TLS handshake";
	case MBEDTLS_ERR_SSL_INVALID_RECORD:
		return "the answer is not TLS (is the server plain HTTP? then use an http:// URL)";
	case MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE:
		return "the server refused the TLS handshake (fatal alert)";
	case MBEDTLS_ERR_SSL_NO_USABLE_CIPHERSUITE:
		return "no TLS cipher suite in common with the server";
	case MBEDTLS_ERR_NET_SEND_FAILED:
	case MBEDTLS_ERR_NET_RECV_FAILED:
		return fmt::format("socket error ({})", std::strerror(errno));
	default:
		return fmt::format("TLS error {}", code_text(code));
	}
}

std::string verify_flags_text(uint32_t flags, std::string_view host) {
	std::string out;
	auto add = [&](std::string_view s) {
		if (!out.empty())
			out += "; ";
		out += s;
	};
	if (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
		add("its certificate is not signed by a trusted CA (set tls.ca_file to the CA that signed it, or "
		    "pin a self-signed certificate with tls.pin_sha256)");
	if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH)
		add(fmt::format("its certificate is not valid for the name \"{}\"", host));
	if (flags & MBEDTLS_X509_BADCERT_EXPIRED)
		add("its certificate has expired");
	if (flags & MBEDTLS_X509_BADCERT_FUTURE)
		add("its certificate is not valid yet (check this host's clock)");
	if (flags & (MBEDTLS_X509_BADCERT_KEY_USAGE | MBEDTLS_X509_BADCERT_EXT_KEY_USAGE))
		add("its certificate may not be used for a TLS server");
	if (flags & (MBEDTLS_X509_BADCERT_BAD_MD | MBEDTLS_X509_BADCERT_BAD_PK | MBEDTLS_X509_BADCERT_BAD_KEY))
		add("its certificate uses a weak or unsupported algorithm or key");
	if (out.empty())
		add(fmt::format("certificate verification failed (flags 0x{:x})", flags));
	return out;
}

// The kernel's generator; mbedTLS needs nothing more (and so links no DRBG of its own here).
int random_callback(void*, unsigned char* out, size_t len) {
	try {
		crypto::random_bytes({out, len});
		return 0;
	} catch (...) {
		return -1;
	}
}

// Binary form of an IP literal, or nullopt for a name.
std::optional<std::vector<uint8_t>> ip_bytes(const std::string& host) {
	in6_addr v6{};
	in_addr v4{};
	if (::inet_pton(AF_INET, host.c_str(), &v4) == 1) {
		auto* b = reinterpret_cast<const uint8_t*>(&v4);
		return std::vector<uint8_t>(b, b + 4);
	}
	if (::inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
		auto* b = reinterpret_cast<const uint8_t*>(&v6);
		return std::vector<uint8_t>(b, b + 16);
	}
	return std::nullopt;
}

// True if the certificate's subjectAltName lists this iPAddress. Walks the DER directly:
// mbedTLS 2.28 keeps only dNSName entries in subject_alt_names.
bool cert_names_ip(const mbedtls_x509_crt& crt, const std::vector<uint8_t>& ip) {
	unsigned char* p = crt.raw.p;
	const unsigned char* end = crt.raw.p + crt.raw.len;
	size_t len = 0;
	constexpr int kSeq = MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE;
	if (mbedtls_asn1_get_tag(&p, end, &len, kSeq) != 0) // Certificate
		return false;
	if (mbedtls_asn1_get_tag(&p, end, &len, kSeq) != 0) // TBSCertificate
		return false;
	const unsigned char* tbs_end = p + len;
	while (p < tbs_end) {
		unsigned char tag = *p++;
		if (mbedtls_asn1_get_len(&p, tbs_end, &len) != 0)
			return false;
		if (tag != (MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 3)) {
			p += len;
			continue;
		}
		const unsigned char* ext_end = p + len;
		if (mbedtls_asn1_get_tag(&p, ext_end, &len, kSeq) != 0) // Extensions
			return false;
		while (p < ext_end) {
			if (mbedtls_asn1_get_tag(&p, ext_end, &len, kSeq) != 0) // Extension
				return false;
			const unsigned char* one_end = p + len;
			size_t oid_len = 0;
			if (mbedtls_asn1_get_tag(&p, one_end, &oid_len, MBEDTLS_ASN1_OID) != 0)
				return false;
			static constexpr unsigned char kSanOid[] = {0x55, 0x1d, 0x11}; // 2.5.29.17
			bool san = oid_len == sizeof kSanOid && std::memcmp(p, kSanOid, oid_len) == 0;
			p += oid_len;
			if (!san) {
				p = const_cast<unsigned char*>(one_end);
				continue;
			}
			if (p < one_end && *p == MBEDTLS_ASN1_BOOLEAN) { // critical flag
				++p;
				if (mbedtls_asn1_get_len(&p, one_end, &len) != 0)
					return false;
				p += len;
			}
			if (mbedtls_asn1_get_tag(&p, one_end, &len, MBEDTLS_ASN1_OCTET_STRING) != 0 ||
			    mbedtls_asn1_get_tag(&p, one_end, &len, kSeq) != 0) // GeneralNames
				return false;
			const unsigned char* names_end = p + len;
			while (p < names_end) {
				unsigned char name_tag = *p++;
				if (mbedtls_asn1_get_len(&p, names_end, &len) != 0)
					return false;
				if (name_tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | 7) && len == ip.size() &&
				    std::memcmp(p, ip.data(), len) == 0)
					return true;
				p += len;
			}
			return false;
		}
		return false;
	}
	return false;
}

void trim_heap() {
#if defined(__GLIBC__)
	// Parsed certificates are many small blocks; once they are freed, return the pages.
	::malloc_trim(0);
#endif
}

} // namespace

const std::vector<std::string>& default_ca_bundles() {
	static const std::vector<std::string> paths = {
	    "/etc/ssl/certs/ca-certificates.crt",                // Debian, Ubuntu, Alpine, Arch, Gentoo
	    "/etc/pki/tls/certs/ca-bundle.crt",                  // RHEL, Fedora, CentOS, Amazon Linux
	    "/etc/ssl/ca-bundle.pem",                            // openSUSE, SLES
	    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // RHEL 7+ extracted bundle
	    "/etc/ssl/cert.pem",                                 // Alpine (LibreSSL), Void
	};
	return paths;
}

std::string find_ca_bundle(const std::vector<std::string>& candidates) {
	for (const auto& path : candidates) {
		struct stat st {};
		if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), R_OK) == 0)
			return path;
	}
	return {};
}

Result<Pin> parse_pin_sha256(std::string_view text) {
	std::string hex;
	for (char c : text) {
		if (c == ':' || c == ' ')
			continue;
		hex.push_back(c);
	}
	if (hex.starts_with("sha256//") || hex.starts_with("SHA256//"))
		return Err("tls.pin_sha256 wants hex digits (openssl x509 -noout -fingerprint -sha256), not base64");
	auto bytes = hex_decode(hex);
	if (!bytes || bytes->size() != 32)
		return Err(fmt::format("tls.pin_sha256 must be 64 hex digits (colons allowed), got {} characters",
		                       hex.size()));
	Pin pin{};
	std::copy(bytes->begin(), bytes->end(), pin.begin());
	return pin;
}

// ---------------------------------------------------------------------------------------------

namespace {

// One certificate of a CA file, DER, with its subject (the Name's whole TLV, as mbedTLS's
// subject_raw holds it).
struct RawCertificate {
	std::span<const unsigned char> der;
	std::span<const unsigned char> subject;
};

// The subject of a DER certificate, found by walking its outer structure (Certificate,
// TBSCertificate, then version, serial, signature algorithm, issuer and validity skipped), or an
// empty span if it is not one; `der` is cut to the certificate (a DER file may have more after
// it). Nothing is allocated: this is what lets a whole bundle be scanned without the heap
// (parsing 140 certificates with mbedTLS left it fragmented, about 100 KB more resident).
std::span<const unsigned char> certificate_subject(std::span<const unsigned char>& der) {
	auto* p = const_cast<unsigned char*>(der.data());
	const unsigned char* end = der.data() + der.size();
	size_t len = 0;
	constexpr int kSeq = MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE;
	if (mbedtls_asn1_get_tag(&p, end, &len, kSeq) != 0) // Certificate
		return {};
	end = p + len;
	der = der.first(static_cast<size_t>(end - der.data()));
	if (mbedtls_asn1_get_tag(&p, end, &len, kSeq) != 0) // TBSCertificate
		return {};
	end = p + len;
	constexpr int kVersion = MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_ASN1_CONSTRUCTED | 0;
	if (mbedtls_asn1_get_tag(&p, end, &len, kVersion) == 0) // [0] version, optional
		p += len;
	if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_INTEGER) != 0) // serialNumber
		return {};
	p += len;
	for (int skip = 0; skip < 3; ++skip) { // signature, issuer, validity
		if (mbedtls_asn1_get_tag(&p, end, &len, kSeq) != 0)
			return {};
		p += len;
	}
	unsigned char* subject = p;
	if (mbedtls_asn1_get_tag(&p, end, &len, kSeq) != 0)
		return {};
	return {subject, static_cast<size_t>(p + len - subject)};
}

// A read-only mapping of a whole file: the bundle's pages belong to the page cache and leave
// with munmap. Reading it took a 16 KB stack buffer (resident for good once touched) and a heap
// string grown through several sizes.
class MappedFile {
public:
	explicit MappedFile(const std::string& path) {
		int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			error_ = errno;
			return;
		}
		struct stat st {};
		if (::fstat(fd, &st) != 0) {
			error_ = errno;
		} else if (!S_ISREG(st.st_mode)) {
			error_ = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
		} else if (st.st_size > 0 && st.st_size <= (32 << 20)) {
			void* m = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
			if (m == MAP_FAILED)
				error_ = errno;
			else
				data_ = {static_cast<const char*>(m), static_cast<size_t>(st.st_size)};
		}
		::close(fd);
	}
	~MappedFile() {
		if (!data_.empty())
			::munmap(const_cast<char*>(data_.data()), data_.size());
	}
	MappedFile(const MappedFile&) = delete;
	MappedFile& operator=(const MappedFile&) = delete;
	int error() const { return error_; }
	std::string_view text() const { return data_; }

private:
	std::string_view data_;
	int error_ = 0;
};

// Reads a CA file and calls on_cert for each certificate in it, without parsing it: the caller
// parses only the few it keeps. PEM (any number of certificates; what is not a certificate is
// skipped, as mbedTLS does) or a single DER certificate. Returns how many certificates it held.
template <typename F>
Result<size_t> for_each_certificate(const std::string& path, F&& on_cert) {
	MappedFile file(path);
	if (file.error() != 0)
		return Err(
		    fmt::format("cannot read CA certificates from {} ({})", path, std::strerror(file.error())));
	std::string_view text = file.text();
	size_t count = 0;
	auto offer = [&](std::span<const unsigned char> der) {
		auto subject = certificate_subject(der);
		if (subject.empty())
			return;
		++count;
		on_cert(RawCertificate{der, subject});
	};
	static constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
	static constexpr std::string_view kEnd = "-----END CERTIFICATE-----";
	if (text.find(kBegin) == std::string_view::npos) {
		offer({reinterpret_cast<const unsigned char*>(text.data()), text.size()});
	} else {
		// One decoding buffer for the whole file, grown to the largest certificate (a few KB).
		std::vector<unsigned char> der;
		for (size_t at = text.find(kBegin); at != std::string_view::npos; at = text.find(kBegin, at + 1)) {
			size_t stop = text.find(kEnd, at);
			if (stop == std::string_view::npos)
				break;
			auto* b64 = reinterpret_cast<const unsigned char*>(text.data() + at + kBegin.size());
			size_t b64_len = stop - at - kBegin.size();
			size_t need = 0;
			// Line breaks are skipped by the decoder, as in mbedTLS's own PEM reader.
			if (mbedtls_base64_decode(nullptr, 0, &need, b64, b64_len) != MBEDTLS_ERR_BASE64_BUFFER_TOO_SMALL)
				continue;
			if (der.size() < need)
				der.resize(need);
			size_t got = 0;
			if (mbedtls_base64_decode(der.data(), der.size(), &got, b64, b64_len) == 0)
				offer({der.data(), got});
		}
	}
	if (count == 0)
		return Err(fmt::format("cannot read CA certificates from {} (no certificate in it)", path));
	return count;
}

bool same(std::span<const unsigned char> a, const mbedtls_x509_buf& b) {
	return a.size() == b.len && b.len > 0 && std::memcmp(a.data(), b.p, b.len) == 0;
}

} // namespace

struct TlsContext::Impl {
	mbedtls_ssl_config conf;
	std::string ca_path; // empty: pin-only mode
	std::optional<Pin> pin;
	// The CA certificates that verified the server last time (usually one): tried first, so the
	// bundle is read only for a first handshake or after the server changed CA.
	mbedtls_x509_crt anchors;
	size_t anchor_count = 0;
	mbedtls_ssl_session session;
	bool have_session = false;
	uint64_t full = 0, resumed = 0;
	bool saw_certificate = false; // set by the verify callback: this handshake was not resumed

	Impl() {
		mbedtls_ssl_config_init(&conf);
		mbedtls_x509_crt_init(&anchors);
		mbedtls_ssl_session_init(&session);
	}
	~Impl() {
		mbedtls_ssl_session_free(&session);
		mbedtls_x509_crt_free(&anchors);
		mbedtls_ssl_config_free(&conf);
	}

	// Replaces the anchors by copies of `fresh` (re-parsed from DER: mbedTLS offers no move).
	void set_anchors(const mbedtls_x509_crt& fresh) {
		mbedtls_x509_crt_free(&anchors);
		mbedtls_x509_crt_init(&anchors);
		anchor_count = 0;
		for (const mbedtls_x509_crt* c = &fresh; c && c->raw.len > 0; c = c->next)
			if (mbedtls_x509_crt_parse_der(&anchors, c->raw.p, c->raw.len) == 0)
				++anchor_count;
	}

	// Verifies the server's chain (as it sent it) for `name` (nullptr: an IP literal, checked by
	// the caller). Ok, or the verification flags.
	Result<void> verify(const mbedtls_x509_crt& chain, const char* name, uint32_t& flags) {
		auto* peer = const_cast<mbedtls_x509_crt*>(&chain);
		flags = 0;
		if (anchor_count > 0 &&
		    mbedtls_x509_crt_verify(peer, &anchors, nullptr, name, &flags, nullptr, nullptr) == 0)
			return Ok();
		// Read the bundle, keeping only the certificates that could anchor this chain: those
		// whose subject is an issuer in it (or that are one of its certificates).
		mbedtls_x509_crt candidates;
		mbedtls_x509_crt_init(&candidates);
		size_t kept = 0;
		auto scanned = for_each_certificate(ca_path, [&](const RawCertificate& ca) {
			for (const mbedtls_x509_crt* c = &chain; c && c->raw.len > 0; c = c->next) {
				if (same(ca.subject, c->issuer_raw) || same(ca.der, c->raw)) {
					if (mbedtls_x509_crt_parse_der(&candidates, ca.der.data(), ca.der.size()) == 0)
						++kept;
					return;
				}
			}
		});
		trim_heap();
		if (!scanned) {
			mbedtls_x509_crt_free(&candidates);
			return scanned.error();
		}
		flags = 0;
		int r = kept > 0 ? mbedtls_x509_crt_verify(peer, &candidates, nullptr, name, &flags, nullptr, nullptr)
		                 : -1;
		if (kept == 0)
			flags = MBEDTLS_X509_BADCERT_NOT_TRUSTED;
		if (r != 0) {
			mbedtls_x509_crt_free(&candidates);
			return Err("not verified");
		}
		set_anchors(candidates);
		mbedtls_x509_crt_free(&candidates);
		return Ok();
	}

	static int on_verify(void* self, mbedtls_x509_crt*, int, uint32_t*) {
		static_cast<Impl*>(self)->saw_certificate = true;
		return 0;
	}
};

TlsContext::TlsContext(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsContext::~TlsContext() = default;

Result<std::unique_ptr<TlsContext>> TlsContext::create(const TlsSettings& settings) {
#if MBEDTLS_VERSION_MAJOR >= 3
	if (psa_crypto_init() != PSA_SUCCESS)
		return Err("cannot initialise the PSA crypto library");
#endif
	auto impl = std::make_unique<Impl>();
	if (!settings.pin_sha256.empty()) {
		auto pin = parse_pin_sha256(settings.pin_sha256);
		if (!pin)
			return pin.error();
		impl->pin = *pin;
	}
	if (!settings.ca_file.empty()) {
		impl->ca_path = settings.ca_file;
	} else if (!impl->pin) {
		impl->ca_path = find_ca_bundle(default_ca_bundles());
		if (impl->ca_path.empty())
			return Err(fmt::format("no system CA bundle found (looked for {}); set tls.ca_file, or pin the "
			                       "server's certificate with tls.pin_sha256",
			                       fmt::join(default_ca_bundles(), ", ")));
	}
	// Read it once now, so that a wrong CA file is a start-up error rather than a failed send.
	if (!impl->ca_path.empty()) {
		auto counted = for_each_certificate(impl->ca_path, [](const RawCertificate&) {});
		trim_heap();
		if (!counted)
			return counted.error();
	}

	mbedtls_ssl_config& conf = impl->conf;
	if (int r = mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
	                                        MBEDTLS_SSL_PRESET_DEFAULT);
	    r != 0)
		return Err(fmt::format("TLS configuration failed ({})", code_text(r)));
#if MBEDTLS_VERSION_MAJOR < 3
	// 2.28 still speaks TLS 1.0 and 1.1 when built with them (Debian's is); 3.x never does.
	mbedtls_ssl_conf_min_version(&conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
#endif
	mbedtls_ssl_conf_rng(&conf, random_callback, nullptr);
	// The chain is verified by this file right after the handshake, before a byte of the
	// request is sent (see handshake()): mbedTLS would need the whole bundle parsed to do it.
	mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_OPTIONAL);
	mbedtls_ssl_conf_verify(&conf, Impl::on_verify, impl.get());
	return std::unique_ptr<TlsContext>(new TlsContext(std::move(impl)));
}

std::string TlsContext::describe() const {
	std::string out;
	if (!impl_->ca_path.empty())
		out = fmt::format("CA file {}", impl_->ca_path);
	if (impl_->pin)
		out += fmt::format("{}pinned certificate sha256 {}...", out.empty() ? "" : ", ",
		                   hex_encode(std::span(impl_->pin->data(), 8)));
	return out;
}

size_t TlsContext::anchors_held() const {
	return impl_->anchor_count;
}

uint64_t TlsContext::full_handshakes() const {
	return impl_->full;
}
uint64_t TlsContext::resumed_handshakes() const {
	return impl_->resumed;
}

// ---------------------------------------------------------------------------------------------

struct TlsStream::Impl {
	TlsContext::Impl& ctx;
	mbedtls_ssl_context ssl;
	int fd = -1;
	std::string peer;     // for messages
	bool ready = false;   // handshake completed
	bool refused = false; // the last handshake failed certificate verification

	explicit Impl(TlsContext::Impl& c) : ctx(c) { mbedtls_ssl_init(&ssl); }
	~Impl() { mbedtls_ssl_free(&ssl); }

	static int bio_send(void* self, const unsigned char* buf, size_t len) {
		int fd = static_cast<Impl*>(self)->fd;
		for (;;) {
			ssize_t n = ::send(fd, buf, len, MSG_NOSIGNAL);
			if (n >= 0)
				return static_cast<int>(n);
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return MBEDTLS_ERR_SSL_WANT_WRITE;
			return errno == EPIPE || errno == ECONNRESET ? MBEDTLS_ERR_NET_CONN_RESET
			                                             : MBEDTLS_ERR_NET_SEND_FAILED;
		}
	}
	static int bio_recv(void* self, unsigned char* buf, size_t len) {
		int fd = static_cast<Impl*>(self)->fd;
		for (;;) {
			ssize_t n = ::recv(fd, buf, len, 0);
			if (n >= 0)
				return static_cast<int>(n);
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return MBEDTLS_ERR_SSL_WANT_READ;
			return errno == ECONNRESET ? MBEDTLS_ERR_NET_CONN_RESET : MBEDTLS_ERR_NET_RECV_FAILED;
		}
	}

	// Waits as mbedTLS asked (it may want to write while reading, and the reverse).
	Result<void> wait_for(int r, std::string_view what, TimePoint deadline, int cancel_fd) {
		Wait w = wait_fd(fd, r == MBEDTLS_ERR_SSL_WANT_WRITE ? POLLOUT : POLLIN, deadline, cancel_fd);
		if (w != Wait::ready)
			return Err(wait_error(w, what, peer));
		return Ok();
	}
};

TlsStream::TlsStream(TlsContext& context) : impl_(std::make_unique<Impl>(*context.impl_)) {}
TlsStream::~TlsStream() = default;

Result<void> TlsStream::handshake(int fd, const std::string& host, std::string_view peer, TimePoint deadline,
                                  int cancel_fd) {
	Impl& s = *impl_;
	TlsContext::Impl& ctx = s.ctx;
	s.fd = fd;
	s.peer = peer;
	if (int r = mbedtls_ssl_setup(&s.ssl, &ctx.conf); r != 0)
		return Err(fmt::format("TLS setup failed ({})", code_text(r)));
	// An IP literal is not sent as SNI (RFC 6066), and mbedTLS 2.28 cannot match it to the
	// certificate: this file does (below). NULL says so explicitly (3.6 insists).
	auto ip = ip_bytes(host);
	if (int r = mbedtls_ssl_set_hostname(&s.ssl, ip ? nullptr : host.c_str()); r != 0)
		return Err(fmt::format("TLS: bad host name \"{}\" ({})", host, code_text(r)));
	mbedtls_ssl_set_bio(&s.ssl, &s, Impl::bio_send, Impl::bio_recv, nullptr);
	bool offered = ctx.have_session && mbedtls_ssl_set_session(&s.ssl, &ctx.session) == 0;
	ctx.saw_certificate = false;

	auto forget_session = [&] {
		mbedtls_ssl_session_free(&ctx.session);
		mbedtls_ssl_session_init(&ctx.session);
		ctx.have_session = false;
	};
	for (;;) {
		int r = mbedtls_ssl_handshake(&s.ssl);
		if (r == 0)
			break;
		if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE) {
			if (auto w = s.wait_for(r, "TLS handshake", deadline, cancel_fd); !w)
				return w;
			continue;
		}
		if (offered)
			forget_session(); // a session the server no longer knows must not poison later tries
		return Err(fmt::format("TLS handshake with {} failed: {}", peer, tls_error_text(r)));
	}

	// Nothing has been sent yet: the certificate is checked before the request is written.
	const mbedtls_x509_crt* cert = mbedtls_ssl_get_peer_cert(&s.ssl);
	if (!cert)
		return Err(fmt::format("TLS: {} presented no certificate", peer));
	bool resumed = offered && !ctx.saw_certificate;
	if (!resumed) {
		s.refused = true;
		if (ctx.pin) {
			crypto::Digest got = crypto::sha256({cert->raw.p, cert->raw.len});
			if (!crypto::constant_time_equal(got, *ctx.pin))
				return Err(fmt::format("TLS: refusing {}: its certificate (sha256 {}) does not match "
				                       "tls.pin_sha256",
				                       peer, hex_encode(got)));
		}
		if (!ctx.ca_path.empty()) {
			uint32_t flags = 0;
			auto verified = ctx.verify(*cert, ip ? nullptr : host.c_str(), flags);
			if (!verified)
				return Err(fmt::format("TLS: refusing {}: {}", peer,
				                       flags ? verify_flags_text(flags, host) : verified.error().message));
			if (ip && !cert_names_ip(*cert, *ip))
				return Err(fmt::format("TLS: refusing {}: {}", peer,
				                       verify_flags_text(MBEDTLS_X509_BADCERT_CN_MISMATCH, host)));
		}
		s.refused = false;
		// Only a session whose certificate passed is kept for resumption.
		forget_session();
		ctx.have_session = mbedtls_ssl_get_session(&s.ssl, &ctx.session) == 0;
	}
	++(resumed ? ctx.resumed : ctx.full);
	s.ready = true;
	return Ok();
}

Result<void> TlsStream::write_all(const void* data, size_t size, TimePoint deadline, int cancel_fd) {
	Impl& s = *impl_;
	auto* p = static_cast<const unsigned char*>(data);
	while (size > 0) {
		int r = mbedtls_ssl_write(&s.ssl, p, size);
		if (r > 0) {
			p += r;
			size -= static_cast<size_t>(r);
			continue;
		}
		if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE) {
			if (auto w = s.wait_for(r, "sending the request", deadline, cancel_fd); !w)
				return w;
			continue;
		}
		return Err(fmt::format("sending the request over TLS: {}", tls_error_text(r)));
	}
	return Ok();
}

Result<size_t> TlsStream::read_some(void* buf, size_t size, TimePoint deadline, int cancel_fd) {
	Impl& s = *impl_;
	for (;;) {
		int r = mbedtls_ssl_read(&s.ssl, static_cast<unsigned char*>(buf), size);
		if (r > 0)
			return static_cast<size_t>(r);
		if (r == 0 || r == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
			return size_t{0};
		if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE) {
			if (auto w = s.wait_for(r, "waiting for the answer", deadline, cancel_fd); !w)
				return w.error();
			continue;
		}
#ifdef MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET
		if (r == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
			continue;
#endif
		if (r == MBEDTLS_ERR_NET_CONN_RESET)
			return size_t{0};
		return Err(fmt::format("receiving the answer over TLS: {}", tls_error_text(r)));
	}
}

bool TlsStream::still_open() {
	Impl& s = *impl_;
	if (!s.ready)
		return false;
	for (;;) {
		unsigned char b;
		int r = mbedtls_ssl_read(&s.ssl, &b, 1);
		if (r == MBEDTLS_ERR_SSL_WANT_READ || r == MBEDTLS_ERR_SSL_WANT_WRITE)
			return true;
#ifdef MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET
		if (r == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET)
			continue;
#endif
		return false;
	}
}

bool TlsStream::refused_certificate() const {
	return impl_->refused;
}

void TlsStream::close_notify() {
	if (impl_->ready)
		mbedtls_ssl_close_notify(&impl_->ssl); // one try: WANT_WRITE just means it was not sent
	impl_->ready = false;
}

} // namespace serversan::agent
