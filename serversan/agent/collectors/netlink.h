// Netlink dumps for the collectors that have no /proc file worth reading: interface IPv4
// addresses (NETLINK_ROUTE, RTM_GETADDR) and TCP sockets by state (NETLINK_SOCK_DIAG).
//
// The parsing is separate from the socket: walk_netlink_chunk() walks the messages of one
// received buffer, so tests feed it captured bytes. NetlinkSocket keeps one socket and, for a
// dump made every round, one receive buffer for the agent's life (no allocation per dump); a
// socket dumped only on the slow cadence frees its buffer after each dump. The buffer is never
// zero-filled: only the pages the kernel writes become resident. A dump ends with NLMSG_DONE; an
// NLMSG_ERROR, a truncated message or a socket error makes the whole dump an Error, never a
// partial answer presented as complete.
#pragma once

#include <cstdint>
#include <cstring>
#include <linux/netlink.h>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "serversan/core/result.h"

namespace serversan::agent {

enum class ChunkStatus { more, done, error };

// Calls f(const nlmsghdr&, std::span<const uint8_t> payload) for each data message of `chunk`
// (skipping messages whose sequence number is not `seq`); stops at NLMSG_DONE or NLMSG_ERROR.
// *error gets the errno of an NLMSG_ERROR (or EBADMSG for a malformed chunk).
template <typename F>
ChunkStatus walk_netlink_chunk(std::span<const uint8_t> chunk, uint32_t seq, F&& f, int* error) {
	size_t pos = 0;
	while (pos < chunk.size()) {
		nlmsghdr h;
		if (chunk.size() - pos < sizeof h) {
			*error = EBADMSG;
			return ChunkStatus::error;
		}
		std::memcpy(&h, chunk.data() + pos, sizeof h);
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > chunk.size() - pos) {
			*error = EBADMSG;
			return ChunkStatus::error;
		}
		std::span<const uint8_t> payload = chunk.subspan(pos + NLMSG_HDRLEN, h.nlmsg_len - NLMSG_HDRLEN);
		if (h.nlmsg_seq == seq) {
			if (h.nlmsg_type == NLMSG_DONE)
				return ChunkStatus::done;
			if (h.nlmsg_type == NLMSG_ERROR) {
				int32_t e = 0;
				if (payload.size() >= sizeof e)
					std::memcpy(&e, payload.data(), sizeof e);
				*error = e < 0 ? -e : EBADMSG;
				return ChunkStatus::error;
			}
			if (h.nlmsg_type >= NLMSG_MIN_TYPE)
				f(h, payload);
		}
		pos += NLMSG_ALIGN(h.nlmsg_len);
	}
	return ChunkStatus::more;
}

class NetlinkSocket {
public:
	enum class Buffer { keep, release };
	// Buffer::release: free the receive buffer after each dump (a socket used every few minutes
	// should not hold 64 KiB in between).
	explicit NetlinkSocket(int protocol, Buffer buffer = Buffer::keep)
	    : protocol_(protocol), buffer_(buffer) {}
	NetlinkSocket(const NetlinkSocket&) = delete;
	NetlinkSocket& operator=(const NetlinkSocket&) = delete;
	~NetlinkSocket();

	// Sends one dump request (the caller's payload after an nlmsghdr this function fills: type,
	// NLM_F_REQUEST | NLM_F_DUMP, a fresh sequence number) and walks every answer message with f.
	template <typename F>
	Result<void> dump(uint16_t type, std::span<const uint8_t> request, F&& f) {
		Result<void> result = dump_all(type, request, f);
		if (buffer_ == Buffer::release)
			buf_.reset();
		return result;
	}

	// The errno behind the last dump's Error (0 after a success).
	int last_errno() const { return last_errno_; }

private:
	template <typename F>
	Result<void> dump_all(uint16_t type, std::span<const uint8_t> request, F& f) {
		last_errno_ = 0;
		uint32_t seq = 0;
		if (auto sent = send_dump(type, request, seq); !sent)
			return sent;
		for (;;) {
			auto chunk = receive();
			if (!chunk)
				return chunk.error();
			int error = 0;
			switch (walk_netlink_chunk(*chunk, seq, f, &error)) {
			case ChunkStatus::done:
				return Ok();
			case ChunkStatus::error:
				close();
				last_errno_ = error;
				return failure("dump", error);
			case ChunkStatus::more:
				break;
			}
		}
	}

	Result<void> send_dump(uint16_t type, std::span<const uint8_t> request, uint32_t& seq);
	Result<std::span<const uint8_t>> receive();
	Error failure(const char* what, int error);
	void close();

	int protocol_;
	Buffer buffer_;
	int fd_ = -1;
	uint32_t seq_ = 0;
	int last_errno_ = 0;
	std::vector<uint8_t> request_;
	std::unique_ptr<uint8_t[]> buf_; // kReceiveBuffer bytes, allocated uninitialised
};

} // namespace serversan::agent
