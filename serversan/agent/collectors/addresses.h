// Addresses collector: the primary IPv4 and IPv6 address of each network interface.
//
// IPv6 comes from <proc>/net/if_inet6 (one line per address, with scope and flags). IPv4 has no
// such file (fib_trie would need the routing table to map addresses to interfaces, and is huge
// on routers), so it comes from a NETLINK_ROUTE RTM_GETADDR dump for AF_INET, whose parse step
// (parse_ipv4_dump_chunk) is separate and tested on captured bytes.
//
// "Primary": for IPv4 the first address the kernel lists that is not secondary, preferring
// scope global; for IPv6 a global address, preferring a stable (not temporary, not deprecated)
// public one over a unique-local (fc00::/7) one; link-local, host, tentative and failed
// (dadfailed) addresses are never chosen. No address: empty string.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/agent/collectors/proc_file.h"
#include "serversan/agent/host_paths.h"
#include "serversan/core/result.h"

namespace serversan::agent {

struct AddressEntry {
	std::string interface;             // for IPv4 the label without an alias suffix ("eth0:1" -> "eth0")
	int family = 0;                    // AF_INET or AF_INET6
	std::array<uint8_t, 16> address{}; // network order; IPv4 in the first 4 bytes
	uint8_t prefix = 0;
	uint8_t scope = 0;  // RT_SCOPE_* (IPv4) or the if_inet6 scope bits (IPv6: 0x00 global, 0x20 link)
	uint32_t flags = 0; // IFA_F_*
	bool operator==(const AddressEntry&) const = default;
};

// <proc>/net/if_inet6 lines, appended to out.
void parse_if_inet6(std::string_view text, std::vector<AddressEntry>& out);
// The RTM_NEWADDR messages of one received dump chunk (see netlink.h), appended to out.
// Returns false if the chunk is malformed or carries an error (*error = errno); *done when the
// chunk ended the dump.
bool parse_ipv4_dump_chunk(std::span<const uint8_t> chunk, uint32_t seq, std::vector<AddressEntry>& out,
                           bool* done, int* error);

// The primary address of `interface` among `entries` of `family`, as text; "" if none.
std::string primary_address(const std::vector<AddressEntry>& entries, std::string_view interface, int family);

// Fills `out` with this host's IPv4 addresses (the agent's network namespace).
using Ipv4Lister = std::function<Result<void>(std::vector<AddressEntry>& out)>;
// The netlink lister: one socket and buffer kept for the agent's life.
Ipv4Lister netlink_ipv4_lister();

class AddressCollector {
public:
	AddressCollector(const HostPaths& paths, Ipv4Lister ipv4);

	// Re-reads both sources. Each failure is reported separately (the other family still
	// counts): the returned errors are for IPv6 and IPv4, in that order.
	std::pair<Result<void>, Result<void>> refresh();
	const std::vector<AddressEntry>& entries() const { return entries_; }

private:
	ProcFile if_inet6_;
	Ipv4Lister ipv4_;
	std::vector<AddressEntry> entries_, v4_;
};

} // namespace serversan::agent
