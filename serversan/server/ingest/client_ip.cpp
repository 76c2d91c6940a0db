#include "serversan/server/ingest/client_ip.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cstring>

#include <fmt/format.h>

#include "serversan/core/encoding.h"

namespace serversan::ingest {

namespace {

constexpr std::array<uint8_t, 12> kMappedPrefix = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

} // namespace

std::optional<IpAddress> IpAddress::parse(std::string_view text) {
	if (text.empty() || text.size() > 45)
		return std::nullopt;
	char buf[64];
	std::memcpy(buf, text.data(), text.size());
	buf[text.size()] = '\0';
	IpAddress a;
	in_addr v4addr{};
	if (inet_pton(AF_INET, buf, &v4addr) == 1) {
		std::copy(kMappedPrefix.begin(), kMappedPrefix.end(), a.bytes.begin());
		std::memcpy(a.bytes.data() + 12, &v4addr, 4);
		return a;
	}
	in6_addr v6addr{};
	if (inet_pton(AF_INET6, buf, &v6addr) == 1) {
		std::memcpy(a.bytes.data(), &v6addr, 16);
		return a;
	}
	return std::nullopt;
}

IpAddress IpAddress::v4(uint32_t host_order) {
	IpAddress a;
	std::copy(kMappedPrefix.begin(), kMappedPrefix.end(), a.bytes.begin());
	a.bytes[12] = static_cast<uint8_t>(host_order >> 24);
	a.bytes[13] = static_cast<uint8_t>(host_order >> 16);
	a.bytes[14] = static_cast<uint8_t>(host_order >> 8);
	a.bytes[15] = static_cast<uint8_t>(host_order);
	return a;
}

IpAddress IpAddress::v6(const std::array<uint8_t, 16>& bytes) {
	IpAddress a;
	a.bytes = bytes;
	return a;
}

bool IpAddress::is_v4() const {
	return std::equal(kMappedPrefix.begin(), kMappedPrefix.end(), bytes.begin());
}

std::string IpAddress::to_string() const {
	char buf[INET6_ADDRSTRLEN];
	if (is_v4()) {
		if (!inet_ntop(AF_INET, bytes.data() + 12, buf, sizeof buf))
			return "?";
		return buf;
	}
	if (!inet_ntop(AF_INET6, bytes.data(), buf, sizeof buf))
		return "?";
	return buf;
}

bool Cidr::contains(const IpAddress& a) const {
	int full = prefix / 8;
	if (std::memcmp(a.bytes.data(), network.bytes.data(), static_cast<size_t>(full)) != 0)
		return false;
	int rest = prefix % 8;
	if (rest == 0)
		return true;
	auto mask = static_cast<uint8_t>(0xff << (8 - rest));
	return (a.bytes[static_cast<size_t>(full)] & mask) == (network.bytes[static_cast<size_t>(full)] & mask);
}

Result<CidrList> CidrList::parse(std::string_view text) {
	CidrList out;
	size_t i = 0;
	while (i < text.size()) {
		size_t end = text.find_first_of(", \t", i);
		if (end == std::string_view::npos)
			end = text.size();
		std::string_view item = text.substr(i, end - i);
		i = end + 1;
		if (item.empty())
			continue;
		size_t slash = item.find('/');
		auto addr = IpAddress::parse(item.substr(0, slash));
		if (!addr)
			return Err(fmt::format("\"{}\" is not an address or CIDR range", item));
		int max_prefix = addr->is_v4() ? 32 : 128;
		int prefix = max_prefix;
		if (slash != std::string_view::npos) {
			std::string_view p = item.substr(slash + 1);
			if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string_view::npos)
				return Err(fmt::format("\"{}\": bad prefix length", item));
			prefix = std::stoi(std::string(p));
			if (prefix > max_prefix)
				return Err(fmt::format("\"{}\": prefix longer than {}", item, max_prefix));
		}
		Cidr c{*addr, addr->is_v4() ? prefix + 96 : prefix};
		// Keep only the network bits, so "10.1.2.3/8" means 10.0.0.0/8 as it does elsewhere.
		for (int bit = c.prefix; bit < 128; ++bit)
			c.network.bytes[static_cast<size_t>(bit / 8)] &= static_cast<uint8_t>(~(0x80 >> (bit % 8)));
		out.entries_.push_back(c);
	}
	return out;
}

CidrList CidrList::loopback() {
	CidrList out;
	out.entries_.push_back(Cidr{IpAddress::v4(0x7f000000), 104});
	std::array<uint8_t, 16> one{};
	one[15] = 1;
	out.entries_.push_back(Cidr{IpAddress::v6(one), 128});
	return out;
}

bool CidrList::contains(const IpAddress& a) const {
	for (const Cidr& c : entries_)
		if (c.contains(a))
			return true;
	return false;
}

std::string CidrList::to_string() const {
	std::string out;
	for (const Cidr& c : entries_) {
		if (!out.empty())
			out += ", ";
		out += fmt::format("{}/{}", c.network.to_string(), c.network.is_v4() ? c.prefix - 96 : c.prefix);
	}
	return out;
}

std::string limit_key(const IpAddress& a) {
	if (a.is_v4())
		return a.to_string();
	IpAddress net = a;
	std::fill(net.bytes.begin() + 8, net.bytes.end(), uint8_t{0});
	return net.to_string() + "/64";
}

std::optional<IpAddress> parse_forwarded_hop(std::string_view hop) {
	hop = trim_blanks(hop);
	if (!hop.empty() && hop.front() == '[') {
		size_t close = hop.find(']');
		if (close == std::string_view::npos)
			return std::nullopt;
		return IpAddress::parse(hop.substr(1, close - 1));
	}
	// One colon: IPv4 with a port. Several: a bare IPv6 address.
	size_t colon = hop.find(':');
	if (colon != std::string_view::npos && hop.find(':', colon + 1) == std::string_view::npos)
		hop = hop.substr(0, colon);
	return IpAddress::parse(hop);
}

IpAddress resolve_client_ip(const IpAddress& peer, const std::vector<std::string_view>& forwarded_for,
                            const CidrList& trusted_proxies) {
	if (!trusted_proxies.contains(peer))
		return peer;
	std::vector<std::string_view> hops;
	for (std::string_view header : forwarded_for) {
		size_t i = 0;
		while (i <= header.size()) {
			size_t comma = header.find(',', i);
			if (comma == std::string_view::npos)
				comma = header.size();
			hops.push_back(header.substr(i, comma - i));
			i = comma + 1;
		}
	}
	IpAddress client = peer;
	for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
		if (trim_blanks(*it).empty())
			continue;
		auto hop = parse_forwarded_hop(*it);
		if (!hop)
			return client;
		client = *hop;
		if (!trusted_proxies.contains(client))
			return client;
	}
	return client;
}

} // namespace serversan::ingest
