#include "serversan/server/ingest/ingest_config.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace serversan::ingest {

namespace {

std::chrono::milliseconds ms(double seconds) {
	return std::chrono::milliseconds(static_cast<int64_t>(std::llround(seconds * 1000)));
}

} // namespace

void add_ingest_config(ConfigSchema& s) {
	s.add_string("ingest.listen", "127.0.0.1:8080", "ADDRESS:PORT of the report endpoint").flag("--listen");
	s.add_int("ingest.threads", 2, "HTTP worker threads", 1, 64).flag("--threads");
	s.add_duration("ingest.agent_interval", 0, "Reporting interval suggested to agents (0: theirs)", 0, 3600)
	    .flag("--agent-interval");
	s.add_duration("ingest.timestamp_window", 300, "Accepted clock difference of signed requests", 30, 900);

	s.add_string("ingest.tls_cert", "", "PEM certificate chain for HTTPS (with tls_key; empty: plain HTTP)")
	    .flag("--tls-cert");
	s.add_string("ingest.tls_key", "", "PEM private key of tls_cert").flag("--tls-key");
	s.add_string(
	    "ingest.trusted_proxies", "",
	    "Reverse proxies whose X-Forwarded-For is believed (CIDR list, e.g. \"127.0.0.1, 10.0.0.0/8\")");
	s.add_string("ingest.metrics_allow", "127.0.0.0/8, ::1",
	             "Client addresses that may read /metrics (CIDR list; empty: /metrics off)");

	s.add_string("ingest.downloads_dir", "",
	             "Directory with install.sh and serversan-agent-ARCH builds served to the install one-liner "
	             "(empty: none)");

	s.add_bytes("ingest.max_body", 1 << 20, "Largest request body on the wire", 4096, 64 << 20);
	s.add_bytes("ingest.max_decoded_body", 8 << 20, "Largest request body after gunzip", 4096, 256 << 20);
	s.add_bytes("ingest.max_header", 8192, "Largest request header block", 1024, 65536);
	s.add_int("ingest.max_connections", 10000, "Concurrent connections", 1, 1000000);
	s.add_int("ingest.max_connections_per_ip", 64, "Concurrent connections from one address (proxies exempt)",
	          1, 1000000);
	s.add_duration("ingest.header_timeout", 10, "TLS handshake plus request headers (slowloris)", 0.05, 300);
	s.add_duration("ingest.body_idle_timeout", 10, "Longest pause while a body arrives", 0.05, 300);
	s.add_duration("ingest.body_timeout", 30, "Whole request body", 0.05, 600);
	s.add_duration("ingest.keepalive_timeout", 75, "Idle keep-alive connection", 0.05, 3600);
	s.add_duration("ingest.write_timeout", 10, "Sending an answer", 0.05, 300);

	s.add_number("ingest.rate_per_ip", 20, "Requests per second per client address (0: no limit)", 0, 1e6);
	s.add_number("ingest.burst_per_ip", 40, "Burst per client address", 1, 1e6);
	s.add_number("ingest.rate_per_server", 1, "Authenticated requests per second per server (0: no limit)", 0,
	             1e6);
	s.add_number("ingest.burst_per_server", 10, "Burst per server", 1, 1e6);
	s.add_int("ingest.limiter_entries", 100000, "Addresses and servers tracked by the rate limiters", 100,
	          100000000);
	s.add_int("ingest.auth_fail_limit", 20,
	          "Failed authentications per window that block an address (0: off)", 0, 1000000);
	s.add_duration("ingest.auth_fail_window", 60, "Window of auth_fail_limit", 1, 86400);
	s.add_duration("ingest.auth_block", 300, "First block of an address", 1, 86400);
	s.add_duration("ingest.auth_block_max", 3600, "Longest block (repeated blocks double)", 1, 7 * 86400);
	s.add_int("ingest.auth_block_entries", 100000, "Addresses tracked for failed authentications", 100,
	          100000000);

	// Entries live one timestamp window (+10 s): 16M covers 50k requests/s (60-80 bytes each).
	s.add_int("ingest.nonce_cache_entries", 16000000, "Replay cache size (full: 503)", 1000, 1000000000);
	s.add_int("ingest.key_cache_entries", 200000, "Signing keys kept in memory", 100, 100000000);
	s.add_duration("ingest.key_cache_ttl", 3600, "Re-read a cached signing key after this long", 1,
	               7 * 86400);
	s.add_int("ingest.writer_queue", 50000, "Reports waiting for the writer (full: 503)", 1, 100000000);
	s.add_int("ingest.writer_group", 2000, "Most reports per transaction", 1, 1000000);
}

Result<void> parse_listen(std::string_view text, std::string& address, uint16_t& port) {
	size_t colon = text.rfind(':');
	if (colon == std::string_view::npos || colon == 0)
		return Err(fmt::format("wants ADDRESS:PORT, got \"{}\"", text));
	std::string_view host = text.substr(0, colon);
	if (host.size() > 2 && host.front() == '[' && host.back() == ']')
		host = host.substr(1, host.size() - 2);
	std::string_view p = text.substr(colon + 1);
	unsigned value = 0;
	auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
	if (p.empty() || ec != std::errc() || end != p.data() + p.size() || value > 65535)
		return Err(fmt::format("bad port in \"{}\"", text));
	address = std::string(host);
	port = static_cast<uint16_t>(value);
	return Ok();
}

Result<Options> ingest_options_from(const Config& c) {
	Options o;
	IngestOptions& s = o.service;
	s.interval_s = c.get_duration_s("ingest.agent_interval");
	s.timestamp_window_s = static_cast<int64_t>(c.get_duration_s("ingest.timestamp_window"));
	s.max_body_bytes = c.get_bytes("ingest.max_body");
	s.max_decoded_bytes = c.get_bytes("ingest.max_decoded_body");
	s.nonce_capacity = static_cast<size_t>(c.get_int("ingest.nonce_cache_entries"));
	s.per_ip = {c.get_double("ingest.rate_per_ip"), c.get_double("ingest.burst_per_ip")};
	s.per_server = {c.get_double("ingest.rate_per_server"), c.get_double("ingest.burst_per_server")};
	s.limiter_capacity = static_cast<size_t>(c.get_int("ingest.limiter_entries"));
	s.auth_block.max_failures = static_cast<int>(c.get_int("ingest.auth_fail_limit"));
	s.auth_block.window_s = static_cast<int64_t>(std::ceil(c.get_duration_s("ingest.auth_fail_window")));
	s.auth_block.block_s = static_cast<int64_t>(std::ceil(c.get_duration_s("ingest.auth_block")));
	s.auth_block.max_block_s = static_cast<int64_t>(std::ceil(c.get_duration_s("ingest.auth_block_max")));
	s.auth_block.capacity = static_cast<size_t>(c.get_int("ingest.auth_block_entries"));
	s.key_cache.capacity = static_cast<size_t>(c.get_int("ingest.key_cache_entries"));
	s.key_cache.ttl_s = static_cast<int64_t>(std::ceil(c.get_duration_s("ingest.key_cache_ttl")));
	if (s.auth_block.max_block_s < s.auth_block.block_s)
		return Err("ingest.auth_block_max must not be shorter than ingest.auth_block");

	o.writer.max_queue_reports = static_cast<size_t>(c.get_int("ingest.writer_queue"));
	o.writer.max_group_reports = static_cast<size_t>(c.get_int("ingest.writer_group"));

	HttpOptions& h = o.http;
	if (auto r = parse_listen(c.get_string("ingest.listen"), h.address, h.port); !r.ok())
		return Err("ingest.listen " + r.error().message);
	h.threads = static_cast<int>(c.get_int("ingest.threads"));
	h.max_connections = static_cast<size_t>(c.get_int("ingest.max_connections"));
	h.max_connections_per_ip = static_cast<size_t>(c.get_int("ingest.max_connections_per_ip"));
	h.max_header_bytes = c.get_bytes("ingest.max_header");
	h.header_timeout = ms(c.get_duration_s("ingest.header_timeout"));
	h.body_idle_timeout = ms(c.get_duration_s("ingest.body_idle_timeout"));
	h.body_timeout = ms(c.get_duration_s("ingest.body_timeout"));
	h.idle_timeout = ms(c.get_duration_s("ingest.keepalive_timeout"));
	h.write_timeout = ms(c.get_duration_s("ingest.write_timeout"));
	h.tls_cert = c.get_string("ingest.tls_cert");
	h.tls_key = c.get_string("ingest.tls_key");
	h.downloads_dir = c.get_string("ingest.downloads_dir");
	if (h.tls_cert.empty() != h.tls_key.empty())
		return Err("ingest.tls_cert and ingest.tls_key go together: set both for HTTPS, neither for HTTP");
	auto proxies = CidrList::parse(c.get_string("ingest.trusted_proxies"));
	if (!proxies.ok())
		return Err("ingest.trusted_proxies: " + proxies.error().message);
	h.trusted_proxies = std::move(*proxies);
	auto allow = CidrList::parse(c.get_string("ingest.metrics_allow"));
	if (!allow.ok())
		return Err("ingest.metrics_allow: " + allow.error().message);
	h.metrics_allow = std::move(*allow);
	return o;
}

} // namespace serversan::ingest
