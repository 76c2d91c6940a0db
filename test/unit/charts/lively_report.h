// Reports that look like a real server's day: CPU and network follow a daily rhythm with noise,
// memory creeps up and drops at a restart, a disk fills slowly, a backup bursts disk I/O at
// night. Shared by the charts' tests, the benchmark and the example pictures in docs/charts/.
#pragma once

#include <cmath>
#include <cstdint>

#include "serversan/core/report.h"

namespace serversan::testing {

inline Report lively_report(uint64_t seq, int64_t time_ms) {
	constexpr double GiB = 1024.0 * 1024 * 1024;
	double h = static_cast<double>(time_ms % 86'400'000) / 3'600'000.0; // hour of the UTC day
	double day = static_cast<double>(time_ms) / 86'400'000.0;
	// Cheap deterministic noise in [0, 1).
	auto noise = [&](uint64_t salt) {
		uint64_t x = (seq + 1) * 0x9e3779b97f4a7c15ull ^ salt * 0xbf58476d1ce4e5b9ull;
		x ^= x >> 31;
		x *= 0x94d049bb133111ebull;
		x ^= x >> 29;
		return static_cast<double>(x % 10000) / 10000.0;
	};
	double busy = 0.5 + 0.5 * std::sin((h - 8) / 24 * 2 * M_PI); // peaks mid-afternoon
	Report r;
	r.seq = seq;
	r.time_ms = time_ms;
	r.interval_s = 60;
	r.uptime_s = 86400;
	double user = 8 + 38 * busy + 5 * noise(1);
	double system = 3 + 9 * busy + 3 * noise(2);
	bool backup = h >= 3 && h < 3.5;
	double iowait = (backup ? 12 : 0.5) + 2 * noise(3);
	double steal = 0.3 + 1.2 * noise(4);
	r.cpu.total = {user, 0.2, system, iowait, 0.1, 0.4, steal, 100 - user - system - iowait - steal - 0.7};
	r.load = {0.3 + 3.2 * busy + 0.5 * noise(5), 0.3 + 3.0 * busy + 0.2 * noise(6), 0.3 + 2.8 * busy};
	double cycle = std::fmod(day, 3.0) / 3.0; // a leak, and a restart every 3 days
	auto used = static_cast<uint64_t>((3.5 + 4 * cycle + 0.6 * busy + 0.2 * noise(7)) * GiB);
	uint64_t total = 16ull << 30;
	r.memory = {total, used, total - used, 0, 0, 0, 2ull << 30, static_cast<uint64_t>(0.3 * cycle * GiB)};
	uint64_t fs_total = 100ull << 30;
	auto root_used = static_cast<uint64_t>((52 + 0.4 * day - 0.4 * std::floor(day / 10) * 10) * GiB);
	r.filesystems.push_back(
	    {"/", "/dev/vda1", "ext4", fs_total, root_used, fs_total - root_used, 6553600, 412345});
	uint64_t data_total = 1ull << 40;
	auto data_used = static_cast<uint64_t>((640 + 2 * day - 2 * std::floor(day / 30) * 30) * GiB);
	r.filesystems.push_back(
	    {"/srv/data", "/dev/vdb1", "xfs", data_total, data_used, data_total - data_used, 0, 0});
	double rd = (backup ? 180e6 : 2e6 * busy) * (0.6 + 0.8 * noise(8));
	double wr = (backup ? 60e6 : 4e6 * busy) * (0.6 + 0.8 * noise(9)) + 3e5;
	r.disks.push_back({"vda", rd, wr, rd / 65536, wr / 16384, backup ? 85 : 10 * busy});
	NetInterface lo;
	lo.name = "lo";
	lo.rx_bytes_per_s = lo.tx_bytes_per_s = 2e5;
	NetInterface eth;
	eth.name = "eth0";
	eth.rx_bytes_per_s = (0.4e6 + 9e6 * busy) * (0.85 + 0.3 * noise(10));
	eth.tx_bytes_per_s = (1.2e6 + 26e6 * busy) * (0.85 + 0.3 * noise(11)) + (backup ? 60e6 : 0);
	eth.rx_packets_per_s = *eth.rx_bytes_per_s / 900;
	eth.tx_packets_per_s = *eth.tx_bytes_per_s / 1200;
	r.interfaces = {lo, eth};
	r.temperatures.push_back({"Package id 0", 42 + 26 * busy + 3 * noise(12)});
	r.temperatures.push_back({"nvme0", 36 + 8 * busy + (backup ? 9 : 0) + 2 * noise(13)});
	if (seq % 60 == 1) { // the agent sends its facts at start and when one changes
		HostFacts host;
		host.hostname = "web-1";
		host.cpu_logical = 4;
		r.host = host;
	}
	return r;
}

} // namespace serversan::testing
