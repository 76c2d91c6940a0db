#include "serversan/agent/collectors/tcp_states.h"

#include <cerrno>
#include <cstddef>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <memory>
#include <netinet/in.h>
#include <sys/socket.h>

#include "serversan/agent/collectors/netlink.h"

namespace serversan::agent {

namespace {
// Index = TCP_* state number (include/net/tcp_states.h); 12 is TCP_NEW_SYN_RECV.
constexpr const char* kStateNames[] = {nullptr,      "established", "syn_sent",  "syn_recv",
                                       "fin_wait1",  "fin_wait2",   "time_wait", "close",
                                       "close_wait", "last_ack",    "listen",    "closing"};
constexpr uint8_t kNewSynRecv = 12;
constexpr uint8_t kSynRecv = 3;
} // namespace

void TcpStateCounts::add_message(std::span<const uint8_t> payload) {
	if (payload.size() < sizeof(inet_diag_msg))
		return;
	uint8_t state = payload[offsetof(inet_diag_msg, idiag_state)];
	if (state == kNewSynRecv)
		state = kSynRecv;
	if (state < by_state.size())
		++by_state[state];
}

bool TcpStateCounts::add_chunk(std::span<const uint8_t> chunk, uint32_t seq, bool* done, int* error) {
	*done = false;
	auto on_message = [this](const nlmsghdr& h, std::span<const uint8_t> payload) {
		if (h.nlmsg_type == SOCK_DIAG_BY_FAMILY)
			add_message(payload);
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

std::vector<TcpStateCount> TcpStateCounts::to_report() const {
	std::vector<TcpStateCount> out;
	out.reserve(std::size(kStateNames) - 1);
	for (size_t s = 1; s < std::size(kStateNames); ++s)
		out.push_back({kStateNames[s], by_state[s]});
	return out;
}

Result<TcpStateCounts> count_tcp_states(const TcpFamilyDump& dump) {
	TcpStateCounts counts;
	for (uint8_t family : {uint8_t(AF_INET), uint8_t(AF_INET6)}) {
		int error = 0;
		auto dumped = dump(family, counts, &error);
		if (!dumped && !(family == AF_INET6 && error == ENOENT))
			return dumped.error();
	}
	return counts;
}

TcpStateSource netlink_tcp_state_counter() {
	// Slow cadence only: the socket stays open, its 64 KiB buffer does not stay allocated.
	auto socket = std::make_shared<NetlinkSocket>(NETLINK_SOCK_DIAG, NetlinkSocket::Buffer::release);
	auto dump = [socket](uint8_t family, TcpStateCounts& counts, int* error) -> Result<void> {
		inet_diag_req_v2 request{};
		request.sdiag_family = family;
		request.sdiag_protocol = IPPROTO_TCP;
		request.idiag_states = 0xfff; // TCP_ESTABLISHED .. TCP_CLOSING, and SYN_RECV requests
		auto dumped = socket->dump(SOCK_DIAG_BY_FAMILY,
		                           std::span(reinterpret_cast<const uint8_t*>(&request), sizeof request),
		                           [&](const nlmsghdr& h, std::span<const uint8_t> payload) {
			                           if (h.nlmsg_type == SOCK_DIAG_BY_FAMILY)
				                           counts.add_message(payload);
		                           });
		*error = socket->last_errno();
		return dumped;
	};
	return [dump] { return count_tcp_states(dump); };
}

} // namespace serversan::agent
