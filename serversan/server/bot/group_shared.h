// What the servers of a grouped outage have in common, for its message's last line: the tags all
// of them carry ("All tagged #db"), else the network their last report's address is in (the same
// IPv4 /24, else the same IPv6 /64: one rack, one provider's network). Only what is known: a
// server without tags, without a report or without an address leaves that part out. The host
// facts name no provider (virtualization is the hypervisor, not who runs it), so none is said.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "serversan/server/bot/views/alert_view.h"
#include "serversan/server/store/store.h"

namespace serversan::bot {

// "10.0.3.0/24" for "10.0.3.17"; "2001:db8:1:2::/64" for "2001:db8:1:2::5"; "" for anything
// that is not a routable address (loopback, link-local, unspecified, malformed).
std::string ipv4_net24(std::string_view address);
std::string ipv6_net64(std::string_view address);

// For an offline group of two servers or more; empty otherwise or when nothing is shared.
views::GroupShared group_shared(store::Store& store, const std::vector<views::GroupItem>& items);

} // namespace serversan::bot
