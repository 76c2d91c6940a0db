// What the store benchmarks write: the agent's every-collection report, and a scratch directory.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <random>

#include <fmt/format.h>

#include "serversan/core/report.h"

namespace serversan::bench {

inline std::filesystem::path bench_dir() {
	const char* d = std::getenv("SERVERSAN_BENCH_DIR");
	std::random_device rd;
	auto p = std::filesystem::path(d ? d : "/tmp") / fmt::format("serversan-bench-{:08x}", rd());
	std::filesystem::create_directories(p);
	return p;
}

// The agent's every-collection set on a small VM (as bench/protocol_bench.cpp): about 2.5 KB of
// JSON, 2 filesystems, 1 disk, 3 interfaces, 1 sensor.
inline Report realistic_report(uint64_t seq, int64_t time_ms, int i) {
	Report r;
	r.seq = seq;
	r.time_ms = time_ms;
	r.interval_s = 60;
	r.uptime_s = 123456;
	double busy = 5 + (i * 37 % 90);
	r.cpu.total = {busy * 0.7, 0.1, busy * 0.3, 0.5, 0.0, 0.25, 0.0, 100 - busy - 0.5};
	for (int c = 0; c < 4; ++c)
		r.cpu.cores.push_back({10.0 + c, 0.0, 3.0, 0.5, 0.0, 0.2, 0.0, 86.3 - c});
	r.cpu.context_switches_per_s = 1834.5;
	r.cpu.interrupts_per_s = 912.25;
	r.load = {0.42, 0.35, 0.3};
	r.memory = {25769803776, 3221225472 + static_cast<uint64_t>(i % 100) * 1048576,
	            21474836480, 1073741824,
	            268435456,   17179869184,
	            4294967296,  0};
	r.processes = {187, 2, 0, 0, 412};
	r.sockets = {42, 50, 7, 0, 6, 2, 2048, 9223372036854775807ull};
	r.sessions = 1;
	for (const char* m : {"/", "/home"}) {
		Filesystem f{m, "/dev/vda1", "ext4", 269490393088, 107374182400, 162116210688, 16777216, 412345};
		r.filesystems.push_back(f);
	}
	r.disks.push_back({"vda", 123456.0 + i, 654321.0, 12.5, 45.25, 3.5});
	for (const char* n : {"lo", "eth0", "docker0"}) {
		NetInterface ni;
		ni.name = n;
		ni.rx_bytes_per_s = 12345.5 + (i % 1000);
		ni.tx_bytes_per_s = 54321.25;
		ni.rx_packets_per_s = 120;
		ni.tx_packets_per_s = 98;
		ni.rx_errors = ni.tx_errors = ni.rx_drops = ni.tx_drops = 0;
		ni.rx_bytes_total = 1234567890123;
		ni.tx_bytes_total = 987654321098;
		ni.ipv4 = "203.0.113.7";
		ni.ipv6 = "2001:db8::7";
		r.interfaces.push_back(ni);
	}
	r.temperatures.push_back({"coretemp/Package id 0", 48.5});
	// The agent's slow sections (top 10 by CPU and by memory, TCP states) every 5 minutes.
	if (seq % 5 == 0) {
		std::vector<ProcessEntry> top;
		for (uint32_t p = 0; p < 10; ++p)
			top.push_back({1000 + p, "postgres", "postgres", 10.0 - p, 100'000'000u + p});
		r.top_cpu = top;
		r.top_memory = top;
		r.tcp_states = std::vector<TcpStateCount>{{"established", 41}, {"listen", 7}, {"time_wait", 109}};
	}
	return r;
}

} // namespace serversan::bench
