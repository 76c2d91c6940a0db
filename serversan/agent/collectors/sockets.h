// Sockets collector: the O(1) kernel socket counters, read every round.
//   tcp_established  <proc>/net/snmp "Tcp:" CurrEstab (IPv4 and IPv6: one MIB for both)
//   tcp_inuse        <proc>/net/sockstat "TCP: inuse" + <proc>/net/sockstat6 "TCP6: inuse"
//   tcp_time_wait    sockstat "TCP: tw" (both families)
//   tcp_orphan       sockstat "TCP: orphan" (both families)
//   udp_inuse        sockstat "UDP: inuse"; udp6_inuse: sockstat6 "UDP6: inuse"
// sockstat6 is missing when IPv6 is disabled (ipv6.disable=1): then tcp_inuse is IPv4 alone and
// udp6_inuse is empty. The count of TCP sockets per state is the slow-cadence tcp_states.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "serversan/agent/collectors/proc_file.h"
#include "serversan/agent/host_paths.h"
#include "serversan/core/report.h"
#include "serversan/core/result.h"

namespace serversan::agent {

// CurrEstab from a /proc/net/snmp text (found by its column name); nullopt if absent.
std::optional<uint64_t> parse_snmp_curr_estab(std::string_view text);

struct SockstatCounts {
	std::optional<uint64_t> tcp_inuse, tcp_orphan, tcp_tw, udp_inuse; // sockstat
	std::optional<uint64_t> tcp6_inuse, udp6_inuse;                   // sockstat6
	bool operator==(const SockstatCounts&) const = default;
};
// Either file's text; fills the fields it has.
void parse_sockstat(std::string_view text, SockstatCounts& out);

class SocketCollector {
public:
	explicit SocketCollector(const HostPaths& paths);

	// Fills the socket fields of `out` (leaves the file handle fields alone). The first error of
	// each source, in order snmp, sockstat, sockstat6, is returned through `errors` (null: ok).
	void collect(Sockets& out, const Error* errors[3]);

private:
	ProcFile snmp_, sockstat_, sockstat6_;
	Error last_[3];
};

} // namespace serversan::agent
