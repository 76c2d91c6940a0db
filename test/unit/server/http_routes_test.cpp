// The listener's side of routes.h over loopback: exact and prefix routes and their precedence
// (the reports' path, /healthz, /metrics and the downloads stay the listener's), the query and the
// request headers a route asked for, response headers, HEAD through a GET route, and streamed
// answers (server-sent events written from another thread, the client leaving, a slow client
// dropped, stop() with streams open, the connection caps counting streams).
#include <condition_variable>
#include <mutex>
#include <thread>

#include <gtest/gtest.h>

#include "serversan/server/ingest/routes.h"
#include "test/unit/server/http_test_fixture.h"

using namespace serversan;
using namespace serversan::ingest;
using namespace serversan::testing;
using namespace std::chrono_literals;

namespace {

RouteResponse text(std::string body) {
	return RouteResponse{200, "text/plain", std::move(body)};
}

// A stream that hands its writer to the test thread.
class HeldStream final : public ResponseStream {
public:
	void start(std::shared_ptr<StreamWriter> writer) override {
		std::lock_guard lock(mu_);
		writer_ = std::move(writer);
		cv_.notify_all();
	}
	std::shared_ptr<StreamWriter> wait() {
		std::unique_lock lock(mu_);
		cv_.wait_for(lock, 5s, [&] { return writer_ != nullptr; });
		return writer_;
	}

private:
	std::mutex mu_;
	std::condition_variable cv_;
	std::shared_ptr<StreamWriter> writer_;
};

// Reads until `needle` has arrived (or 5 s); returns everything read.
std::string read_until(Conn& c, std::string_view needle, std::string got = {}) {
	auto end = std::chrono::steady_clock::now() + 5s;
	while (got.find(needle) == std::string::npos && std::chrono::steady_clock::now() < end) {
		std::string more = c.read_some(200ms);
		got += more;
	}
	return got;
}

class HttpRoutes : public HttpTest {
protected:
	// Starts the listener with `routes` and one SSE route at /events whose streams the test holds.
	void start_with(std::shared_ptr<Routes> routes, ingest::Options o) {
		routes->add("GET", "/events", [this](const RouteRequest&) {
			auto s = std::make_shared<HeldStream>();
			{
				std::lock_guard lock(mu);
				streams.push_back(s);
			}
			RouteResponse r{200, "text/event-stream", ": hello\n\n"};
			r.headers = {{"Cache-Control", "no-store"}};
			r.stream = s;
			return r;
		});
		o.http.routes = std::move(routes);
		start(std::move(o));
	}
	void start_with(std::shared_ptr<Routes> routes) { start_with(std::move(routes), options()); }

	std::shared_ptr<StreamWriter> writer(size_t i) {
		for (int tries = 0; tries < 500; ++tries) {
			{
				std::lock_guard lock(mu);
				if (streams.size() > i)
					return streams[i]->wait();
			}
			std::this_thread::sleep_for(10ms);
		}
		return nullptr;
	}

	std::mutex mu;
	std::vector<std::shared_ptr<HeldStream>> streams;
};

} // namespace

TEST_F(HttpRoutes, ExactRoutesWinThenTheLongestPrefixAndTheQueryIsPassed) {
	auto routes = std::make_shared<Routes>();
	std::vector<std::string> queries;
	routes->add_prefix("GET", "/", [](const RouteRequest& r) { return text("site " + std::string(r.path)); });
	routes->add_prefix("GET", "/api/v1/", [&queries](const RouteRequest& r) {
		queries.push_back(std::string(r.query) + (r.tls ? "|tls" : "|plain"));
		return text("api " + std::string(r.path));
	});
	routes->add("GET", "/api/v1/me", [](const RouteRequest&) { return text("me"); });
	start_with(routes);
	Conn c(port);
	EXPECT_EQ(c.roundtrip(get_text("/servers/7")).body, "site /servers/7");
	EXPECT_EQ(c.roundtrip(get_text("/api/v1/servers?range=1h&x=%20")).body, "api /api/v1/servers");
	EXPECT_EQ(c.roundtrip(get_text("/api/v1/me?z")).body, "me");
	EXPECT_EQ(c.roundtrip(get_text("/api/v1")).body, "site /api/v1");
	EXPECT_EQ(c.roundtrip(get_text("/api/v1/servers")).body, "api /api/v1/servers");
	EXPECT_EQ(queries, (std::vector<std::string>{"range=1h&x=%20|plain", "|plain"}));
}

TEST_F(HttpRoutes, TheListenersOwnPathsComeBeforeAnyRoute) {
	auto routes = std::make_shared<Routes>();
	int caught = 0;
	auto catch_all = [&caught](const RouteRequest&) {
		++caught;
		return text("route");
	};
	routes->add_prefix("GET", "/", catch_all);
	routes->add_prefix("POST", "/", catch_all);
	routes->add_prefix("POST", "/api/v1/", catch_all);
	start_with(routes);
	Conn c(port);
	// The agents' reports: the ingest's, signed and stored, on a keep-alive connection.
	EXPECT_EQ(c.roundtrip(request_text(valid(1))).status, 200);
	EXPECT_EQ(c.roundtrip(request_text(valid(2))).status, 200);
	EXPECT_EQ(stored(), 2u);
	// Another method on it is still the ingest's answer, not the site's.
	HttpAnswer a = c.roundtrip(get_text("/api/v1/reports"));
	EXPECT_EQ(a.status, 405);
	EXPECT_NE(a.body.find("method_not_allowed"), std::string::npos);
	// (A refusal from the headers closes the connection, as before.)
	Conn d(port);
	EXPECT_EQ(d.roundtrip(get_text("/healthz")).body, "ok\n");
	EXPECT_NE(d.roundtrip(get_text("/metrics")).body.find("serversan_"), std::string::npos);
	EXPECT_EQ(d.roundtrip(get_text("/install.sh")).status, 404); // no downloads_dir here
	EXPECT_EQ(caught, 0);
	// Everything else reaches the routes.
	EXPECT_EQ(d.roundtrip(get_text("/api/v1/reportsx")).body, "route");
	EXPECT_EQ(d.roundtrip("POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}").body,
	          "route");
	EXPECT_EQ(caught, 2);
}

TEST_F(HttpRoutes, RequestHeadersTheRouteNamedAndResponseHeadersGoThrough) {
	auto routes = std::make_shared<Routes>();
	std::string seen;
	routes->add("GET", "/page",
	            [&seen](const RouteRequest& r) {
		            seen = fmt::format("{}|{}|{}|{}", r.header("cookie"), r.header("Accept-Encoding"),
		                               r.header("X-Custom"), r.header("User-Agent"));
		            RouteResponse out = text("page");
		            out.headers = {{"Set-Cookie", "a=1; HttpOnly"},
		                           {"Set-Cookie", "b=2; HttpOnly"},
		                           {"Cache-Control", "no-cache"},
		                           {"X-Bad", "x\r\nInjected: 1"}};
		            return out;
	            },
	            {"Cookie", "Accept-Encoding", "X-Custom"});
	start_with(routes);
	Conn c(port);
	HttpAnswer a = c.roundtrip(get_text(
	    "/page", "Cookie: ss_session=abc\r\nAccept-Encoding: gzip, br\r\nX-Custom: 7\r\nUser-Agent: t\r\n"));
	EXPECT_EQ(a.status, 200);
	EXPECT_EQ(a.body, "page");
	// Cookie and Accept-Encoding are fields Beast knows by enum, X-Custom is not; User-Agent was
	// not asked for.
	EXPECT_EQ(seen, "ss_session=abc|gzip, br|7|");
	EXPECT_NE(a.raw.find("\r\nSet-Cookie: a=1; HttpOnly\r\n"), std::string::npos) << a.raw;
	EXPECT_NE(a.raw.find("\r\nSet-Cookie: b=2; HttpOnly\r\n"), std::string::npos) << a.raw;
	EXPECT_EQ(a.headers["cache-control"], "no-cache");
	EXPECT_EQ(a.raw.find("Injected"), std::string::npos) << a.raw;
	EXPECT_EQ(a.raw.find("X-Bad"), std::string::npos) << a.raw;
	// The next request on the connection does not inherit them.
	c.roundtrip(get_text("/page"));
	EXPECT_EQ(seen, "|||");
}

TEST_F(HttpRoutes, HeadRunsTheGetRouteAndSendsItsHeadOnly) {
	auto routes = std::make_shared<Routes>();
	std::string method;
	routes->add_prefix("GET", "/", [&method](const RouteRequest& r) {
		method = r.method;
		return text("0123456789");
	});
	start_with(routes);
	Conn c(port);
	ASSERT_TRUE(c.send("HEAD /index.html HTTP/1.1\r\nHost: x\r\n\r\n"));
	std::string head = read_until(c, "\r\n\r\n");
	EXPECT_NE(head.find("Content-Length: 10\r\n"), std::string::npos) << head;
	EXPECT_EQ(head.substr(head.find("\r\n\r\n") + 4), ""); // no body
	EXPECT_EQ(method, "GET");
	// The connection goes on: a body sent after the HEAD's head would be read as this answer.
	HttpAnswer a = c.roundtrip(get_text("/x"));
	EXPECT_EQ(a.status, 200);
	EXPECT_EQ(a.body, "0123456789");
}

TEST_F(HttpRoutes, ServerSentEventsWrittenFromAnotherThreadThenClosed) {
	start_with(std::make_shared<Routes>());
	Conn c(port);
	ASSERT_TRUE(c.send(get_text("/events")));
	std::string got = read_until(c, ": hello\n\n\r\n");
	EXPECT_NE(got.find("HTTP/1.1 200 OK\r\n"), std::string::npos) << got;
	EXPECT_NE(got.find("Content-Type: text/event-stream\r\n"), std::string::npos) << got;
	EXPECT_NE(got.find("Cache-Control: no-store\r\n"), std::string::npos) << got;
	EXPECT_NE(got.find("Transfer-Encoding: chunked\r\n"), std::string::npos) << got;
	EXPECT_NE(got.find("Connection: close\r\n"), std::string::npos) << got;
	EXPECT_EQ(got.find("Content-Length"), std::string::npos) << got;
	auto w = writer(0);
	ASSERT_NE(w, nullptr);
	EXPECT_TRUE(w->open());
	// Written from other threads; each arrives as one chunk.
	std::thread t([w] {
		for (int i = 1; i <= 3; ++i)
			EXPECT_TRUE(w->write(fmt::format("data: {}\n\n", i)));
	});
	t.join();
	got = read_until(c, "data: 3\n\n\r\n", got);
	EXPECT_NE(got.find("9\r\ndata: 1\n\n\r\n9\r\ndata: 2\n\n\r\n"), std::string::npos) << got;
	EXPECT_TRUE(w->write("")); // nothing sent: an empty chunk would end the answer
	w->close();
	EXPECT_FALSE(w->open());
	EXPECT_FALSE(w->write("data: late\n\n"));
	got = read_until(c, "0\r\n\r\n", got);
	EXPECT_TRUE(got.ends_with("data: 3\n\n\r\n0\r\n\r\n")) << got;
	EXPECT_TRUE(c.closed_within(2s));
}

TEST_F(HttpRoutes, Http10StreamIsEndedByTheClose) {
	start_with(std::make_shared<Routes>());
	Conn c(port);
	ASSERT_TRUE(c.send("GET /events HTTP/1.0\r\n\r\n"));
	auto w = writer(0);
	ASSERT_NE(w, nullptr);
	EXPECT_TRUE(w->write("data: 1\n\n"));
	std::string got = read_until(c, "data: 1\n\n");
	EXPECT_EQ(got.find("Transfer-Encoding"), std::string::npos) << got;
	EXPECT_NE(got.find("\r\n\r\n: hello\n\ndata: 1\n\n"), std::string::npos) << got;
	w->close();
	EXPECT_TRUE(c.closed_within(2s));
}

TEST_F(HttpRoutes, TheClientLeavingMakesWriteFalse) {
	start_with(std::make_shared<Routes>());
	auto c = std::make_unique<Conn>(port);
	ASSERT_TRUE(c->send(get_text("/events")));
	auto w = writer(0);
	ASSERT_NE(w, nullptr);
	read_until(*c, ": hello");
	c.reset();
	bool refused = false;
	for (int i = 0; i < 200 && !refused; ++i) {
		refused = !w->write("data: x\n\n");
		std::this_thread::sleep_for(10ms);
	}
	EXPECT_TRUE(refused);
	EXPECT_FALSE(w->open());
}

TEST_F(HttpRoutes, AClientThatDoesNotReadIsDroppedPastTheQueueCap) {
	ingest::Options o = options();
	o.http.stream_queue_bytes = 64 * 1024;
	o.http.write_timeout = 60s; // the drop must not wait for the stuck write's time-out
	start_with(std::make_shared<Routes>(), o);
	Conn c(port);
	ASSERT_TRUE(c.send(get_text("/events")));
	auto w = writer(0);
	ASSERT_NE(w, nullptr);
	// The socket buffers take a few MB first; then the queue fills and the client is dropped.
	std::string chunk(16 * 1024, 'x');
	size_t written = 0;
	while (written < (256u << 20) && w->write(chunk))
		written += chunk.size();
	EXPECT_LT(written, 256u << 20);
	EXPECT_FALSE(w->open());
	// Closed at once, while the client still reads nothing.
	auto& open = server->metrics().connections_open;
	for (int i = 0; i < 200 && open.load() > 0; ++i)
		std::this_thread::sleep_for(10ms);
	EXPECT_EQ(open.load(), 0);
	EXPECT_TRUE(c.closed_within(5s));
}

TEST_F(HttpRoutes, StopClosesOpenStreams) {
	start_with(std::make_shared<Routes>());
	std::vector<std::unique_ptr<Conn>> clients;
	for (int i = 0; i < 3; ++i) {
		clients.push_back(std::make_unique<Conn>(port));
		ASSERT_TRUE(clients.back()->send(get_text("/events")));
		ASSERT_NE(writer(static_cast<size_t>(i)), nullptr);
	}
	auto w = writer(0);
	server->stop();
	EXPECT_FALSE(w->write("data: after\n\n"));
	EXPECT_FALSE(w->open());
	w->close(); // harmless after the stop
	for (auto& c : clients)
		EXPECT_TRUE(c->closed_within(2s));
}

TEST_F(HttpRoutes, StreamsCountAgainstTheConnectionCaps) {
	ingest::Options o = options();
	o.http.max_connections_per_ip = 1;
	start_with(std::make_shared<Routes>(), o);
	Conn c(port);
	ASSERT_TRUE(c.send(get_text("/events")));
	ASSERT_NE(writer(0), nullptr);
	Conn d(port);
	EXPECT_TRUE(d.closed_within(2s));
	EXPECT_EQ(server->metrics().refused_max_per_ip.load(), 1u);
}

TEST_F(HttpRoutes, OverTlsRoutesKnowItAndStreamsWork) {
	std::string cert = dir.file("cert.pem"), key = dir.file("key.pem");
	make_certificate(cert, key);
	ingest::Options o = options();
	o.http.tls_cert = cert;
	o.http.tls_key = key;
	auto routes = std::make_shared<Routes>();
	routes->add("GET", "/tls", [](const RouteRequest& r) { return text(r.tls ? "tls" : "plain"); });
	start_with(routes, o);
	Conn c(port, cert);
	ASSERT_TRUE(c.handshake_ok());
	EXPECT_EQ(c.roundtrip(get_text("/tls")).body, "tls");
	// A stream over TLS: the pending read that watches for the client and the writes share the
	// TLS stream.
	Conn s(port, cert);
	ASSERT_TRUE(s.handshake_ok());
	ASSERT_TRUE(s.send(get_text("/events")));
	auto w = writer(0);
	ASSERT_NE(w, nullptr);
	for (int i = 1; i <= 20; ++i)
		EXPECT_TRUE(w->write(fmt::format("data: {}\n\n", i)));
	std::string got = read_until(s, "data: 20\n\n\r\n");
	EXPECT_NE(got.find("data: 1\n\n"), std::string::npos) << got;
	EXPECT_NE(got.find("data: 20\n\n\r\n"), std::string::npos) << got;
	w->close();
	EXPECT_NE(read_until(s, "0\r\n\r\n", got).find("0\r\n\r\n"), std::string::npos);
}
