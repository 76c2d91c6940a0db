// A raw-socket HTTP/1.1 client for tests of the real listener over loopback: plain or TLS
// (OpenSSL, no Asio, so test files stay cheap to compile), with control over every byte sent.
#pragma once

#include <arpa/inet.h>
#include <chrono>
#include <map>
#include <netinet/in.h>
#include <poll.h>
#include <string>
#include <string_view>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>
#include <openssl/ssl.h>

namespace serversan::testing {

struct HttpAnswer {
	int status = 0;                             // 0: no answer (closed or timed out)
	std::map<std::string, std::string> headers; // lowercased names
	std::string body;
	std::string raw; // the answer as received, head and body
};

// One client connection: plain or TLS (verifying the server against ca_file).
class Conn {
public:
	Conn(uint16_t port, const std::string& ca_file = "") {
		fd_ = socket(AF_INET, SOCK_STREAM, 0);
		sockaddr_in a{};
		a.sin_family = AF_INET;
		a.sin_port = htons(port);
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
		if (!connected_ || ca_file.empty())
			return;
		ctx_ = SSL_CTX_new(TLS_client_method());
		SSL_CTX_load_verify_locations(ctx_, ca_file.c_str(), nullptr);
		SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
		ssl_ = SSL_new(ctx_);
		X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), "127.0.0.1"); // the certificate must name it
		SSL_set_fd(ssl_, fd_);
		handshake_ok_ = SSL_connect(ssl_) == 1;
	}
	~Conn() {
		if (ssl_)
			SSL_free(ssl_);
		if (ctx_)
			SSL_CTX_free(ctx_);
		if (fd_ >= 0)
			::close(fd_);
	}
	bool connected() const { return connected_; }
	bool handshake_ok() const { return handshake_ok_; }

	bool send(std::string_view data) {
		while (!data.empty()) {
			long n = ssl_ ? SSL_write(ssl_, data.data(), static_cast<int>(data.size()))
			              : ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
			if (n <= 0)
				return false;
			data.remove_prefix(static_cast<size_t>(n));
		}
		return true;
	}

	// Up to `max` bytes, waiting at most `timeout`; empty on close, error or time-out.
	std::string read_some(std::chrono::milliseconds timeout, size_t max = 65536) {
		if (!ssl_ || SSL_pending(ssl_) == 0) {
			pollfd p{fd_, POLLIN, 0};
			if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0)
				return {};
		}
		std::string buf(max, '\0');
		long n = ssl_ ? SSL_read(ssl_, buf.data(), static_cast<int>(max)) : ::recv(fd_, buf.data(), max, 0);
		if (n <= 0)
			return {};
		buf.resize(static_cast<size_t>(n));
		return buf;
	}

	// True once the server closed the connection (EOF or reset) within `timeout`.
	bool closed_within(std::chrono::milliseconds timeout) {
		auto end = std::chrono::steady_clock::now() + timeout;
		while (std::chrono::steady_clock::now() < end) {
			pollfd p{fd_, POLLIN, 0};
			int left = static_cast<int>(
			    std::chrono::duration_cast<std::chrono::milliseconds>(end - std::chrono::steady_clock::now())
			        .count());
			if (poll(&p, 1, std::max(1, left)) <= 0)
				continue;
			char c;
			long n = ::recv(fd_, &c, 1, MSG_PEEK);
			if (n <= 0)
				return true;
			// Data (an answer, a TLS alert): consume it and keep waiting for the close.
			std::string discard(4096, '\0');
			if (ssl_ ? SSL_read(ssl_, discard.data(), 4096) <= 0 : ::recv(fd_, discard.data(), 4096, 0) <= 0)
				return true;
		}
		return false;
	}

	HttpAnswer read_answer(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
		HttpAnswer a;
		auto end = std::chrono::steady_clock::now() + timeout;
		size_t header_end;
		while ((header_end = pending_.find("\r\n\r\n")) == std::string::npos) {
			if (std::chrono::steady_clock::now() >= end)
				return a;
			std::string more = read_some(std::chrono::duration_cast<std::chrono::milliseconds>(
			    end - std::chrono::steady_clock::now()));
			if (more.empty())
				return a;
			pending_ += more;
		}
		std::string head = pending_.substr(0, header_end);
		pending_.erase(0, header_end + 4);
		a.status = std::stoi(head.substr(9, 3));
		size_t pos = head.find("\r\n");
		while (pos != std::string::npos) {
			size_t next = head.find("\r\n", pos + 2);
			std::string line =
			    head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
			size_t colon = line.find(':');
			if (colon != std::string::npos) {
				std::string name = line.substr(0, colon);
				for (char& ch : name)
					ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
				std::string value = line.substr(colon + 1);
				while (!value.empty() && value.front() == ' ')
					value.erase(0, 1);
				a.headers[name] = value;
			}
			pos = next;
		}
		size_t length = a.headers.count("content-length") ? std::stoul(a.headers["content-length"]) : 0;
		while (pending_.size() < length) {
			std::string more = read_some(std::chrono::milliseconds(1000));
			if (more.empty())
				break;
			pending_ += more;
		}
		a.body = pending_.substr(0, length);
		pending_.erase(0, std::min(length, pending_.size()));
		a.raw = head + "\r\n\r\n" + a.body;
		return a;
	}

	HttpAnswer roundtrip(const std::string& request) {
		if (!send(request))
			return {};
		return read_answer();
	}

private:
	int fd_ = -1;
	bool connected_ = false;
	bool handshake_ok_ = false;
	SSL_CTX* ctx_ = nullptr;
	SSL* ssl_ = nullptr;
	std::string pending_;
};

inline std::string get_text(const std::string& path, const std::string& extra_headers = "") {
	return fmt::format("GET {} HTTP/1.1\r\nHost: 127.0.0.1\r\n{}\r\n", path, extra_headers);
}

} // namespace serversan::testing
