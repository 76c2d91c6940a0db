// Sequence window (RFC 4303 section 3.4.3, the IPsec ESP anti-replay window) for one agent
// stream: the highest accepted sequence number and a bitmap of the 64 below it. It makes honest
// retries idempotent (a sequence already stored is a duplicate) and bounds memory to O(streams).
// The store keeps one window per (server, stream) and updates it in the same transaction as the
// reports, so a crash can never re-open a stored sequence number.
#pragma once

#include <cstdint>

namespace serversan {

enum class SeqVerdict { accept, duplicate, stale };

struct SeqWindow {
	static constexpr uint64_t kSize = 64;
	uint64_t high = 0;   // highest accepted sequence; 0 = none yet
	uint64_t bitmap = 0; // bit i set = (high - i) accepted; bit 0 is high itself

	// Classifies seq and, if accepted, records it.
	SeqVerdict admit(uint64_t seq) {
		if (seq == 0)
			return SeqVerdict::stale;
		if (seq > high) {
			uint64_t shift = seq - high;
			bitmap = shift >= kSize ? 1 : (bitmap << shift) | 1;
			high = seq;
			return SeqVerdict::accept;
		}
		uint64_t offset = high - seq;
		if (offset >= kSize)
			return SeqVerdict::stale;
		uint64_t bit = uint64_t{1} << offset;
		if (bitmap & bit)
			return SeqVerdict::duplicate;
		bitmap |= bit;
		return SeqVerdict::accept;
	}
	bool operator==(const SeqWindow&) const = default;
};

} // namespace serversan
