#include "serversan/server/bot/group_shared.h"

#include <algorithm>
#include <arpa/inet.h>
#include <optional>

#include "serversan/server/alerts/rule_catalog.h"

namespace serversan::bot {

std::string ipv4_net24(std::string_view address) {
	in_addr a{};
	if (inet_pton(AF_INET, std::string(address).c_str(), &a) != 1)
		return {};
	auto* b = reinterpret_cast<unsigned char*>(&a.s_addr);
	if (b[0] == 127 || b[0] == 0 || (b[0] == 169 && b[1] == 254))
		return {};
	b[3] = 0;
	char out[INET_ADDRSTRLEN];
	return inet_ntop(AF_INET, &a, out, sizeof out) ? std::string(out) + "/24" : std::string();
}

std::string ipv6_net64(std::string_view address) {
	in6_addr a{};
	if (inet_pton(AF_INET6, std::string(address).c_str(), &a) != 1)
		return {};
	if (IN6_IS_ADDR_LOOPBACK(&a) || IN6_IS_ADDR_UNSPECIFIED(&a) || IN6_IS_ADDR_LINKLOCAL(&a) ||
	    IN6_IS_ADDR_V4MAPPED(&a))
		return {};
	std::fill(a.s6_addr + 8, a.s6_addr + 16, 0);
	char out[INET6_ADDRSTRLEN];
	return inet_ntop(AF_INET6, &a, out, sizeof out) ? std::string(out) + "/64" : std::string();
}

namespace {

// The networks of a server's newest report: its first routable IPv4 /24 and IPv6 /64.
struct Nets {
	std::string v4, v6;
};

std::optional<Nets> networks(store::Store& store, uint64_t server_id) {
	auto latest = store.latest(server_id);
	if (!latest.ok() || !*latest)
		return std::nullopt;
	Nets n;
	for (const auto& nic : (*latest)->report.interfaces) {
		if (n.v4.empty())
			n.v4 = ipv4_net24(nic.ipv4);
		if (n.v6.empty())
			n.v6 = ipv6_net64(nic.ipv6);
	}
	return n;
}

} // namespace

views::GroupShared group_shared(store::Store& store, const std::vector<views::GroupItem>& items) {
	if (items.size() < 2 || items.front().firing.kind != alerts::kMetricOffline)
		return {};
	views::GroupShared out;
	std::optional<std::vector<std::string>> tags; // the intersection so far
	std::optional<std::string> v4, v6;            // the shared network so far; "" once they differ
	for (const views::GroupItem& i : items) {
		auto own = store.server_tags(i.firing.server_id); // sorted
		std::vector<std::string> have = own.ok() ? std::move(*own) : std::vector<std::string>{};
		if (!tags) {
			tags = std::move(have);
		} else {
			std::vector<std::string> both;
			std::set_intersection(tags->begin(), tags->end(), have.begin(), have.end(),
			                      std::back_inserter(both));
			tags = std::move(both);
		}
		auto nets = networks(store, i.firing.server_id);
		Nets n = nets ? *nets : Nets{};
		v4 = !v4 ? n.v4 : *v4 == n.v4 ? *v4 : "";
		v6 = !v6 ? n.v6 : *v6 == n.v6 ? *v6 : "";
	}
	if (tags && !tags->empty())
		out.tags = std::move(*tags);
	else
		out.subnet = v4 && !v4->empty() ? *v4 : v6 ? *v6 : "";
	return out;
}

} // namespace serversan::bot
