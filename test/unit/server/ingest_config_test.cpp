// The ingest's configuration keys: defaults are reliability.md 2.2's, every layer can set them,
// and bad values (half a TLS pair, a bad CIDR, a bad listen address) fail the start with the key.
#include <gtest/gtest.h>

#include "serversan/server/ingest/ingest_config.h"

using namespace serversan;
using namespace serversan::ingest;
using namespace std::chrono_literals;

namespace {

Result<Options> load(std::vector<std::string> env) {
	ConfigSchema schema;
	add_ingest_config(schema);
	ConfigSources src;
	src.env = std::move(env);
	src.env_prefix = "SERVERSAN_SERVER_";
	auto cfg = load_config(schema, src);
	if (!cfg.ok())
		return cfg.error();
	return ingest_options_from(*cfg);
}

} // namespace

TEST(IngestConfig, DefaultsAreTheRecommendedLimits) {
	auto o = load({});
	ASSERT_TRUE(o.ok()) << o.error().message;
	EXPECT_EQ(o->http.address, "127.0.0.1");
	EXPECT_EQ(o->http.port, 8080);
	EXPECT_EQ(o->http.header_timeout, 10s);
	EXPECT_EQ(o->http.body_idle_timeout, 10s);
	EXPECT_EQ(o->http.body_timeout, 30s);
	EXPECT_EQ(o->http.idle_timeout, 75s);
	EXPECT_EQ(o->http.max_connections, 10'000u);
	EXPECT_EQ(o->http.max_connections_per_ip, 64u);
	EXPECT_EQ(o->http.max_header_bytes, 8192u);
	EXPECT_TRUE(o->http.tls_cert.empty());
	EXPECT_TRUE(o->http.trusted_proxies.empty());
	EXPECT_EQ(o->http.metrics_allow.to_string(), "127.0.0.0/8, ::1/128");
	EXPECT_EQ(o->service.max_body_bytes, 1u << 20);
	EXPECT_EQ(o->service.max_decoded_bytes, 8u << 20);
	EXPECT_EQ(o->service.per_ip.per_second, 20);
	EXPECT_EQ(o->service.per_ip.burst, 40);
	EXPECT_EQ(o->service.per_server.per_second, 1);
	EXPECT_EQ(o->service.per_server.burst, 10);
	EXPECT_EQ(o->service.auth_block.max_failures, 20);
	EXPECT_EQ(o->service.auth_block.window_s, 60);
	EXPECT_EQ(o->service.auth_block.block_s, 300);
	EXPECT_EQ(o->service.auth_block.max_block_s, 3600);
	EXPECT_EQ(o->service.auth_block.capacity, 100'000u);
	EXPECT_EQ(o->service.timestamp_window_s, 300);
	EXPECT_EQ(o->writer.max_queue_reports, 50'000u);
}

TEST(IngestConfig, EnvironmentSetsEveryKind) {
	auto o = load({"SERVERSAN_SERVER_INGEST_LISTEN=[::1]:8443", "SERVERSAN_SERVER_INGEST_TLS_CERT=/etc/c.pem",
	               "SERVERSAN_SERVER_INGEST_TLS_KEY=/etc/k.pem",
	               "SERVERSAN_SERVER_INGEST_TRUSTED_PROXIES=10.0.0.0/8, 127.0.0.1",
	               "SERVERSAN_SERVER_INGEST_RATE_PER_IP=0", "SERVERSAN_SERVER_INGEST_HEADER_TIMEOUT=250ms",
	               "SERVERSAN_SERVER_INGEST_MAX_BODY=2MiB", "SERVERSAN_SERVER_INGEST_METRICS_ALLOW="});
	ASSERT_TRUE(o.ok()) << o.error().message;
	EXPECT_EQ(o->http.address, "::1");
	EXPECT_EQ(o->http.port, 8443);
	EXPECT_EQ(o->http.tls_cert, "/etc/c.pem");
	EXPECT_EQ(o->http.trusted_proxies.entries().size(), 2u);
	EXPECT_FALSE(o->service.per_ip.enabled());
	EXPECT_EQ(o->http.header_timeout, 250ms);
	EXPECT_EQ(o->service.max_body_bytes, 2u << 20);
	EXPECT_TRUE(o->http.metrics_allow.empty());
}

TEST(IngestConfig, BadValuesNameTheKey) {
	auto half = load({"SERVERSAN_SERVER_INGEST_TLS_CERT=/etc/c.pem"});
	ASSERT_FALSE(half.ok());
	EXPECT_NE(half.error().message.find("ingest.tls_key"), std::string::npos) << half.error().message;
	auto cidr = load({"SERVERSAN_SERVER_INGEST_TRUSTED_PROXIES=10.0.0.0/40"});
	ASSERT_FALSE(cidr.ok());
	EXPECT_NE(cidr.error().message.find("ingest.trusted_proxies"), std::string::npos) << cidr.error().message;
	auto listen = load({"SERVERSAN_SERVER_INGEST_LISTEN=localhost"});
	ASSERT_FALSE(listen.ok());
	EXPECT_NE(listen.error().message.find("ingest.listen"), std::string::npos) << listen.error().message;
	auto block = load({"SERVERSAN_SERVER_INGEST_AUTH_BLOCK=2h", "SERVERSAN_SERVER_INGEST_AUTH_BLOCK_MAX=1h"});
	EXPECT_FALSE(block.ok());
	EXPECT_FALSE(load({"SERVERSAN_SERVER_INGEST_HEADER_TIMEOUT=0"}).ok()); // below the minimum
}

TEST(IngestConfig, ListenAddresses) {
	std::string a;
	uint16_t p = 0;
	EXPECT_TRUE(parse_listen("0.0.0.0:443", a, p).ok());
	EXPECT_EQ(a, "0.0.0.0");
	EXPECT_EQ(p, 443);
	EXPECT_TRUE(parse_listen("[::]:0", a, p).ok());
	EXPECT_EQ(a, "::");
	EXPECT_EQ(p, 0);
	for (const char* bad : {"8080", ":8080", "host:", "host:65536", "host:80x", "host:-1"})
		EXPECT_FALSE(parse_listen(bad, a, p).ok()) << bad;
}
