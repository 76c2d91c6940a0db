#include "tls_test_server.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_cache.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>

#include "serversan/core/crypto.h"
#include "serversan/core/encoding.h"

namespace serversan::test {

namespace {

int rng(void*, unsigned char* out, size_t len) {
	crypto::random_bytes({out, len});
	return 0;
}

// The shell script that makes every certificate; P-256 keys, valid for two days.
constexpr const char* kMakeCerts = R"sh(set -e
cd "$1"
ec="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
openssl req -x509 $ec -keyout ca.key -out ca.pem -days 2 -subj "/CN=ServerSan Test CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -x509 $ec -keyout other-ca.key -out other-ca.pem -days 2 -subj "/CN=Unrelated Test CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
leaf() { # name subject san ca
  openssl req $ec -keyout "$1.key" -out "$1.csr" -subj "$2" 2>/dev/null
  printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' "$3" > "$1.ext"
  openssl x509 -req -in "$1.csr" -CA "$4.pem" -CAkey "$4.key" -CAcreateserial -days 2 -extfile "$1.ext" \
    -out "$1.pem" 2>/dev/null
}
leaf server "/CN=127.0.0.1" "IP:127.0.0.1,DNS:localhost" ca
leaf wrong-name "/CN=other.example" "DNS:other.example" ca
leaf other-server "/CN=127.0.0.1" "IP:127.0.0.1,DNS:localhost" other-ca
cat other-ca.pem ca.pem > both-cas.pem
openssl req -x509 $ec -keyout self.key -out self.pem -days 2 -subj "/CN=127.0.0.1" \
  -addext subjectAltName=IP:127.0.0.1 2>/dev/null
rm -f ca.key other-ca.key *.csr *.ext *.srl
)sh";

std::unique_ptr<TestCerts> make_certs(std::string& why) {
	if (std::system("command -v openssl >/dev/null 2>&1") != 0) {
		why = "the openssl command is not installed";
		return nullptr;
	}
	auto certs = std::make_unique<TestCerts>();
	certs->dir = ::testing::TempDir() + "/ss-tls-" + std::to_string(::getpid());
	std::filesystem::remove_all(certs->dir);
	std::filesystem::create_directories(certs->dir);
	std::string script = certs->dir + "/make.sh";
	std::ofstream(script) << kMakeCerts;
	if (std::system(("sh " + script + " " + certs->dir).c_str()) != 0) {
		why = "openssl failed to make the test certificates";
		return nullptr;
	}
	auto f = [&](const char* name) { return certs->dir + "/" + name; };
	certs->ca = f("ca.pem");
	certs->other_ca = f("other-ca.pem");
	certs->server_cert = f("server.pem");
	certs->server_key = f("server.key");
	certs->wrong_name_cert = f("wrong-name.pem");
	certs->wrong_name_key = f("wrong-name.key");
	certs->other_server_cert = f("other-server.pem");
	certs->other_server_key = f("other-server.key");
	certs->both_cas = f("both-cas.pem");
	certs->self_signed_cert = f("self.pem");
	certs->self_signed_key = f("self.key");
	certs->self_signed_pin = cert_sha256_hex(certs->self_signed_cert);
	certs->server_pin = cert_sha256_hex(certs->server_cert);
	std::string dir = certs->dir;
	static std::string to_remove;
	to_remove = dir;
	std::atexit([] { std::filesystem::remove_all(to_remove); });
	return certs;
}

} // namespace

const TestCerts* test_certs(std::string* why) {
	static std::string reason;
	static std::unique_ptr<TestCerts> certs = make_certs(reason);
	if (why)
		*why = reason;
	return certs.get();
}

std::string cert_sha256_hex(const std::string& pem_file) {
	mbedtls_x509_crt crt;
	mbedtls_x509_crt_init(&crt);
	std::string out;
	if (mbedtls_x509_crt_parse_file(&crt, pem_file.c_str()) == 0)
		out = hex_encode(crypto::sha256({crt.raw.p, crt.raw.len}));
	mbedtls_x509_crt_free(&crt);
	return out;
}

std::string http_ok_json(const std::string& body, const std::string& extra_headers) {
	return "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
	       std::to_string(body.size()) + "\r\n" + extra_headers + "\r\n" + body;
}

struct TlsTestServer::State {
	mbedtls_ssl_config conf;
	mbedtls_x509_crt cert;
	mbedtls_pk_context key;
	mbedtls_ssl_cache_context cache;

	State() {
		mbedtls_ssl_config_init(&conf);
		mbedtls_x509_crt_init(&cert);
		mbedtls_pk_init(&key);
		mbedtls_ssl_cache_init(&cache);
	}
	~State() {
		mbedtls_ssl_cache_free(&cache);
		mbedtls_pk_free(&key);
		mbedtls_x509_crt_free(&cert);
		mbedtls_ssl_config_free(&conf);
	}
};

namespace {

struct Conn {
	int fd;
	const std::atomic<bool>* stop;
};

int conn_send(void* p, const unsigned char* buf, size_t len) {
	auto* c = static_cast<Conn*>(p);
	ssize_t n = ::send(c->fd, buf, len, MSG_NOSIGNAL);
	return n < 0 ? MBEDTLS_ERR_NET_SEND_FAILED : static_cast<int>(n);
}

// Blocking read that gives up when the server is stopping.
int conn_recv(void* p, unsigned char* buf, size_t len) {
	auto* c = static_cast<Conn*>(p);
	while (!c->stop->load()) {
		pollfd pfd{c->fd, POLLIN, 0};
		if (::poll(&pfd, 1, 20) <= 0)
			continue;
		ssize_t n = ::recv(c->fd, buf, len, 0);
		return n < 0 ? MBEDTLS_ERR_NET_RECV_FAILED : static_cast<int>(n);
	}
	return MBEDTLS_ERR_NET_CONN_RESET;
}

} // namespace

TlsTestServer::TlsTestServer(const std::string& cert_file, const std::string& key_file, Handler handler,
                             Mode mode)
    : state_(std::make_unique<State>()), handler_(std::move(handler)), mode_(mode) {
	EXPECT_EQ(mbedtls_x509_crt_parse_file(&state_->cert, cert_file.c_str()), 0) << cert_file;
#if MBEDTLS_VERSION_MAJOR >= 3
	EXPECT_EQ(mbedtls_pk_parse_keyfile(&state_->key, key_file.c_str(), nullptr, rng, nullptr), 0) << key_file;
#else
	EXPECT_EQ(mbedtls_pk_parse_keyfile(&state_->key, key_file.c_str(), nullptr), 0) << key_file;
#endif
	mbedtls_ssl_config& conf = state_->conf;
	EXPECT_EQ(mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM,
	                                      MBEDTLS_SSL_PRESET_DEFAULT),
	          0);
	mbedtls_ssl_conf_rng(&conf, rng, nullptr);
	EXPECT_EQ(mbedtls_ssl_conf_own_cert(&conf, &state_->cert, &state_->key), 0);
	mbedtls_ssl_conf_session_cache(&conf, &state_->cache, mbedtls_ssl_cache_get, mbedtls_ssl_cache_set);

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

TlsTestServer::~TlsTestServer() {
	stop_ = true;
	thread_.join();
	::close(listen_fd_);
}

std::vector<std::string> TlsTestServer::requests() {
	std::lock_guard lock(mutex_);
	return requests_;
}

void TlsTestServer::run() {
	while (!stop_) {
		pollfd p{listen_fd_, POLLIN, 0};
		if (::poll(&p, 1, 20) <= 0)
			continue;
		int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
		if (fd < 0)
			continue;
		++connections_;
		serve(fd);
		::close(fd);
	}
}

void TlsTestServer::serve(int fd) {
	if (mode_ == Mode::no_handshake) {
		while (!stop_)
			std::this_thread::sleep_for(std::chrono::milliseconds(10));
		return;
	}
	Conn conn{fd, &stop_};
	mbedtls_ssl_context ssl;
	mbedtls_ssl_init(&ssl);
	struct Free {
		mbedtls_ssl_context* s;
		~Free() { mbedtls_ssl_free(s); }
	} free_ssl{&ssl};
	if (mbedtls_ssl_setup(&ssl, &state_->conf) != 0)
		return;
	mbedtls_ssl_set_bio(&ssl, &conn, conn_send, conn_recv, nullptr);
	if (mbedtls_ssl_handshake(&ssl) != 0)
		return;
	++handshakes_;

	std::string buf;
	auto read_more = [&]() {
		unsigned char tmp[4096];
		int n = mbedtls_ssl_read(&ssl, tmp, sizeof tmp);
		if (n <= 0)
			return false;
		buf.append(reinterpret_cast<char*>(tmp), static_cast<size_t>(n));
		return true;
	};
	for (;;) {
		size_t header_end;
		while ((header_end = buf.find("\r\n\r\n")) == std::string::npos)
			if (!read_more())
				return;
		size_t length = 0;
		size_t cl = buf.find("Content-Length: ");
		if (cl != std::string::npos && cl < header_end)
			length = std::stoul(buf.substr(cl + 16));
		while (buf.size() < header_end + 4 + length)
			if (!read_more())
				return;
		std::string request = buf.substr(0, header_end + 4 + length);
		buf.erase(0, request.size());
		{
			std::lock_guard lock(mutex_);
			requests_.push_back(request);
		}
		Reply reply = handler_(request);
		if (reply.hang) {
			while (read_more()) {
			}
			return;
		}
		size_t off = 0;
		while (off < reply.bytes.size()) {
			int n = mbedtls_ssl_write(&ssl, reinterpret_cast<const unsigned char*>(reply.bytes.data()) + off,
			                          reply.bytes.size() - off);
			if (n <= 0)
				return;
			off += static_cast<size_t>(n);
		}
		if (reply.close_after) {
			mbedtls_ssl_close_notify(&ssl);
			return;
		}
	}
}

} // namespace serversan::test
