#include "serversan/agent/collectors/addresses.h"

#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>

#include "serversan/agent/collectors/netlink.h"
#include "serversan/agent/collectors/text.h"
#include "serversan/core/encoding.h"

namespace serversan::agent {

namespace {

std::optional<uint32_t> hex_u32(std::string_view s) {
	if (s.empty() || s.size() > 8)
		return std::nullopt;
	uint32_t v = 0;
	for (char c : s) {
		int d = hex_digit_value(c);
		if (d < 0)
			return std::nullopt;
		v = v * 16 + static_cast<uint32_t>(d);
	}
	return v;
}

} // namespace

void parse_if_inet6(std::string_view text, std::vector<AddressEntry>& out) {
	while (!text.empty()) {
		std::string_view rest = next_line(text);
		std::string_view addr = next_field(rest), index = next_field(rest), prefix = next_field(rest),
		                 scope = next_field(rest), flags = next_field(rest), name = next_field(rest);
		if (addr.size() != 32 || name.empty() || !hex_u32(index))
			continue;
		auto p = hex_u32(prefix);
		auto sc = hex_u32(scope);
		auto fl = hex_u32(flags);
		if (!p || !sc || !fl || *p > 128)
			continue;
		AddressEntry e;
		e.family = AF_INET6;
		bool ok = true;
		for (size_t i = 0; i < 16; ++i) {
			int hi = hex_digit_value(addr[2 * i]), lo = hex_digit_value(addr[2 * i + 1]);
			if (hi < 0 || lo < 0) {
				ok = false;
				break;
			}
			e.address[i] = static_cast<uint8_t>(hi * 16 + lo);
		}
		if (!ok)
			continue;
		e.interface.assign(name);
		e.prefix = static_cast<uint8_t>(*p);
		e.scope = static_cast<uint8_t>(*sc);
		e.flags = *fl;
		out.push_back(std::move(e));
	}
}

namespace {

// One RTM_NEWADDR message; false if it is not a usable IPv4 address.
bool parse_ipv4_message(const nlmsghdr& h, std::span<const uint8_t> payload, AddressEntry& e) {
	if (h.nlmsg_type != RTM_NEWADDR || payload.size() < sizeof(ifaddrmsg))
		return false;
	ifaddrmsg ifa;
	std::memcpy(&ifa, payload.data(), sizeof ifa);
	if (ifa.ifa_family != AF_INET)
		return false;
	e = AddressEntry{};
	e.family = AF_INET;
	e.prefix = ifa.ifa_prefixlen;
	e.scope = ifa.ifa_scope;
	e.flags = ifa.ifa_flags;
	bool have_local = false, have_address = false;
	std::array<uint8_t, 4> local{}, address{};
	size_t pos = NLMSG_ALIGN(sizeof ifa);
	while (pos + sizeof(rtattr) <= payload.size()) {
		rtattr a;
		std::memcpy(&a, payload.data() + pos, sizeof a);
		if (a.rta_len < sizeof a || a.rta_len > payload.size() - pos)
			break;
		std::span<const uint8_t> data = payload.subspan(pos + RTA_LENGTH(0), a.rta_len - RTA_LENGTH(0));
		switch (a.rta_type) {
		case IFA_LOCAL:
			if (data.size() == 4) {
				std::memcpy(local.data(), data.data(), 4);
				have_local = true;
			}
			break;
		case IFA_ADDRESS:
			if (data.size() == 4) {
				std::memcpy(address.data(), data.data(), 4);
				have_address = true;
			}
			break;
		case IFA_LABEL: {
			std::string_view label(reinterpret_cast<const char*>(data.data()), data.size());
			label = label.substr(0, label.find('\0'));
			e.interface.assign(label.substr(0, label.find(':')));
			break;
		}
		case IFA_FLAGS: // the full 32 flag bits; ifa_flags holds only the low 8
			if (data.size() == 4)
				std::memcpy(&e.flags, data.data(), 4);
			break;
		default:
			break;
		}
		pos += RTA_ALIGN(a.rta_len);
	}
	// On a point-to-point link IFA_ADDRESS is the peer and IFA_LOCAL ours.
	if ((!have_local && !have_address) || e.interface.empty())
		return false;
	std::memcpy(e.address.data(), have_local ? local.data() : address.data(), 4);
	return true;
}

} // namespace

bool parse_ipv4_dump_chunk(std::span<const uint8_t> chunk, uint32_t seq, std::vector<AddressEntry>& out,
                           bool* done, int* error) {
	*done = false;
	AddressEntry e;
	auto on_message = [&](const nlmsghdr& h, std::span<const uint8_t> payload) {
		if (parse_ipv4_message(h, payload, e))
			out.push_back(e);
	};
	switch (walk_netlink_chunk(chunk, seq, on_message, error)) {
	case ChunkStatus::done:
		*done = true;
		return true;
	case ChunkStatus::more:
		return true;
	case ChunkStatus::error:
		break;
	}
	return false;
}

std::string primary_address(const std::vector<AddressEntry>& entries, std::string_view interface,
                            int family) {
	const AddressEntry* best = nullptr;
	int best_rank = 0;
	for (const AddressEntry& e : entries) {
		if (e.family != family || e.interface != interface)
			continue;
		int rank = 0; // higher wins; 0 never
		if (family == AF_INET) {
			if (e.flags & IFA_F_SECONDARY)
				continue;
			rank = e.scope == RT_SCOPE_UNIVERSE ? 2 : (e.scope == RT_SCOPE_HOST ? 0 : 1);
		} else {
			if (e.scope != 0 || (e.flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)))
				continue;
			bool ula = (e.address[0] & 0xfe) == 0xfc;
			bool stable = !(e.flags & (IFA_F_TEMPORARY | IFA_F_DEPRECATED));
			rank = 1 + (stable ? 2 : 0) + (ula ? 0 : 1);
		}
		if (rank > best_rank) {
			best = &e;
			best_rank = rank;
		}
	}
	if (!best)
		return {};
	char text[INET6_ADDRSTRLEN] = {};
	if (!::inet_ntop(family, best->address.data(), text, sizeof text))
		return {};
	return text;
}

Ipv4Lister netlink_ipv4_lister() {
	auto socket = std::make_shared<NetlinkSocket>(NETLINK_ROUTE);
	return [socket](std::vector<AddressEntry>& out) -> Result<void> {
		out.clear();
		ifaddrmsg request{};
		request.ifa_family = AF_INET;
		AddressEntry e;
		return socket->dump(RTM_GETADDR,
		                    std::span(reinterpret_cast<const uint8_t*>(&request), sizeof request),
		                    [&](const nlmsghdr& h, std::span<const uint8_t> payload) {
			                    if (parse_ipv4_message(h, payload, e) && out.size() < 4096)
				                    out.push_back(e);
		                    });
	};
}

AddressCollector::AddressCollector(const HostPaths& paths, Ipv4Lister ipv4)
    : if_inet6_(join_path(paths.proc, "net/if_inet6")), ipv4_(std::move(ipv4)) {}

std::pair<Result<void>, Result<void>> AddressCollector::refresh() {
	entries_.clear();
	Result<void> v6 = Ok();
	if (auto text = if_inet6_.read(1 << 20))
		parse_if_inet6(*text, entries_);
	else
		v6 = text.error();
	Result<void> v4 = Ok();
	if (ipv4_) {
		v4 = ipv4_(v4_);
		if (v4)
			entries_.insert(entries_.end(), v4_.begin(), v4_.end());
	}
	return {std::move(v6), std::move(v4)};
}

} // namespace serversan::agent
