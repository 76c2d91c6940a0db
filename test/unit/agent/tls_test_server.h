// Test-only HTTPS server on mbedTLS, and the certificates it uses, made at test time with the
// openssl command (no private key is ever committed). One connection at a time, one request at a
// time, like the plain TestServer of http_client_test.cpp: enough to script what the agent's
// TLS client must accept and refuse.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace serversan::test {

// Files in a temporary directory, removed at exit.
struct TestCerts {
	std::string dir;
	std::string ca;                                  // test CA certificate (PEM)
	std::string other_ca;                            // an unrelated CA
	std::string server_cert, server_key;             // signed by ca for IP 127.0.0.1 and DNS localhost
	std::string wrong_name_cert, wrong_name_key;     // signed by ca for DNS other.example only
	std::string other_server_cert, other_server_key; // signed by other_ca, IP 127.0.0.1
	std::string both_cas;                            // other_ca then ca, one bundle
	std::string self_signed_cert, self_signed_key;   // self-signed, IP 127.0.0.1
	std::string self_signed_pin;                     // its SHA-256 (DER), hex
	std::string server_pin;                          // server_cert's SHA-256, hex
};

// Generated once per process; nullptr (and a message in *why) if openssl is not available.
const TestCerts* test_certs(std::string* why = nullptr);

// SHA-256 of the first certificate in a PEM file, as lowercase hex (what tls.pin_sha256 takes).
std::string cert_sha256_hex(const std::string& pem_file);

class TlsTestServer {
public:
	struct Reply {
		std::string bytes;
		bool close_after = false;
		bool hang = false; // answer nothing, keep the connection open
	};
	using Handler = std::function<Reply(const std::string& request)>;

	enum class Mode {
		normal,
		no_handshake, // accept TCP, then never speak TLS
	};

	TlsTestServer(const std::string& cert_file, const std::string& key_file, Handler handler,
	              Mode mode = Mode::normal);
	~TlsTestServer();
	TlsTestServer(const TlsTestServer&) = delete;
	TlsTestServer& operator=(const TlsTestServer&) = delete;

	uint16_t port() const { return port_; }
	int connections() const { return connections_; }
	int handshakes() const { return handshakes_; }
	std::vector<std::string> requests();

	struct State;

private:
	void run();
	void serve(int fd);

	std::unique_ptr<State> state_;
	Handler handler_;
	Mode mode_;
	int listen_fd_ = -1;
	uint16_t port_ = 0;
	std::atomic<bool> stop_{false};
	std::atomic<int> connections_{0};
	std::atomic<int> handshakes_{0};
	std::mutex mutex_;
	std::vector<std::string> requests_;
	std::thread thread_;
};

// "HTTP/1.1 200 OK" with a JSON body and Content-Length.
std::string http_ok_json(const std::string& body, const std::string& extra_headers = {});

} // namespace serversan::test
