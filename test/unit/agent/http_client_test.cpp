// HttpClient against a tiny in-test HTTP server on 127.0.0.1: framing, keep-alive, reconnects,
// limits, timeouts and cancellation. Also URL parsing.
#include <atomic>
#include <fcntl.h>
#include <functional>
#include <mutex>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "serversan/agent/http_client.h"

using namespace serversan;
using namespace serversan::agent;

namespace {

struct Reply {
	std::string bytes;
	bool close_after = false;
	bool hang = false; // answer nothing, keep the connection open
};

// One connection at a time, one request at a time: enough to script every client situation.
class TestServer {
public:
	using Handler = std::function<Reply(const std::string& request)>;

	explicit TestServer(Handler handler) : handler_(std::move(handler)) {
		listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		int one = 1;
		::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		sockaddr_in addr{};
		addr.sin_family = AF_INET;
		addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
		EXPECT_EQ(::listen(listen_fd_, 8), 0);
		socklen_t len = sizeof addr;
		::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
		port_ = ntohs(addr.sin_port);
		thread_ = std::thread([this] { run(); });
	}
	~TestServer() {
		stop_ = true;
		thread_.join();
		::close(listen_fd_);
	}

	uint16_t port() const { return port_; }
	int connections() const { return connections_; }
	std::vector<std::string> requests() {
		std::lock_guard lock(mutex_);
		return requests_;
	}
	Url url() const { return Url{"127.0.0.1", port_, ""}; }

private:
	bool readable(int fd) {
		while (!stop_) {
			pollfd p{fd, POLLIN, 0};
			if (::poll(&p, 1, 20) > 0)
				return true;
		}
		return false;
	}

	void run() {
		while (readable(listen_fd_)) {
			int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
			if (fd < 0)
				continue;
			++connections_;
			serve(fd);
			::close(fd);
		}
	}

	void serve(int fd) {
		std::string buf;
		for (;;) {
			size_t header_end;
			while ((header_end = buf.find("\r\n\r\n")) == std::string::npos) {
				if (!read_more(fd, buf))
					return;
			}
			size_t length = 0;
			size_t cl = buf.find("Content-Length: ");
			if (cl != std::string::npos && cl < header_end)
				length = std::stoul(buf.substr(cl + 16));
			while (buf.size() < header_end + 4 + length) {
				if (!read_more(fd, buf))
					return;
			}
			std::string request = buf.substr(0, header_end + 4 + length);
			buf.erase(0, request.size());
			{
				std::lock_guard lock(mutex_);
				requests_.push_back(request);
			}
			Reply reply = handler_(request);
			if (reply.hang) {
				while (read_more(fd, buf)) {
				}
				return;
			}
			size_t off = 0;
			while (off < reply.bytes.size()) {
				ssize_t n = ::send(fd, reply.bytes.data() + off, reply.bytes.size() - off, MSG_NOSIGNAL);
				if (n <= 0)
					return;
				off += static_cast<size_t>(n);
			}
			if (reply.close_after)
				return;
		}
	}

	bool read_more(int fd, std::string& buf) {
		if (!readable(fd))
			return false;
		char tmp[4096];
		ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
		if (n <= 0)
			return false;
		buf.append(tmp, static_cast<size_t>(n));
		return true;
	}

	Handler handler_;
	int listen_fd_ = -1;
	uint16_t port_ = 0;
	std::atomic<bool> stop_{false};
	std::atomic<int> connections_{0};
	std::mutex mutex_;
	std::vector<std::string> requests_;
	std::thread thread_;
};

Reply ok_json(std::string body, std::string extra_headers = {}) {
	return Reply{"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
	             std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body};
}

HttpRequest post(std::string body) {
	return HttpRequest{"POST", "/api/v1/reports", {{"Content-Type", "application/json"}}, std::move(body)};
}

HttpClient::Options fast_options() {
	HttpClient::Options o;
	o.timeout = std::chrono::milliseconds(2000);
	o.user_agent = "serversan-agent/test";
	return o;
}

} // namespace

TEST(ParseUrl, Accepted) {
	auto u = parse_url("http://monitor.example.com:8080/");
	ASSERT_TRUE(u.ok()) << u.error().message;
	EXPECT_EQ(u->host, "monitor.example.com");
	EXPECT_EQ(u->port, 8080);
	EXPECT_EQ(u->base_path, "");
	EXPECT_EQ(u->host_header(), "monitor.example.com:8080");

	u = parse_url("HTTP://10.0.0.1");
	ASSERT_TRUE(u.ok());
	EXPECT_EQ(u->port, 80);
	EXPECT_EQ(u->host_header(), "10.0.0.1");

	u = parse_url("http://[::1]:9000/serversan/");
	ASSERT_TRUE(u.ok());
	EXPECT_EQ(u->host, "::1");
	EXPECT_EQ(u->base_path, "/serversan");
	EXPECT_EQ(u->host_header(), "[::1]:9000");
	EXPECT_EQ(u->to_string(), "http://[::1]:9000/serversan");
	EXPECT_FALSE(u->tls);

	u = parse_url("https://monitor.example.com/");
	ASSERT_TRUE(u.ok());
	EXPECT_TRUE(u->tls);
	EXPECT_EQ(u->port, 443);
	EXPECT_EQ(u->host_header(), "monitor.example.com");
	EXPECT_EQ(u->to_string(), "https://monitor.example.com");
	u = parse_url("https://monitor.example.com:80/");
	ASSERT_TRUE(u.ok());
	EXPECT_EQ(u->host_header(), "monitor.example.com:80");
}

TEST(ParseUrl, Loopback) {
	for (const char* h : {"localhost", "LocalHost", "127.0.0.1", "127.1.2.3", "::1"})
		EXPECT_TRUE(is_loopback_host(h)) << h;
	for (const char* h : {"10.0.0.1", "monitor.example.com", "::2", "localhost.example.com", "128.0.0.1"})
		EXPECT_FALSE(is_loopback_host(h)) << h;
}

TEST(ParseUrl, Refused) {
	for (const char* bad :
	     {"", "monitor.example.com:8080", "ftp://x/", "http://", "http://:80/", "http://h:0/",
	      "http://h:65536/", "http://h:x/", "http://h:/", "http://u:p@h/", "http://h/?a=1", "http://h/#f",
	      "http://[::1/", "http://[::1]x/", "http://h h/", "http://h/a b"})
		EXPECT_FALSE(parse_url(bad).ok()) << bad;
}

TEST(HttpClient, PostAndAnswer) {
	TestServer server([](const std::string&) {
		return ok_json(R"({"accepted":1})", "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\nRetry-After: 5\r\n");
	});
	HttpClient client(server.url(), fast_options());
	auto res = client.send(post("{\"x\":1}"));
	ASSERT_TRUE(res.ok()) << res.error().message;
	EXPECT_EQ(res->status, 200);
	EXPECT_EQ(res->body, R"({"accepted":1})");
	EXPECT_EQ(res->date, "Sun, 06 Nov 1994 08:49:37 GMT");
	EXPECT_EQ(res->retry_after, "5");

	auto requests = server.requests();
	ASSERT_EQ(requests.size(), 1u);
	const std::string& r = requests[0];
	EXPECT_TRUE(r.starts_with("POST /api/v1/reports HTTP/1.1\r\n")) << r;
	EXPECT_NE(r.find(fmt::format("Host: 127.0.0.1:{}\r\n", server.port())), std::string::npos) << r;
	EXPECT_NE(r.find("Content-Length: 7\r\n"), std::string::npos) << r;
	EXPECT_NE(r.find("User-Agent: serversan-agent/test\r\n"), std::string::npos) << r;
	EXPECT_TRUE(r.ends_with("\r\n\r\n{\"x\":1}")) << r;
}

TEST(HttpClient, KeepAliveReusesTheConnection) {
	TestServer server([](const std::string&) { return ok_json("{}"); });
	HttpClient client(server.url(), fast_options());
	for (int i = 0; i < 3; ++i) {
		auto res = client.send(post("{}"));
		ASSERT_TRUE(res.ok()) << res.error().message;
		EXPECT_EQ(client.last_send_reused_connection(), i > 0);
	}
	EXPECT_EQ(server.connections(), 1);
}

TEST(HttpClient, ReconnectsWhenTheServerClosed) {
	TestServer server([](const std::string&) {
		Reply r = ok_json("{}");
		r.close_after = true; // an idle-timeout close, without announcing it
		return r;
	});
	HttpClient client(server.url(), fast_options());
	ASSERT_TRUE(client.send(post("{}")).ok());
	std::this_thread::sleep_for(std::chrono::milliseconds(50)); // let the FIN arrive
	auto res = client.send(post("{}"));
	ASSERT_TRUE(res.ok()) << res.error().message;
	EXPECT_FALSE(client.last_send_reused_connection());
	EXPECT_EQ(server.connections(), 2);
}

TEST(HttpClient, ConnectionCloseIsHonoured) {
	TestServer server([](const std::string&) { return ok_json("{}", "Connection: close\r\n"); });
	HttpClient client(server.url(), fast_options());
	ASSERT_TRUE(client.send(post("{}")).ok());
	ASSERT_TRUE(client.send(post("{}")).ok());
	EXPECT_EQ(server.connections(), 2);
}

TEST(HttpClient, ChunkedAndErrorStatuses) {
	TestServer server([](const std::string&) {
		return Reply{
		    "HTTP/1.1 503 Service Unavailable\r\nTransfer-Encoding: chunked\r\nRetry-After: 7\r\n\r\n"
		    "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"};
	});
	HttpClient client(server.url(), fast_options());
	auto res = client.send(post("{}"));
	ASSERT_TRUE(res.ok()) << res.error().message;
	EXPECT_EQ(res->status, 503);
	EXPECT_EQ(res->body, "hello world");
	EXPECT_EQ(res->retry_after, "7");
}

TEST(HttpClient, BodyUntilCloseWithoutLength) {
	TestServer server([](const std::string&) { return Reply{"HTTP/1.1 200 OK\r\n\r\nall of it", true}; });
	HttpClient client(server.url(), fast_options());
	auto res = client.send(post("{}"));
	ASSERT_TRUE(res.ok()) << res.error().message;
	EXPECT_EQ(res->body, "all of it");
}

TEST(HttpClient, OversizedBodyIsAnError) {
	TestServer server([](const std::string&) { return ok_json(std::string(100 << 10, 'x')); });
	HttpClient client(server.url(), fast_options());
	auto res = client.send(post("{}"));
	ASSERT_FALSE(res.ok());
	EXPECT_NE(res.error().message.find("larger than"), std::string::npos) << res.error().message;
}

TEST(HttpClient, OversizedChunkedOrUnframedBodyIsAnError) {
	std::string chunk = fmt::format("{:x}\r\n{}\r\n", 40 << 10, std::string(40 << 10, 'y'));
	TestServer chunked([&](const std::string&) {
		return Reply{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + "0\r\n\r\n"};
	});
	HttpClient a(chunked.url(), fast_options());
	EXPECT_FALSE(a.send(post("{}")).ok());

	TestServer unframed([](const std::string&) {
		return Reply{"HTTP/1.1 200 OK\r\n\r\n" + std::string(100 << 10, 'z'), true};
	});
	HttpClient b(unframed.url(), fast_options());
	EXPECT_FALSE(b.send(post("{}")).ok());
}

TEST(HttpClient, MalformedAnswerIsAnError) {
	TestServer server([](const std::string&) { return Reply{"SMTP ready\r\n\r\n", true}; });
	HttpClient client(server.url(), fast_options());
	auto res = client.send(post("{}"));
	ASSERT_FALSE(res.ok());
}

TEST(HttpClient, ClosedWithoutAnswer) {
	TestServer server([](const std::string&) { return Reply{"", true}; });
	HttpClient client(server.url(), fast_options());
	auto res = client.send(post("{}"));
	ASSERT_FALSE(res.ok());
	EXPECT_NE(res.error().message.find("without answering"), std::string::npos) << res.error().message;
}

TEST(HttpClient, ReceiveTimeout) {
	TestServer server([](const std::string&) { return Reply{"", false, true}; });
	auto options = fast_options();
	options.timeout = std::chrono::milliseconds(200);
	HttpClient client(server.url(), options);
	auto start = std::chrono::steady_clock::now();
	auto res = client.send(post("{}"));
	auto took = std::chrono::steady_clock::now() - start;
	ASSERT_FALSE(res.ok());
	EXPECT_NE(res.error().message.find("timed out"), std::string::npos) << res.error().message;
	EXPECT_LT(took, std::chrono::seconds(2));
}

TEST(HttpClient, CancelEndsAWaitAtOnce) {
	TestServer server([](const std::string&) { return Reply{"", false, true}; });
	int fds[2];
	ASSERT_EQ(::pipe(fds), 0);
	auto options = fast_options();
	options.timeout = std::chrono::seconds(30);
	options.cancel_fd = fds[0];
	HttpClient client(server.url(), options);
	std::thread canceller([&] {
		std::this_thread::sleep_for(std::chrono::milliseconds(100));
		char c = 1;
		EXPECT_EQ(::write(fds[1], &c, 1), 1);
	});
	auto start = std::chrono::steady_clock::now();
	auto res = client.send(post("{}"));
	auto took = std::chrono::steady_clock::now() - start;
	canceller.join();
	ASSERT_FALSE(res.ok());
	EXPECT_NE(res.error().message.find("interrupted"), std::string::npos) << res.error().message;
	EXPECT_LT(took, std::chrono::seconds(5));
	::close(fds[0]);
	::close(fds[1]);
}

TEST(HttpClient, ConnectionRefused) {
	uint16_t port;
	{
		TestServer server([](const std::string&) { return ok_json("{}"); });
		port = server.port();
	}
	HttpClient client(Url{"127.0.0.1", port, ""}, fast_options());
	auto res = client.send(post("{}"));
	ASSERT_FALSE(res.ok());
	EXPECT_NE(res.error().message.find("cannot connect"), std::string::npos) << res.error().message;
}

TEST(HttpClient, UnresolvableHost) {
	HttpClient client(Url{"no-such-host.invalid", 80, ""}, fast_options());
	auto res = client.send(post("{}"));
	ASSERT_FALSE(res.ok());
	EXPECT_NE(res.error().message.find("no-such-host.invalid"), std::string::npos) << res.error().message;
}
