// A minimal HTTPS endpoint for bench/agent_rss.sh: mbedTLS, one connection at a time (the agent
// keeps one alive), answers every POST with 200 and the protocol's accepted count, and writes
// the running total of reports to a file so the script knows when N collections have arrived.
// It checks nothing (no signature, no JSON): it stands in for the server only to make the agent
// do its real HTTPS work.
//
//   bench_agent_rss_server PORT CERT KEY COUNT_FILE
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <sys/random.h>

#include <mbedtls/net_sockets.h>
#include <mbedtls/pk.h>
#include <mbedtls/ssl.h>
#include <mbedtls/ssl_cache.h>
#include <mbedtls/version.h>
#include <mbedtls/x509_crt.h>

namespace {

volatile std::sig_atomic_t g_stop = 0;
extern "C" void on_signal(int) {
	g_stop = 1;
}

int rng(void*, unsigned char* out, size_t len) {
	size_t done = 0;
	while (done < len) {
		ssize_t n = getrandom(out + done, len - done, 0);
		if (n < 0 && errno != EINTR)
			return -1;
		if (n > 0)
			done += static_cast<size_t>(n);
	}
	return 0;
}

long long now_ms() {
	timespec ts{};
	clock_gettime(CLOCK_REALTIME, &ts);
	return static_cast<long long>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

size_t count_reports(const std::string& body) {
	size_t n = 0;
	for (size_t at = body.find("{\"seq\":"); at != std::string::npos; at = body.find("{\"seq\":", at + 1))
		++n;
	return n;
}

} // namespace

int main(int argc, char** argv) {
	if (argc != 5) {
		std::fprintf(stderr, "usage: %s PORT CERT KEY COUNT_FILE\n", argv[0]);
		return 2;
	}
	struct sigaction sa {};
	sa.sa_handler = on_signal; // no SA_RESTART: a blocked accept or read returns at once
	sigaction(SIGTERM, &sa, nullptr);
	sigaction(SIGINT, &sa, nullptr);
	std::signal(SIGPIPE, SIG_IGN);
	mbedtls_x509_crt cert;
	mbedtls_pk_context key;
	mbedtls_ssl_config conf;
	mbedtls_ssl_cache_context cache;
	mbedtls_net_context listener;
	mbedtls_x509_crt_init(&cert);
	mbedtls_pk_init(&key);
	mbedtls_ssl_config_init(&conf);
	mbedtls_ssl_cache_init(&cache);
	mbedtls_net_init(&listener);
#if MBEDTLS_VERSION_MAJOR >= 3
	int key_rc = mbedtls_pk_parse_keyfile(&key, argv[3], nullptr, rng, nullptr);
#else
	int key_rc = mbedtls_pk_parse_keyfile(&key, argv[3], nullptr);
#endif
	if (mbedtls_x509_crt_parse_file(&cert, argv[2]) != 0 || key_rc != 0 ||
	    mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_SERVER, MBEDTLS_SSL_TRANSPORT_STREAM,
	                                MBEDTLS_SSL_PRESET_DEFAULT) != 0 ||
	    mbedtls_ssl_conf_own_cert(&conf, &cert, &key) != 0 ||
	    mbedtls_net_bind(&listener, "127.0.0.1", argv[1], MBEDTLS_NET_PROTO_TCP) != 0) {
		std::fprintf(stderr, "cannot set up TLS on port %s\n", argv[1]);
		return 1;
	}
	mbedtls_ssl_conf_rng(&conf, rng, nullptr);
	mbedtls_ssl_conf_session_cache(&conf, &cache, mbedtls_ssl_cache_get, mbedtls_ssl_cache_set);
	std::printf("ready\n");
	std::fflush(stdout);

	unsigned long long reports = 0, requests = 0, handshakes = 0;
	while (!g_stop) {
		mbedtls_net_context client;
		mbedtls_net_init(&client);
		if (mbedtls_net_accept(&listener, &client, nullptr, 0, nullptr) != 0) {
			mbedtls_net_free(&client);
			continue;
		}
		mbedtls_ssl_context ssl;
		mbedtls_ssl_init(&ssl);
		mbedtls_ssl_setup(&ssl, &conf);
		mbedtls_ssl_set_bio(&ssl, &client, mbedtls_net_send, mbedtls_net_recv, nullptr);
		if (mbedtls_ssl_handshake(&ssl) == 0) {
			++handshakes;
			std::string buf;
			unsigned char tmp[16384];
			for (bool open = true; open && !g_stop;) {
				size_t end;
				while (open && (end = buf.find("\r\n\r\n")) == std::string::npos) {
					int n = mbedtls_ssl_read(&ssl, tmp, sizeof tmp);
					if (n <= 0)
						open = false;
					else
						buf.append(reinterpret_cast<char*>(tmp), static_cast<size_t>(n));
				}
				if (!open)
					break;
				size_t length = 0;
				size_t cl = buf.find("Content-Length: ");
				if (cl != std::string::npos && cl < end)
					length = std::strtoull(buf.c_str() + cl + 16, nullptr, 10);
				while (open && buf.size() < end + 4 + length) {
					int n = mbedtls_ssl_read(&ssl, tmp, sizeof tmp);
					if (n <= 0)
						open = false;
					else
						buf.append(reinterpret_cast<char*>(tmp), static_cast<size_t>(n));
				}
				if (!open)
					break;
				size_t n = count_reports(buf.substr(end + 4, length));
				buf.erase(0, end + 4 + length);
				reports += n;
				++requests;
				long long t = now_ms();
				std::string body = "{\"status\":\"ok\",\"accepted\":" + std::to_string(n) +
				                   ",\"duplicates\":0,\"stale\":0,\"server_time_ms\":" + std::to_string(t) +
				                   "}";
				std::string answer =
				    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-ServerSan-Time: " +
				    std::to_string(t) + "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
				    body;
				for (size_t off = 0; off < answer.size();) {
					int w =
					    mbedtls_ssl_write(&ssl, reinterpret_cast<const unsigned char*>(answer.data()) + off,
					                      answer.size() - off);
					if (w <= 0) {
						open = false;
						break;
					}
					off += static_cast<size_t>(w);
				}
				// Written aside and renamed, so that a reader never sees a half-written file.
				std::string tmp_path = std::string(argv[4]) + ".tmp";
				if (FILE* f = std::fopen(tmp_path.c_str(), "w")) {
					std::fprintf(f, "%llu %llu %llu\n", reports, requests, handshakes);
					std::fclose(f);
					std::rename(tmp_path.c_str(), argv[4]);
				}
			}
			mbedtls_ssl_close_notify(&ssl);
		}
		mbedtls_ssl_free(&ssl);
		mbedtls_net_free(&client);
	}
	std::printf("reports %llu requests %llu handshakes %llu\n", reports, requests, handshakes);
	mbedtls_net_free(&listener);
	mbedtls_ssl_cache_free(&cache);
	mbedtls_ssl_config_free(&conf);
	mbedtls_pk_free(&key);
	mbedtls_x509_crt_free(&cert);
	return 0;
}
