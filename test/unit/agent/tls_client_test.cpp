// HttpClient over TLS against the test-only mbedTLS server (tls_test_server.h): which servers it
// trusts (CA file, system store, pin, host name), keep-alive and resumption, time-outs, and the
// trust-anchor trimming that keeps the CA bundle out of the agent's resident memory.
#include <arpa/inet.h>
#include <fcntl.h>
#include <fstream>
#include <iterator>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>
#include <mbedtls/x509_crt.h>

#include "serversan/agent/http_client.h"
#include "serversan/agent/tls_stream.h"
#include "tls_test_server.h"

using namespace serversan;
using namespace serversan::agent;
using serversan::test::http_ok_json;
using serversan::test::TestCerts;
using serversan::test::TlsTestServer;

namespace {

const TestCerts* certs_or_skip() {
	std::string why;
	const TestCerts* c = serversan::test::test_certs(&why);
	return c;
}

#define REQUIRE_CERTS()                                                                                      \
	const TestCerts* certs = certs_or_skip();                                                                \
	if (!certs)                                                                                              \
	GTEST_SKIP() << "no test certificates (openssl missing)"

TlsTestServer::Reply ok() {
	return {http_ok_json(R"({"accepted":1})")};
}

HttpRequest post(std::string body = "{}") {
	return HttpRequest{"POST", "/api/v1/reports", {{"Content-Type", "application/json"}}, std::move(body)};
}

HttpClient::Options options(TlsSettings tls, int timeout_ms = 3000) {
	HttpClient::Options o;
	o.timeout = std::chrono::milliseconds(timeout_ms);
	o.tls = std::move(tls);
	return o;
}

Url https(std::string host, uint16_t port) {
	Url u;
	u.host = std::move(host);
	u.port = port;
	u.tls = true;
	return u;
}

Result<HttpResponse> send_once(const Url& url, const HttpClient::Options& o) {
	auto client = HttpClient::create(url, o);
	if (!client)
		return client.error();
	return (*client)->send(post());
}

void expect_refused(const Result<HttpResponse>& r, std::string_view why) {
	ASSERT_FALSE(r.ok()) << "expected a refusal mentioning \"" << why << "\"";
	EXPECT_NE(r.error().message.find(why), std::string::npos) << r.error().message;
}

// A connected non-blocking socket to 127.0.0.1:port (for TlsStream-level tests).
int connect_to(uint16_t port) {
	int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	sockaddr_in addr{};
	addr.sin_family = AF_INET;
	addr.sin_port = htons(port);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
	::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

std::string read_file(const std::string& path) {
	std::ifstream in(path, std::ios::binary);
	return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_file(const std::string& path, std::string_view data) {
	std::ofstream(path, std::ios::binary | std::ios::trunc).write(data.data(), std::streamsize(data.size()));
}

} // namespace

TEST(TlsClient, ValidCaIsAcceptedByIpAndByName) {
	REQUIRE_CERTS();
	TlsTestServer server(certs->server_cert, certs->server_key, [](const std::string&) { return ok(); });
	auto o = options({certs->ca, ""});
	auto r = send_once(https("127.0.0.1", server.port()), o);
	ASSERT_TRUE(r.ok()) << r.error().message;
	EXPECT_EQ(r->status, 200);
	r = send_once(https("localhost", server.port()), o);
	ASSERT_TRUE(r.ok()) << r.error().message;
	auto requests = server.requests();
	ASSERT_EQ(requests.size(), 2u);
	EXPECT_TRUE(requests[0].starts_with("POST /api/v1/reports HTTP/1.1\r\n")) << requests[0];
}

TEST(TlsClient, KeepAliveUsesOneConnectionAndOneHandshake) {
	REQUIRE_CERTS();
	TlsTestServer server(certs->server_cert, certs->server_key, [](const std::string&) { return ok(); });
	auto client = HttpClient::create(https("127.0.0.1", server.port()), options({certs->ca, ""}));
	ASSERT_TRUE(client.ok()) << client.error().message;
	for (int i = 0; i < 3; ++i) {
		auto r = (*client)->send(post());
		ASSERT_TRUE(r.ok()) << r.error().message;
		EXPECT_EQ((*client)->last_send_reused_connection(), i > 0);
	}
	EXPECT_EQ(server.connections(), 1);
	EXPECT_EQ(server.handshakes(), 1);
}

TEST(TlsClient, ReconnectResumesTheSession) {
	REQUIRE_CERTS();
	TlsTestServer server(certs->server_cert, certs->server_key, [](const std::string&) {
		auto r = ok();
		r.close_after = true;
		return r;
	});
	auto client = HttpClient::create(https("127.0.0.1", server.port()), options({certs->ca, ""}));
	ASSERT_TRUE(client.ok()) << client.error().message;
	for (int i = 0; i < 3; ++i) {
		auto r = (*client)->send(post());
		ASSERT_TRUE(r.ok()) << r.error().message;
		std::this_thread::sleep_for(std::chrono::milliseconds(20)); // let the close arrive
	}
	EXPECT_EQ(server.connections(), 3);
	TlsContext* ctx = (*client)->tls_context();
	ASSERT_NE(ctx, nullptr);
	EXPECT_EQ(ctx->full_handshakes(), 1u);
	EXPECT_EQ(ctx->resumed_handshakes(), 2u);
}

TEST(TlsClient, WrongCaIsRefused) {
	REQUIRE_CERTS();
	TlsTestServer server(certs->server_cert, certs->server_key, [](const std::string&) { return ok(); });
	expect_refused(send_once(https("127.0.0.1", server.port()), options({certs->other_ca, ""})),
	               "not signed by a trusted CA");
	EXPECT_TRUE(server.requests().empty());
}

TEST(TlsClient, SystemStoreRefusesAPrivateCa) {
	REQUIRE_CERTS();
	if (find_ca_bundle(default_ca_bundles()).empty())
		GTEST_SKIP() << "no system CA bundle on this machine";
	TlsTestServer server(certs->server_cert, certs->server_key, [](const std::string&) { return ok(); });
	auto client = HttpClient::create(https("127.0.0.1", server.port()), options({}));
	ASSERT_TRUE(client.ok()) << client.error().message;
	EXPECT_NE((*client)->tls_context()->describe().find("CA file /"), std::string::npos);
	expect_refused((*client)->send(post()), "not signed by a trusted CA");
	EXPECT_EQ((*client)->tls_context()->anchors_held(), 0u); // nothing of the bundle is kept
}

TEST(TlsClient, PinnedSelfSignedCertificateIsAccepted) {
	REQUIRE_CERTS();
	TlsTestServer server(certs->self_signed_cert, certs->self_signed_key,
	                     [](const std::string&) { return ok(); });
	// As openssl prints it: uppercase, colon-separated.
	std::string pin;
	for (size_t i = 0; i < certs->self_signed_pin.size(); i += 2) {
		if (i)
			pin += ':';
		pin += static_cast<char>(std::toupper(certs->self_signed_pin[i]));
		pin += static_cast<char>(std::toupper(certs->self_signed_pin[i + 1]));
	}
	auto r = send_once(https("127.0.0.1", server.port()), options({"", pin}));
	ASSERT_TRUE(r.ok()) << r.error().message;
	EXPECT_EQ(r->status, 200);
}

TEST(TlsClient, PinMismatchIsRefused) {
	REQUIRE_CERTS();
	TlsTestServer server(certs->self_signed_cert, certs->self_signed_key,
	                     [](const std::string&) { return ok(); });
	expect_refused(send_once(https("127.0.0.1", server.port()), options({"", certs->server_pin})),
	               "does not match tls.pin_sha256");
	EXPECT_TRUE(server.requests().empty());
}

TEST(TlsClient, PinAndCaMustBothHold) {
	REQUIRE_CERTS();
	TlsTestServer server(certs->server_cert, certs->server_key, [](const std::string&) { return ok(); });
	auto r = send_once(https("127.0.0.1", server.port()), options({certs->ca, certs->server_pin}));
	ASSERT_TRUE(r.ok()) << r.error().message;
	expect_refused(send_once(https("127.0.0.1", server.port()), options({certs->ca, certs->self_signed_pin})),
	               "does not match");
}

TEST(TlsClient, SelfSignedWithoutPinIsRefused) {
	REQUIRE_CERTS();
	TlsTestServer server(certs->self_signed_cert, certs->self_signed_key,
	                     [](const std::string&) { return ok(); });
	expect_refused(send_once(https("127.0.0.1", server.port()), options({certs->ca, ""})),
	               "not signed by a trusted CA");
}

TEST(TlsClient, HostNameMismatchIsRefused) {
	REQUIRE_CERTS();
	TlsTestServer server(certs->wrong_name_cert, certs->wrong_name_key,
	                     [](const std::string&) { return ok(); });
	// By IP: this file's own SAN check (mbedTLS 2.28 checks names only).
	expect_refused(send_once(https("127.0.0.1", server.port()), options({certs->ca, ""})),
	               "not valid for the name \"127.0.0.1\"");
	// By name: mbedTLS's check.
	expect_refused(send_once(https("localhost", server.port()), options({certs->ca, ""})),
	               "not valid for the name \"localhost\"");
	EXPECT_TRUE(server.requests().empty());
}

TEST(TlsClient, HandshakeTimesOut) {
	REQUIRE_CERTS();
	TlsTestServer server(
	    certs->server_cert, certs->server_key, [](const std::string&) { return ok(); },
	    TlsTestServer::Mode::no_handshake);
	auto start = std::chrono::steady_clock::now();
	expect_refused(send_once(https("127.0.0.1", server.port()), options({certs->ca, ""}, 200)),
	               "TLS handshake: timed out");
	EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(TlsClient, AnswerTimesOut) {
	REQUIRE_CERTS();
	TlsTestServer server(certs->server_cert, certs->server_key, [](const std::string&) {
		TlsTestServer::Reply r;
		r.hang = true;
		return r;
	});
	auto start = std::chrono::steady_clock::now();
	expect_refused(send_once(https("127.0.0.1", server.port()), options({certs->ca, ""}, 200)),
	               "waiting for the answer: timed out");
	EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(TlsClient, StopRequestEndsAHandshakeAtOnce) {
	REQUIRE_CERTS();
	TlsTestServer server(
	    certs->server_cert, certs->server_key, [](const std::string&) { return ok(); },
	    TlsTestServer::Mode::no_handshake);
	int fds[2];
	ASSERT_EQ(::pipe(fds), 0);
	auto o = options({certs->ca, ""}, 30000);
	o.cancel_fd = fds[0];
	std::thread canceller([&] {
		std::this_thread::sleep_for(std::chrono::milliseconds(100));
		char c = 1;
		EXPECT_EQ(::write(fds[1], &c, 1), 1);
	});
	auto start = std::chrono::steady_clock::now();
	expect_refused(send_once(https("127.0.0.1", server.port()), o), "interrupted");
	EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
	canceller.join();
	::close(fds[0]);
	::close(fds[1]);
}

TEST(TlsClient, PlainHttpServerIsNotMistakenForTls) {
	REQUIRE_CERTS();
	// A listener that answers plain text to whatever arrives.
	int lfd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	sockaddr_in addr{};
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ASSERT_EQ(::bind(lfd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
	ASSERT_EQ(::listen(lfd, 4), 0);
	socklen_t len = sizeof addr;
	::getsockname(lfd, reinterpret_cast<sockaddr*>(&addr), &len);
	std::thread plain([lfd] {
		int fd = ::accept(lfd, nullptr, nullptr);
		char buf[512];
		[[maybe_unused]] ssize_t n = ::recv(fd, buf, sizeof buf, 0);
		std::string answer = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
		n = ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
		::close(fd);
	});
	auto r = send_once(https("127.0.0.1", ntohs(addr.sin_port)), options({certs->ca, ""}));
	plain.join();
	::close(lfd);
	ASSERT_FALSE(r.ok());
	EXPECT_NE(r.error().message.find("TLS handshake"), std::string::npos) << r.error().message;
}

TEST(TlsClient, BadSettingsFailAtCreation) {
	REQUIRE_CERTS();
	auto url = https("127.0.0.1", 443);
	auto missing = HttpClient::create(url, options({certs->dir + "/no-such.pem", ""}));
	ASSERT_FALSE(missing.ok());
	EXPECT_NE(missing.error().message.find("cannot read CA certificates"), std::string::npos);
	auto bad_pin = HttpClient::create(url, options({"", "abcd"}));
	ASSERT_FALSE(bad_pin.ok());
	EXPECT_NE(bad_pin.error().message.find("64 hex digits"), std::string::npos);
}

TEST(TlsTrust, OnlyTheAnchorsOfTheServerAreKeptAndANewCaIsFound) {
	REQUIRE_CERTS();
	TlsTestServer first(certs->server_cert, certs->server_key, [](const std::string&) { return ok(); });
	TlsTestServer second(certs->other_server_cert, certs->other_server_key,
	                     [](const std::string&) { return ok(); });
	auto ctx = TlsContext::create({certs->both_cas, ""});
	ASSERT_TRUE(ctx.ok()) << ctx.error().message;
	EXPECT_EQ((*ctx)->anchors_held(), 0u); // the bundle was read, not kept
	auto deadline = [] { return std::chrono::steady_clock::now() + std::chrono::seconds(3); };
	auto handshake = [&](uint16_t port) {
		int fd = connect_to(port);
		TlsStream s(**ctx);
		auto r = s.handshake(fd, "127.0.0.1", "test", deadline(), -1);
		::close(fd);
		return r;
	};

	auto r = handshake(first.port());
	ASSERT_TRUE(r.ok()) << r.error().message;
	EXPECT_EQ((*ctx)->anchors_held(), 1u); // the CA that signed first's certificate
	// second's CA is not the one kept: the bundle is read again, and it is found there.
	r = handshake(second.port());
	ASSERT_TRUE(r.ok()) << r.error().message;
	EXPECT_EQ((*ctx)->anchors_held(), 1u);
	EXPECT_EQ((*ctx)->full_handshakes(), 2u);
}

TEST(TlsTrust, HttpClientFollowsAServerThatChangedCa) {
	REQUIRE_CERTS();
	TlsTestServer server(certs->other_server_cert, certs->other_server_key,
	                     [](const std::string&) { return ok(); });
	TlsTestServer before(certs->server_cert, certs->server_key, [](const std::string&) { return ok(); });
	// The context first verified `before` (signed by the test CA), then serves a client of
	// `server` (signed by the other CA), as after a certificate change.
	auto ctx = TlsContext::create({certs->both_cas, ""});
	ASSERT_TRUE(ctx.ok());
	int fd = connect_to(before.port());
	{
		TlsStream s(**ctx);
		ASSERT_TRUE(s.handshake(fd, "127.0.0.1", "before",
		                        std::chrono::steady_clock::now() + std::chrono::seconds(3), -1)
		                .ok());
	}
	::close(fd);
	HttpClient client(https("127.0.0.1", server.port()), options({certs->both_cas, ""}), std::move(*ctx));
	auto sent = client.send(post());
	ASSERT_TRUE(sent.ok()) << sent.error().message;
	EXPECT_EQ(server.connections(), 1);
}

// The CA file is scanned without mbedTLS's parser (only the certificates that can anchor the
// server's chain are parsed): DER, CRLF line ends and blocks that are not certificates, or not
// valid ones, must be read as mbedTLS would.
TEST(TlsTrust, CaFileInDerOrAmongOtherPemBlocks) {
	REQUIRE_CERTS();
	TlsTestServer server(certs->server_cert, certs->server_key, [](const std::string&) { return ok(); });
	auto url = https("127.0.0.1", server.port());

	mbedtls_x509_crt ca;
	mbedtls_x509_crt_init(&ca);
	ASSERT_EQ(mbedtls_x509_crt_parse_file(&ca, certs->ca.c_str()), 0);
	const std::string der = certs->dir + "/ca.der";
	write_file(der, std::string_view(reinterpret_cast<const char*>(ca.raw.p), ca.raw.len));
	mbedtls_x509_crt_free(&ca);
	auto sent = send_once(url, options({der, ""}));
	EXPECT_TRUE(sent.ok()) << sent.error().message;

	std::string junk = read_file(certs->server_key) + // a key: skipped
	                   "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n" +
	                   "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"; // not DER
	std::string crlf;
	for (char c : read_file(certs->ca)) {
		if (c == '\n')
			crlf += '\r';
		crlf += c;
	}
	const std::string mixed = certs->dir + "/mixed.pem";
	write_file(mixed, junk + read_file(certs->other_ca) + crlf);
	sent = send_once(url, options({mixed, ""}));
	EXPECT_TRUE(sent.ok()) << sent.error().message;

	const std::string none = certs->dir + "/none.pem";
	write_file(none, junk);
	auto refused = HttpClient::create(url, options({none, ""}));
	ASSERT_FALSE(refused.ok());
	EXPECT_NE(refused.error().message.find("no certificate in it"), std::string::npos)
	    << refused.error().message;
	EXPECT_EQ(server.connections(), 2);
}

TEST(TlsTrust, PinParsing) {
	auto p = parse_pin_sha256(std::string(64, 'a'));
	ASSERT_TRUE(p.ok());
	EXPECT_EQ((*p)[0], 0xaa);
	EXPECT_TRUE(parse_pin_sha256("AB:" + std::string(62, '0')).ok());
	EXPECT_FALSE(parse_pin_sha256("").ok());
	EXPECT_FALSE(parse_pin_sha256(std::string(63, 'a')).ok());
	EXPECT_FALSE(parse_pin_sha256(std::string(64, 'g')).ok());
	EXPECT_FALSE(parse_pin_sha256("sha256//AAAA").ok());
}

TEST(TlsTrust, FindCaBundleTakesTheFirstReadableFile) {
	REQUIRE_CERTS();
	EXPECT_EQ(find_ca_bundle({"/nonexistent/a.pem", certs->ca, certs->other_ca}), certs->ca);
	EXPECT_EQ(find_ca_bundle({"/nonexistent/a.pem", certs->dir}), ""); // a directory is not a bundle
}
