// Report: one snapshot of a watched server, the unit the agent sends and the server stores.
// A batch (ReportBatch) carries 1..kMaxReportsPerBatch reports from one agent stream, oldest
// first, so an agent can backfill after an outage in one request.
//
// Every measured value is optional: a source the host does not have (a container without /sys,
// an old kernel without a field) leaves the value out, and the server never sees a made-up zero.
// Rates (".._per_s") are averages over the report's interval; percentages are 0..100.
//
// The JSON form is specified in docs/report-format.md; report_encode.h writes it (agent) and
// report_decode.h reads and validates it (server).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace serversan {

// Limits enforced by the decoder (and respected by the encoder). Part of protocol v1.
inline constexpr size_t kMaxReportsPerBatch = 1000;
inline constexpr size_t kMaxStringBytes = 256;
inline constexpr size_t kMaxCores = 1024;
inline constexpr size_t kMaxFilesystems = 256;
inline constexpr size_t kMaxDisks = 256;
inline constexpr size_t kMaxInterfaces = 256;
inline constexpr size_t kMaxProcesses = 50;
inline constexpr size_t kMaxTemperatures = 256;
inline constexpr size_t kMaxTcpStates = 16;
inline constexpr size_t kMaxJsonDepth = 16;
inline constexpr size_t kMaxBodyBytes = 1 << 20;        // on the wire (compressed or not)
inline constexpr size_t kMaxDecodedBodyBytes = 8 << 20; // after gzip
inline constexpr int kProtocolVersion = 1;
// The largest value a count, byte count or rate may have: 2^53 (9007199254740992). The store
// keeps these values as doubles (exact for every integer up to 2^53) and narrows device rates to
// float32 (2^53 is a power of two, so it is exact there too); nothing real comes near it (8 PiB,
// 8 PB/s). Exception: sockets.file_handles_max, whose "no limit" is 2^63 - 1.
inline constexpr double kMaxExactValue = 9007199254740992.0;

struct HostFacts {
	std::string hostname;
	std::string os_name;    // /etc/os-release NAME, e.g. "Debian GNU/Linux"
	std::string os_version; // VERSION_ID, e.g. "12"
	std::string kernel;     // uname -r
	std::string arch;       // uname -m
	std::string cpu_model;
	std::string virtualization; // "kvm", "lxc", "docker", "none"...; empty if unknown
	std::string agent_version;
	std::optional<uint32_t> cpu_logical;
	std::optional<uint32_t> cpu_physical;
	std::optional<double> cpu_mhz;
	std::optional<int64_t> boot_time; // unix seconds

	bool operator==(const HostFacts&) const = default;
};

// Shares of CPU time over the interval, in percent (each 0..100).
struct CpuTimes {
	std::optional<double> user, nice, system, iowait, irq, softirq, steal, idle;
	bool operator==(const CpuTimes&) const = default;
};

struct Cpu {
	CpuTimes total;
	std::vector<CpuTimes> cores; // per logical core, in kernel order; may be empty
	std::optional<double> context_switches_per_s;
	std::optional<double> interrupts_per_s;
	bool operator==(const Cpu&) const = default;
};

struct Load {
	std::optional<double> load1, load5, load15;
	bool operator==(const Load&) const = default;
};

struct Memory {
	std::optional<uint64_t> total, used, available, free, buffers, cached; // bytes
	std::optional<uint64_t> swap_total, swap_used;                         // bytes
	bool operator==(const Memory&) const = default;
};

struct ProcessCounts {
	std::optional<uint64_t> total, running, blocked, zombie, threads;
	bool operator==(const ProcessCounts&) const = default;
};

struct ProcessEntry {
	uint32_t pid = 0;
	std::string name;
	std::string user;
	std::optional<double> cpu_percent; // of one core: may exceed 100 on multi-core (max 100 * cores)
	std::optional<uint64_t> rss;       // bytes
	bool operator==(const ProcessEntry&) const = default;
};

struct Filesystem {
	std::string mount;
	std::string device;
	std::string type;
	std::optional<uint64_t> total, used, free; // bytes
	std::optional<uint64_t> inodes_total, inodes_used;
	bool operator==(const Filesystem&) const = default;
};

struct DiskIo {
	std::string device;
	std::optional<double> read_bytes_per_s, write_bytes_per_s;
	std::optional<double> reads_per_s, writes_per_s;
	std::optional<double> busy_percent;
	bool operator==(const DiskIo&) const = default;
};

struct NetInterface {
	std::string name;
	std::optional<double> rx_bytes_per_s, tx_bytes_per_s;
	std::optional<double> rx_packets_per_s, tx_packets_per_s;
	std::optional<uint64_t> rx_errors, tx_errors, rx_drops, tx_drops; // over the interval
	std::optional<uint64_t> rx_bytes_total, tx_bytes_total;           // monotonic, wrap-corrected
	std::string ipv4;                                                 // primary address, empty if none
	std::string ipv6;
	bool operator==(const NetInterface&) const = default;
};

struct TcpStateCount {
	std::string state; // "established", "listen", "time_wait", ...
	uint64_t count = 0;
	bool operator==(const TcpStateCount&) const = default;
};

struct Sockets {
	std::optional<uint64_t> tcp_established, tcp_inuse, tcp_time_wait, tcp_orphan;
	std::optional<uint64_t> udp_inuse, udp6_inuse;
	std::optional<uint64_t> file_handles_used, file_handles_max;
	bool operator==(const Sockets&) const = default;
};

struct Temperature {
	std::string sensor;
	double celsius = 0;
	bool operator==(const Temperature&) const = default;
};

struct Report {
	uint64_t seq = 0;                 // per agent stream, starts at 1, +1 per report
	int64_t time_ms = 0;              // sample time, unix milliseconds
	std::optional<double> interval_s; // seconds the rates and shares cover
	std::optional<uint64_t> uptime_s;

	std::optional<HostFacts> host; // sent at start and when a fact changes
	Cpu cpu;
	Load load;
	Memory memory;
	ProcessCounts processes;
	Sockets sockets;
	std::optional<uint64_t> sessions; // logged-in users
	std::vector<Filesystem> filesystems;
	std::vector<DiskIo> disks;
	std::vector<NetInterface> interfaces;
	std::vector<Temperature> temperatures;

	// Slow-cadence sections: present only in reports that carry them (the server keeps the
	// latest of each). An empty optional means "not in this report", an empty vector means
	// "measured, and there were none".
	std::optional<std::vector<ProcessEntry>> top_cpu;
	std::optional<std::vector<ProcessEntry>> top_memory;
	std::optional<std::vector<TcpStateCount>> tcp_states;

	uint64_t spool_dropped = 0; // reports the agent's spool dropped so far (lifetime counter)

	bool operator==(const Report&) const = default;
};

struct ReportBatch {
	int protocol = kProtocolVersion;
	std::string stream;        // the agent's stream id: 16 lowercase hex digits
	std::string agent_version; // e.g. "0.1.0"
	std::vector<Report> reports;
	bool operator==(const ReportBatch&) const = default;
};

} // namespace serversan
