#include "serversan/agent/collectors/network.h"

#include <algorithm>

#include "serversan/agent/collectors/text.h"

namespace serversan::agent {

void parse_net_dev_into(std::string_view text, std::vector<NetDevCounters>& out) {
	size_t n = 0;
	while (!text.empty()) {
		std::string_view line = next_line(text);
		// "  eth0: 123 ..." (older kernels had no space after the colon: "eth0:123"); the two
		// header lines have a '|' and no colon.
		size_t colon = line.find(':');
		if (colon == std::string_view::npos)
			continue;
		std::string_view name = trim(line.substr(0, colon));
		std::string_view rest = line.substr(colon + 1);
		// rx: bytes packets errs drop fifo frame compressed multicast; tx: bytes packets errs
		// drop fifo colls carrier compressed.
		uint64_t v[16];
		size_t got = 0;
		for (; got < 16; ++got) {
			auto x = to_u64(next_field(rest));
			if (!x)
				break;
			v[got] = *x;
		}
		if (name.empty() || got < 16)
			continue;
		if (n == out.size())
			out.emplace_back();
		NetDevCounters& c = out[n++];
		c.name.assign(name);
		c.rx_bytes = v[0];
		c.rx_packets = v[1];
		c.rx_errors = v[2];
		c.rx_drops = v[3];
		c.tx_bytes = v[8];
		c.tx_packets = v[9];
		c.tx_errors = v[10];
		c.tx_drops = v[11];
	}
	out.resize(n);
}

std::vector<NetDevCounters> parse_net_dev(std::string_view text) {
	std::vector<NetDevCounters> out;
	parse_net_dev_into(text, out);
	return out;
}

uint64_t counter_delta(uint64_t before, uint64_t after) {
	if (after >= before)
		return after - before;
	constexpr uint64_t k32 = uint64_t{1} << 32;
	if (before < k32 && before >= k32 / 2 && after < k32)
		return k32 - before + after;
	return after;
}

NetworkCollector::NetworkCollector(const HostPaths& paths) : file_(join_path(paths.proc, "net/dev")) {}

void NetworkCollector::restore(std::vector<InterfaceTotals> saved, bool same_boot) {
	totals_ = std::move(saved);
	for (InterfaceTotals& t : totals_)
		t.raw_valid = same_boot;
	if (totals_.size() > kMaxTotals)
		totals_.resize(kMaxTotals);
}

InterfaceTotals& NetworkCollector::totals_for(const NetDevCounters& c, int64_t now_unix) {
	for (InterfaceTotals& t : totals_) {
		if (t.name != c.name)
			continue;
		if (t.raw_valid) {
			t.total_rx += counter_delta(t.raw_rx, c.rx_bytes);
			t.total_tx += counter_delta(t.raw_tx, c.tx_bytes);
		} else {
			t.total_rx += c.rx_bytes;
			t.total_tx += c.tx_bytes;
		}
		t.raw_rx = c.rx_bytes;
		t.raw_tx = c.tx_bytes;
		t.raw_valid = true;
		t.seen_unix = now_unix;
		return t;
	}
	// A new interface: make room by forgetting those gone longest (there is no other bound on
	// names a host can create).
	if (totals_.size() >= kMaxTotals) {
		auto oldest = std::min_element(totals_.begin(), totals_.end(), [](const auto& a, const auto& b) {
			return a.seen_unix < b.seen_unix;
		});
		totals_.erase(oldest);
	}
	totals_.push_back({c.name, c.rx_bytes, c.tx_bytes, c.rx_bytes, c.tx_bytes, now_unix, true});
	return totals_.back();
}

Result<void> NetworkCollector::collect(std::optional<double> seconds, int64_t now_unix,
                                       std::vector<NetInterface>& out) {
	out.clear();
	auto text = file_.read();
	if (!text) {
		have_prev_ = false;
		return text.error();
	}
	parse_net_dev_into(*text, cur_);
	out.reserve(std::min(cur_.size(), kMaxInterfaces));
	bool rates = have_prev_ && seconds && *seconds > 0;
	for (size_t i = 0; i < cur_.size() && out.size() < kMaxInterfaces; ++i) {
		const NetDevCounters& c = cur_[i];
		if (c.name == "lo")
			continue;
		NetInterface ni;
		ni.name = c.name;
		const InterfaceTotals& t = totals_for(c, now_unix);
		ni.rx_bytes_total = t.total_rx;
		ni.tx_bytes_total = t.total_tx;
		const NetDevCounters* p = nullptr;
		if (rates) {
			if (i < prev_.size() && prev_[i].name == c.name) {
				p = &prev_[i];
			} else {
				for (const NetDevCounters& q : prev_) {
					if (q.name == c.name) {
						p = &q;
						break;
					}
				}
			}
		}
		if (p) {
			double s = *seconds;
			ni.rx_bytes_per_s = static_cast<double>(counter_delta(p->rx_bytes, c.rx_bytes)) / s;
			ni.tx_bytes_per_s = static_cast<double>(counter_delta(p->tx_bytes, c.tx_bytes)) / s;
			ni.rx_packets_per_s = static_cast<double>(counter_delta(p->rx_packets, c.rx_packets)) / s;
			ni.tx_packets_per_s = static_cast<double>(counter_delta(p->tx_packets, c.tx_packets)) / s;
			ni.rx_errors = counter_delta(p->rx_errors, c.rx_errors);
			ni.tx_errors = counter_delta(p->tx_errors, c.tx_errors);
			ni.rx_drops = counter_delta(p->rx_drops, c.rx_drops);
			ni.tx_drops = counter_delta(p->tx_drops, c.tx_drops);
		}
		out.push_back(std::move(ni));
	}
	// Forget interfaces gone for a month.
	std::erase_if(totals_,
	              [now_unix](const InterfaceTotals& t) { return now_unix - t.seen_unix > kTotalsForgetS; });
	std::swap(prev_, cur_);
	have_prev_ = true;
	return Ok();
}

} // namespace serversan::agent
