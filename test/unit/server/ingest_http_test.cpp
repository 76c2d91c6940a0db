// The real HTTP front over loopback: a raw-socket client (OpenSSL for TLS, no Asio, so this TU
// stays cheap to compile) against HttpServer + IngestService + Writer + the SQLite store.
// Covers TLS with a certificate made at test time, the time-outs (slowloris, slow body), the
// connection caps, X-Forwarded-For from trusted and untrusted peers, /metrics access, Expect:
// 100-continue and the status of every header-level refusal.
#include <arpa/inet.h>
#include <chrono>
#include <fstream>
#include <map>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "serversan/core/clock.h"
#include "serversan/server/ingest/http_listener.h"
#include "serversan/server/ingest/ingest_server.h"
#include "serversan/server/store/store.h"
#include "test/unit/server/http_test_fixture.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::ingest;
using namespace serversan::testing;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {} // namespace

TEST_F(HttpTest, SignedReportOverPlainHttpThenReplayAndKeepAlive) {
	start(options());
	Conn c(port);
	ASSERT_TRUE(c.connected());
	SignedPost p = valid(1);
	HttpAnswer a = c.roundtrip(request_text(p));
	ASSERT_EQ(a.status, 200) << a.body;
	EXPECT_NE(a.body.find(R"("accepted":1)"), std::string::npos) << a.body;
	EXPECT_EQ(a.headers["content-type"], "application/json");
	EXPECT_EQ(a.headers["x-serversan-time"], std::to_string(clock.unix_millis()));
	EXPECT_FALSE(a.headers["date"].empty());
	a = c.roundtrip(request_text(valid(2)));
	EXPECT_EQ(a.status, 200) << a.body;
	// Same connection: the identical request is a replay, and a 401 closes the connection.
	a = c.roundtrip(request_text(p));
	EXPECT_EQ(a.status, 401);
	EXPECT_EQ(a.body, R"({"error":"unauthorized"})");
	EXPECT_EQ(a.headers["connection"], "close");
	EXPECT_TRUE(c.closed_within(2s));
	Conn c2(port);
	a = c2.roundtrip(get_text("/healthz"));
	EXPECT_EQ(a.status, 200);
	EXPECT_EQ(a.body, "ok\n");
	EXPECT_EQ(stored(), 2u);
}

TEST_F(HttpTest, HeaderLevelRefusalsAnswerWithoutReadingTheBody) {
	start(options());
	auto one = [&](const std::string& text) {
		Conn c(port);
		return c.roundtrip(text);
	};
	SignedPost p = valid(1);
	SignedPost wrong_type = p;
	wrong_type.content_type = "text/plain";
	EXPECT_EQ(one(request_text(wrong_type)).status, 415);
	SignedPost wrong_path = p;
	wrong_path.target = "/api/v1/other";
	EXPECT_EQ(one(request_text(wrong_path)).status, 404);
	EXPECT_EQ(one(get_text("/api/v1/reports")).status, 405);
	// Chunked: no Content-Length.
	EXPECT_EQ(one(fmt::format("POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
	                          "Authorization: {}\r\nTransfer-Encoding: chunked\r\n\r\n",
	                          p.authorization))
	              .status,
	          411);
	// 2 MiB announced, nothing sent: 413 at once.
	HttpAnswer big =
	    one(fmt::format("POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
	                    "Authorization: {}\r\nContent-Length: {}\r\n\r\n",
	                    p.authorization, 2 << 20));
	EXPECT_EQ(big.status, 413);
	EXPECT_EQ(big.headers["connection"], "close");
	// Unknown server and bad signature: 401, both after the body (see UnauthorizedAnswersAreAlike).
	AgentToken stranger = generate_token(777);
	EXPECT_EQ(one(request_text(valid(1, &stranger))).status, 401);
	SignedPost flipped = valid(1);
	flipped.body[flipped.body.size() / 2] ^= 1;
	EXPECT_EQ(one(request_text(flipped)).status, 401);
	SignedPost malformed = sign_post(token, "{\"protocol\":1", clock.unix_seconds());
	HttpAnswer bad = one(request_text(malformed));
	EXPECT_EQ(bad.status, 400);
	EXPECT_NE(bad.body.find("\"reason\""), std::string::npos);
	// A header block over the cap: 431, with the usual refusal body (server time included).
	HttpAnswer head_too_large =
	    one(fmt::format("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: {}\r\n\r\n", std::string(9000, 'a')));
	EXPECT_EQ(head_too_large.status, 431);
	EXPECT_EQ(
	    head_too_large.body,
	    fmt::format(R"({{"error":"header_too_large","reason":"header block too large","server_time_ms":{}}})",
	                clock.unix_millis()));
	EXPECT_EQ(one("BLAH\r\n\r\n").status, 400);
	EXPECT_EQ(stored(), 0u);
	EXPECT_GE(server->metrics().rejections("unsupported_media_type"), 1u);
	EXPECT_GE(server->metrics().rejections("length_required"), 1u);
	EXPECT_GE(server->metrics().rejections("too_large"), 1u);
}

TEST_F(HttpTest, Expect100ContinueAsksForTheBodyOnlyWhenTheHeadersPass) {
	start(options());
	SignedPost p = valid(1);
	std::string text = request_text(p, "Expect: 100-continue\r\n");
	std::string head = text.substr(0, text.size() - p.body.size());
	Conn c(port);
	ASSERT_TRUE(c.send(head));
	HttpAnswer interim = c.read_answer();
	EXPECT_EQ(interim.status, 100);
	ASSERT_TRUE(c.send(p.body));
	EXPECT_EQ(c.read_answer().status, 200);

	// An unknown server id is asked for its body like a known one (and then refused like a bad
	// MAC): the interim answer does not tell which server ids exist.
	AgentToken stranger = generate_token(777);
	SignedPost q = valid(1, &stranger);
	std::string t2 = request_text(q, "Expect: 100-continue\r\n");
	Conn d(port);
	ASSERT_TRUE(d.send(t2.substr(0, t2.size() - q.body.size())));
	EXPECT_EQ(d.read_answer().status, 100);
	ASSERT_TRUE(d.send(q.body));
	EXPECT_EQ(d.read_answer().status, 401);
	// A refusal that needs no secret (wrong type) is still final at once.
	SignedPost r = valid(2);
	r.content_type = "text/plain";
	std::string t3 = request_text(r, "Expect: 100-continue\r\n");
	Conn e(port);
	ASSERT_TRUE(e.send(t3.substr(0, t3.size() - r.body.size())));
	EXPECT_EQ(e.read_answer().status, 415);
	EXPECT_EQ(stored(), 1u);
}

// Issue 18: every 401 is the same answer on the wire, whatever the reason, and closes the
// connection: a caller cannot tell an unknown server id from a bad signature.
TEST_F(HttpTest, UnauthorizedAnswersAreAlikeByteForByteAndAllClose) {
	start(options());
	const int64_t now = clock.unix_seconds();
	SignedPost good = valid(1);
	auto without_auth = [](std::string text) {
		size_t at = text.find("Authorization: ");
		return text.erase(at, text.find("\r\n", at) + 2 - at);
	};
	AgentToken stranger = generate_token(777);
	SignedPost flipped = valid(2);
	flipped.body[flipped.body.size() / 2] ^= 1;
	SignedPost bad_scheme = valid(3);
	bad_scheme.authorization = "Bearer " + bad_scheme.authorization.substr(16);
	std::string body = encode_batch(sample_batch(4, 1, clock.unix_millis()));
	std::vector<std::pair<std::string, std::string>> cases = {
	    {"unknown server", request_text(valid(1, &stranger))},
	    {"bad MAC", request_text(flipped)},
	    {"malformed Authorization", request_text(bad_scheme)},
	    {"missing Authorization", without_auth(request_text(valid(5)))},
	    {"stale timestamp", request_text(sign_post(token, body, now - 301))},
	    {"future timestamp", request_text(sign_post(token, body, now + 301))},
	    {"signed before the server started", request_text(sign_post(token, body, now - 2))},
	};
	{
		Conn first(port);
		ASSERT_EQ(first.roundtrip(request_text(good)).status, 200);
	}
	cases.emplace_back("replayed nonce", request_text(good));
	auto masked = [](std::string raw) {
		for (std::string name : {"\r\nDate: ", "\r\nX-ServerSan-Time: "}) {
			size_t at = raw.find(name);
			if (at != std::string::npos)
				raw.replace(at + name.size(), raw.find("\r\n", at + 2) - at - name.size(), "*");
		}
		return raw;
	};
	std::string expected;
	for (const auto& [name, text] : cases) {
		SCOPED_TRACE(name);
		Conn c(port);
		ASSERT_TRUE(c.send(text));
		HttpAnswer a = c.read_answer();
		ASSERT_EQ(a.status, 401) << a.body;
		if (expected.empty())
			expected = masked(a.raw);
		EXPECT_EQ(masked(a.raw), expected);
		// Closed after the answer: the next read sees the end of the stream.
		EXPECT_TRUE(c.closed_within(2s));
	}
	EXPECT_EQ(expected, "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nServer: serversan\r\n"
	                    "Date: *\r\nX-ServerSan-Time: *\r\nConnection: close\r\nContent-Length: 24\r\n\r\n"
	                    "{\"error\":\"unauthorized\"}");
	for (const char* reason : {"unknown_server", "bad_signature", "malformed_authorization",
	                           "stale_timestamp", "signed_before_start", "replayed_nonce"})
		EXPECT_GE(server->metrics().rejections(reason), 1u) << reason;
	EXPECT_EQ(stored(), 1u);
}

TEST_F(HttpTest, TlsWithATestCertificate) {
	std::string cert = dir.file("cert.pem"), key = dir.file("key.pem");
	make_certificate(cert, key);
	Options o = options();
	o.http.tls_cert = cert;
	o.http.tls_key = key;
	o.http.header_timeout = 1s;
	start(o);
	EXPECT_TRUE(server->tls());
	Conn c(port, cert);
	ASSERT_TRUE(c.handshake_ok());
	SignedPost p = valid(1);
	HttpAnswer a = c.roundtrip(request_text(p));
	ASSERT_EQ(a.status, 200) << a.body;
	EXPECT_EQ(c.roundtrip(request_text(valid(2))).status, 200);
	EXPECT_EQ(c.roundtrip(request_text(p)).status, 401); // replay
	EXPECT_EQ(stored(), 2u);
	// Plain HTTP to the TLS port gets no HTTP answer, and counts as a failed handshake.
	Conn plain(port);
	HttpAnswer none = plain.roundtrip(get_text("/healthz"));
	EXPECT_EQ(none.status, 0);
	// A client that connects and never says hello is closed by the header deadline.
	Conn silent(port);
	auto t0 = steady::now();
	EXPECT_TRUE(silent.closed_within(3s));
	EXPECT_LT(steady::now() - t0, 2500ms);
	for (int i = 0; i < 100 && server->metrics().tls_handshake_failures.load() < 2; ++i)
		std::this_thread::sleep_for(10ms); // the timer closes the socket before the handler counts
	EXPECT_EQ(server->metrics().tls_handshake_failures.load(), 2u);
}

TEST_F(HttpTest, TlsStartFailsClearlyOnBadFiles) {
	std::string cert = dir.file("cert.pem"), key = dir.file("key.pem");
	make_certificate(cert, key);
	std::string other_cert = dir.file("other.pem"), other_key = dir.file("other-key.pem");
	make_certificate(other_cert, other_key);
	Options o = options();
	o.http.tls_cert = cert;
	o.http.tls_key = other_key;
	IngestServer mismatched(*store, clock, o);
	auto r = mismatched.start();
	ASSERT_FALSE(r.ok());
	EXPECT_NE(r.error().message.find("mismatch"), std::string::npos) << r.error().message;
	EXPECT_NE(r.error().message.find("other-key.pem"), std::string::npos) << r.error().message;
	o.http.tls_key = dir.file("missing.pem");
	IngestServer missing(*store, clock, o);
	r = missing.start();
	ASSERT_FALSE(r.ok());
	EXPECT_NE(r.error().message.find("missing.pem"), std::string::npos) << r.error().message;
	o.http.tls_key.clear();
	IngestServer half(*store, clock, o);
	EXPECT_FALSE(half.start().ok());
}

TEST_F(HttpTest, SlowHeadersAndSlowBodiesAreCut) {
	Options o = options();
	o.http.header_timeout = 600ms;
	o.http.body_idle_timeout = 400ms;
	o.http.idle_timeout = 5s;
	start(o);
	// Slowloris: a header line every 100 ms never completes the block within the deadline.
	Conn slow(port);
	auto t0 = steady::now();
	ASSERT_TRUE(slow.send("POST /api/v1/reports HTTP/1.1\r\n"));
	bool closed = false;
	for (int i = 0; i < 30 && !closed; ++i) {
		if (!slow.send(fmt::format("X-Slow-{}: a\r\n", i)))
			closed = true;
		else
			closed = slow.closed_within(100ms);
	}
	EXPECT_TRUE(closed);
	auto took = steady::now() - t0;
	EXPECT_GE(took, 500ms);
	EXPECT_LT(took, 1500ms);

	// The same trickle on a kept-alive connection: the header deadline runs from the first byte
	// of the next request, not the (longer) idle limit.
	Conn kept(port);
	ASSERT_EQ(kept.roundtrip(get_text("/healthz")).status, 200);
	std::this_thread::sleep_for(800ms); // idle, longer than the header limit: still open
	t0 = steady::now();
	ASSERT_TRUE(kept.send("GET /healthz HTTP/1.1\r\n"));
	EXPECT_TRUE(kept.closed_within(2s));
	EXPECT_LT(steady::now() - t0, 1500ms);

	// Slow body: the headers pass, then the body stops.
	SignedPost p = valid(1);
	std::string text = request_text(p);
	Conn body(port);
	ASSERT_TRUE(body.send(text.substr(0, text.size() - p.body.size() + 10)));
	t0 = steady::now();
	EXPECT_TRUE(body.closed_within(2s));
	EXPECT_LT(steady::now() - t0, 1200ms);
	// Beast closes the socket when the timer fires, before our handler counts the time-out.
	for (int i = 0; i < 100 && server->metrics().timeouts.load() < 3; ++i)
		std::this_thread::sleep_for(10ms);
	EXPECT_EQ(server->metrics().timeouts.load(), 3u);
	EXPECT_EQ(stored(), 0u);
}

TEST_F(HttpTest, ConnectionCapsRefuseAtAccept) {
	Options o = options();
	o.http.max_connections = 3;
	start(o);
	std::vector<std::unique_ptr<Conn>> open;
	for (int i = 0; i < 3; ++i) {
		open.push_back(std::make_unique<Conn>(port));
		ASSERT_EQ(open.back()->roundtrip(get_text("/healthz")).status, 200);
	}
	Conn extra(port);
	EXPECT_TRUE(extra.closed_within(2s));
	EXPECT_EQ(server->metrics().refused_max_connections.load(), 1u);
	open.pop_back(); // one leaves: room again
	for (int i = 0; i < 50; ++i) {
		if (server->metrics().connections_open.load() < 3)
			break;
		std::this_thread::sleep_for(10ms);
	}
	Conn again(port);
	EXPECT_EQ(again.roundtrip(get_text("/healthz")).status, 200);
}

TEST_F(HttpTest, PerAddressConnectionCapExemptsTrustedProxies) {
	Options o = options();
	o.http.max_connections_per_ip = 2;
	start(o);
	Conn a(port), b(port);
	ASSERT_EQ(a.roundtrip(get_text("/healthz")).status, 200);
	ASSERT_EQ(b.roundtrip(get_text("/healthz")).status, 200);
	Conn c(port);
	EXPECT_TRUE(c.closed_within(2s));
	EXPECT_EQ(server->metrics().refused_max_per_ip.load(), 1u);
	server->stop();

	Options p = options();
	p.http.max_connections_per_ip = 2;
	p.http.trusted_proxies = *CidrList::parse("127.0.0.1");
	start(p);
	std::vector<std::unique_ptr<Conn>> many;
	for (int i = 0; i < 5; ++i) {
		many.push_back(std::make_unique<Conn>(port));
		EXPECT_EQ(many.back()->roundtrip(get_text("/healthz")).status, 200) << i;
	}
}

TEST_F(HttpTest, ForwardedForCountsOnlyBehindTrustedProxies) {
	auto unsigned_post = [](const std::string& xff) {
		return fmt::format("POST /api/v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
		                   "Authorization: none\r\nX-Forwarded-For: {}\r\nContent-Length: 2\r\n\r\n{{}}",
		                   xff);
	};
	Options o = options();
	o.service.per_ip = {0.01, 1}; // one request per address, then 429 for 100 s
	o.http.trusted_proxies = *CidrList::parse("127.0.0.1/32");
	start(o);
	auto status = [&](const std::string& xff) {
		Conn c(port);
		HttpAnswer a = c.roundtrip(unsigned_post(xff));
		return std::make_pair(a.status, a.headers["retry-after"]);
	};
	EXPECT_EQ(status("203.0.113.7").first, 401);
	auto limited = status("6.6.6.6, 203.0.113.7"); // a lie on the left changes nothing
	EXPECT_EQ(limited.first, 429);
	EXPECT_EQ(limited.second, "100");
	EXPECT_EQ(status("203.0.113.8").first, 401); // another client behind the same proxy
	server->stop();

	// Not trusted: the header is ignored, every request is 127.0.0.1's.
	Options u = options();
	u.service.per_ip = {0.01, 1};
	start(u);
	EXPECT_EQ(status("203.0.113.7").first, 401);
	EXPECT_EQ(status("203.0.113.9").first, 429);
}

TEST_F(HttpTest, MetricsOnlyForAllowedClients) {
	Options o = options();
	o.http.trusted_proxies = *CidrList::parse("127.0.0.1");
	start(o);
	Conn c(port);
	ASSERT_EQ(c.roundtrip(request_text(valid(1))).status, 200);
	HttpAnswer m = c.roundtrip(get_text("/metrics"));
	ASSERT_EQ(m.status, 200);
	EXPECT_EQ(m.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
	for (const char* needle :
	     {"serversan_ingest_requests_total 1\n", "serversan_ingest_reports_total{outcome=\"accepted\"} 1\n",
	      "serversan_ingest_request_duration_seconds_count 1\n", "serversan_ingest_writer_queue_reports 0\n",
	      "serversan_ingest_writer_group_batches_count 1\n", "serversan_http_connections_open 1\n",
	      "serversan_bot_queue_length 0\n", "serversan_store_size_bytes ",
	      "serversan_ingest_limit{name=\"rate_per_ip\"} 20\n"})
		EXPECT_NE(m.body.find(needle), std::string::npos) << needle << "\n" << m.body;
	// Relayed by the (local, trusted) proxy for an internet client: not loopback any more.
	EXPECT_EQ(c.roundtrip(get_text("/metrics", "X-Forwarded-For: 198.51.100.4\r\n")).status, 404);
	server->stop();

	Options off = options();
	off.http.metrics_allow = CidrList{};
	start(off);
	Conn d(port);
	EXPECT_EQ(d.roundtrip(get_text("/metrics")).status, 404);
}

TEST_F(HttpTest, PerServerLimitAndAuthBlockOverHttp) {
	Options o = options();
	o.service.per_server = {0.5, 1};
	o.service.auth_block.max_failures = 3;
	start(o);
	Conn c(port);
	EXPECT_EQ(c.roundtrip(request_text(valid(1))).status, 200);
	HttpAnswer limited = c.roundtrip(request_text(valid(2)));
	EXPECT_EQ(limited.status, 429);
	EXPECT_EQ(limited.headers["retry-after"], "2");
	AgentToken stranger = generate_token(4242);
	for (int i = 0; i < 3; ++i) {
		Conn f(port);
		EXPECT_EQ(f.roundtrip(request_text(valid(1, &stranger))).status, 401);
	}
	Conn blocked(port);
	HttpAnswer b = blocked.roundtrip(request_text(valid(2)));
	EXPECT_EQ(b.status, 429);
	EXPECT_EQ(b.headers["retry-after"], "300");
	EXPECT_EQ(stored(), 1u);
}

TEST_F(HttpTest, StopAnswersRequestsWaitingForTheWriter) {
	Options o = options();
	o.service.per_ip = {0, 1}; // many requests from 127.0.0.1 on a frozen clock
	o.service.per_server = {0, 1};
	start(o);
	std::vector<std::thread> clients;
	std::atomic<int> answered{0};
	std::vector<AgentToken> tokens;
	for (int i = 0; i < 8; ++i)
		tokens.push_back(add_server(fmt::format("h{}", i)));
	for (int i = 0; i < 8; ++i)
		clients.emplace_back([&, i] {
			Conn c(port);
			for (uint64_t seq = 1; seq <= 1000; ++seq) {
				HttpAnswer a = c.roundtrip(request_text(valid(seq, &tokens[static_cast<size_t>(i)])));
				if (a.status == 0)
					return;
				if (a.status == 200)
					++answered;
			}
		});
	std::this_thread::sleep_for(100ms); // stop in the middle of the traffic
	server->stop();
	for (auto& t : clients)
		t.join();
	// Every report committed got its 200 before the listener stopped, and nothing else is stored.
	uint64_t total = 0;
	for (const auto& t : tokens)
		total += store->count_samples(t.server_id).value();
	EXPECT_EQ(total, static_cast<uint64_t>(answered.load()));
	EXPECT_GT(total, 0u);
	EXPECT_EQ(server->metrics().counters.reports_accepted.load(), total);
}

TEST_F(HttpTest, RoutesGetTheirBodyAndHeadersAndReportsStillWork) {
	Options o = options();
	auto routes = std::make_shared<Routes>();
	std::vector<std::string> seen;
	routes->add("POST", "/hook/abc",
	            [&seen](const RouteRequest& r) {
		            seen.push_back(std::string(r.header("x-telegram-bot-api-secret-token")) + "|" +
		                           std::string(r.body) + "|" + std::string(r.header("X-Other")));
		            return RouteResponse{r.header("X-Telegram-Bot-Api-Secret-Token") == "s" ? 200 : 401,
		                                 "application/json", "{}"};
	            },
	            {"X-Telegram-Bot-Api-Secret-Token"});
	o.http.routes = routes;
	start(o);
	Conn c(port);
	auto post = [](const std::string& path, const std::string& headers, const std::string& body) {
		return fmt::format("POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\n{}Content-Length: {}\r\n\r\n{}", path,
		                   headers, body.size(), body);
	};
	HttpAnswer a =
	    c.roundtrip(post("/hook/abc", "X-Telegram-Bot-Api-Secret-Token: s\r\nX-Other: 1\r\n", "{\"a\":1}"));
	EXPECT_EQ(a.status, 200);
	EXPECT_EQ(a.body, "{}");
	a = c.roundtrip(post("/hook/abc?x=1", "", "b")); // same connection: keep-alive
	EXPECT_EQ(a.status, 401);
	// A header only one request had is not carried over; headers no route named are not kept.
	EXPECT_EQ(seen, (std::vector<std::string>{"s|{\"a\":1}|", "|b|"}));
	// Another path is the ingest's as before; a report on the same connection is accepted.
	EXPECT_EQ(c.roundtrip(post("/hook/other", "", "x")).status, 404);
	Conn d(port);
	EXPECT_EQ(d.roundtrip(request_text(valid(1))).status, 200);
	EXPECT_EQ(stored(), 1u);
}
