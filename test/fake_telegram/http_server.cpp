// Synchronous Beast, one thread per connection: a long poll simply blocks its own thread, and a
// test fake never has more than a handful of connections.
#include "test/fake_telegram/http_server.h"

#include <atomic>
#include <cctype>
#include <condition_variable>
#include <mutex>
#include <set>
#include <sys/socket.h>
#include <thread>
#include <utility> // must precede Asio with GCC 12 and Boost 1.74
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace serversan::fake_telegram {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
namespace ssl = asio::ssl;

struct HttpServer::Impl {
	Handler handler;
	std::unique_ptr<ssl::context> tls; // null: plain HTTP
	asio::io_context io;
	tcp::acceptor acceptor{io};
	std::thread accept_thread;
	std::atomic<size_t> accepted{0};
	std::mutex mu;
	std::condition_variable idle;
	std::set<int> open_fds;
	size_t running = 0;
	bool stopping = false;

	void accept_loop() {
		for (;;) {
			auto socket = std::make_shared<tcp::socket>(io);
			boost::system::error_code ec;
			acceptor.accept(*socket, ec);
			if (ec)
				return; // closed by the destructor
			++accepted;
			std::lock_guard lock(mu);
			if (stopping)
				return;
			++running;
			open_fds.insert(socket->native_handle());
			std::thread([this, socket] { serve(*socket); }).detach();
		}
	}

	template <class Stream>
	void serve_requests(Stream& socket) {
		beast::flat_buffer buffer;
		for (;;) {
			http::request_parser<http::string_body> parser;
			parser.body_limit(64 * 1024 * 1024);
			boost::system::error_code ec;
			http::read(socket, buffer, parser, ec);
			if (ec)
				break;
			auto& req = parser.get();
			HttpRequest r{std::string(req.method_string()),
			              std::string(req.target()),
			              std::string(req[http::field::content_type]),
			              std::move(req.body()),
			              {}};
			for (const auto& field : req) {
				std::string name(field.name_string());
				for (char& c : name)
					c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
				r.headers[name] = std::string(field.value());
			}
			HttpAnswer a = handler(r);
			if (a.drop)
				break;
			http::response<http::string_body> res{static_cast<http::status>(a.status), req.version()};
			res.set(http::field::server, "serversan-fake-telegram");
			res.set(http::field::content_type, a.content_type);
			res.keep_alive(req.keep_alive());
			res.body() = std::move(a.body);
			res.prepare_payload();
			http::write(socket, res, ec);
			if (ec || !res.keep_alive())
				break;
		}
	}

	void serve(tcp::socket& socket) {
		if (tls) {
			beast::ssl_stream<tcp::socket&> stream(socket, *tls);
			boost::system::error_code ec;
			stream.handshake(ssl::stream_base::server, ec);
			if (!ec)
				serve_requests(stream);
		} else {
			serve_requests(socket);
		}
		std::lock_guard lock(mu);
		open_fds.erase(socket.native_handle());
		boost::system::error_code ignored;
		socket.shutdown(tcp::socket::shutdown_both, ignored);
		socket.close(ignored);
		--running;
		idle.notify_all();
	}
};

HttpServer::HttpServer(uint16_t port, Handler handler, Tls tls) : impl_(std::make_unique<Impl>()) {
	impl_->handler = std::move(handler);
	if (!tls.cert_file.empty()) {
		impl_->tls = std::make_unique<ssl::context>(ssl::context::tls_server);
		impl_->tls->use_certificate_chain_file(tls.cert_file);
		impl_->tls->use_private_key_file(tls.key_file, ssl::context::pem);
	}
	tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
	impl_->acceptor.open(ep.protocol());
	impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
	impl_->acceptor.bind(ep);
	impl_->acceptor.listen();
	impl_->accept_thread = std::thread([this] { impl_->accept_loop(); });
}

HttpServer::~HttpServer() {
	{
		std::lock_guard lock(impl_->mu);
		impl_->stopping = true;
		// shutdown() wakes a thread blocked reading; the thread closes its own socket.
		for (int fd : impl_->open_fds)
			::shutdown(fd, SHUT_RDWR);
	}
	::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
	impl_->accept_thread.join();
	std::unique_lock lock(impl_->mu);
	impl_->idle.wait(lock, [&] { return impl_->running == 0; });
}

uint16_t HttpServer::port() const {
	return impl_->acceptor.local_endpoint().port();
}

size_t HttpServer::connections_accepted() const {
	return impl_->accepted.load();
}

} // namespace serversan::fake_telegram
