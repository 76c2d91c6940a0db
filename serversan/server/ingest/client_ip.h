// Client addresses and trusted proxies.
//
// The address a request is accounted to (rate limits, failed-authentication blocks, the /metrics
// allow list, logs) is the socket peer, unless the peer is one of `trusted_proxies`; then it is
// the right-most X-Forwarded-For hop that is not itself a trusted proxy (nginx's
// real_ip_recursive). Hops to the left of that one were written by the client and prove nothing.
// An untrusted peer's forwarded headers are ignored entirely, so a client cannot pick the address
// its limits are counted against (Beszel's getRealIP trusted any caller's header).
//
// IPv4 addresses are kept as IPv4-mapped IPv6 (::ffff:a.b.c.d), so one 16-byte form and one CIDR
// test cover both families, and a dual-stack socket's mapped peers match IPv4 ranges.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/core/result.h"

namespace serversan::ingest {

struct IpAddress {
	std::array<uint8_t, 16> bytes{};

	// "192.0.2.1", "2001:db8::1", "::ffff:192.0.2.1"; nullopt for anything else (no ports, no
	// brackets, no zone ids).
	static std::optional<IpAddress> parse(std::string_view text);
	static IpAddress v4(uint32_t host_order);
	static IpAddress v6(const std::array<uint8_t, 16>& bytes);

	bool is_v4() const;
	// Dotted quad for IPv4 (mapped) addresses, RFC 5952 text for IPv6.
	std::string to_string() const;
	bool operator==(const IpAddress&) const = default;
};

struct Cidr {
	IpAddress network;
	int prefix = 128; // over the 16-byte form: an IPv4 /8 is stored as /104
	bool contains(const IpAddress& a) const;
};

class CidrList {
public:
	// Comma- or space-separated entries such as "10.0.0.0/8, 192.168.1.7, ::1, fd00::/8".
	// A bare address is a single host. The error names the bad entry.
	static Result<CidrList> parse(std::string_view text);
	// 127.0.0.0/8 and ::1.
	static CidrList loopback();

	bool contains(const IpAddress& a) const;
	bool empty() const { return entries_.empty(); }
	const std::vector<Cidr>& entries() const { return entries_; }
	std::string to_string() const;

private:
	std::vector<Cidr> entries_;
};

// The key an address's limits are counted under: the address itself for IPv4, its /64 for IPv6
// ("2001:db8:1:2::/64"), since one IPv6 host usually holds a whole /64 and could otherwise
// step around every per-address limit by changing its interface id.
std::string limit_key(const IpAddress& a);

// Strips what proxies add around an address in X-Forwarded-For: spaces, "[v6]:port" brackets, an
// IPv4 ":port"; then parses it.
std::optional<IpAddress> parse_forwarded_hop(std::string_view hop);

// The client address of a request from `peer` carrying these X-Forwarded-For values (all
// occurrences, in order; a proxy chain may add one header per hop). If every hop is trusted the
// left-most one is the client; a hop that is not an address ("unknown") stops the walk and the
// last trusted address to its right is used.
IpAddress resolve_client_ip(const IpAddress& peer, const std::vector<std::string_view>& forwarded_for,
                            const CidrList& trusted_proxies);

} // namespace serversan::ingest
