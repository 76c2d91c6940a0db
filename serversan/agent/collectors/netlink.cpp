#include "serversan/agent/collectors/netlink.h"

#include <cerrno>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

namespace serversan::agent {

namespace {
constexpr size_t kReceiveBuffer = 64 << 10; // the kernel fills at most 32 KiB per dump message batch
constexpr int kReceiveTimeoutS = 5;
} // namespace

NetlinkSocket::~NetlinkSocket() {
	close();
}

void NetlinkSocket::close() {
	if (fd_ >= 0)
		::close(fd_);
	fd_ = -1;
}

Error NetlinkSocket::failure(const char* what, int error) {
	last_errno_ = error;
	return Err(fmt::format("netlink ({}) {}: {}", protocol_ == NETLINK_ROUTE ? "route" : "sock_diag", what,
	                       std::strerror(error)));
}

Result<void> NetlinkSocket::send_dump(uint16_t type, std::span<const uint8_t> request, uint32_t& seq) {
	if (fd_ < 0) {
		fd_ = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol_);
		if (fd_ < 0)
			return failure("socket", errno);
		// A kernel that never answers must not hang the agent's round.
		timeval tv{kReceiveTimeoutS, 0};
		::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	}
	if (!buf_) // not make_unique: that would zero all 64 KiB, making every page resident
		buf_.reset(new uint8_t[kReceiveBuffer]);
	seq = ++seq_;
	request_.resize(NLMSG_HDRLEN + request.size());
	nlmsghdr h{};
	h.nlmsg_len = static_cast<uint32_t>(request_.size());
	h.nlmsg_type = type;
	h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	h.nlmsg_seq = seq;
	std::memcpy(request_.data(), &h, sizeof h);
	if (!request.empty())
		std::memcpy(request_.data() + NLMSG_HDRLEN, request.data(), request.size());
	sockaddr_nl kernel{};
	kernel.nl_family = AF_NETLINK;
	for (;;) {
		ssize_t n = ::sendto(fd_, request_.data(), request_.size(), 0, reinterpret_cast<sockaddr*>(&kernel),
		                     sizeof kernel);
		if (n >= 0)
			return Ok();
		if (errno == EINTR)
			continue;
		int e = errno;
		close();
		return failure("send", e);
	}
}

Result<std::span<const uint8_t>> NetlinkSocket::receive() {
	for (;;) {
		ssize_t n = ::recv(fd_, buf_.get(), kReceiveBuffer, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(); // the rest of the dump would confuse the next one
			return failure("receive", e == EAGAIN ? ETIMEDOUT : e);
		}
		if (n == 0) {
			close();
			return failure("receive", EBADMSG);
		}
		return std::span<const uint8_t>(buf_.get(), static_cast<size_t>(n));
	}
}

} // namespace serversan::agent
