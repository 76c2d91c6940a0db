// Report batch -> JSON (protocol v1, docs/report-format.md). Used by the agent on every
// collection, so it is a hand-written compact writer: no JSON library, no allocation when the
// caller reuses the output buffer.
//
// The output is always valid JSON and valid UTF-8, and the per-value rules of the decoder hold
// for it, whatever the collectors put in the Report:
//   - a non-finite or out-of-range optional number is omitted (a share slightly over 100% from
//     timing jitter is clamped instead, see FieldRule::clamp);
//   - strings have invalid UTF-8 replaced by U+FFFD and are cut to kMaxStringBytes at a
//     character boundary;
//   - lists are cut to their kMax* limit, and a list entry whose identity or required value is
//     unusable (empty name, pid 0, a temperature outside -100..200) is left out.
// The batch-level fields (stream, agent_version, seq order, time_ms, 1..kMaxReportsPerBatch
// reports) are written as given: the agent's spool owns them, and the decoder rejects a batch
// that breaks them.
#pragma once

#include <concepts>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>

#include "serversan/core/report.h"

namespace serversan {

// Appends the JSON form of `batch` to `out` (which is not cleared first: reuse one buffer).
void encode_batch(const ReportBatch& batch, std::string& out);
std::string encode_batch(const ReportBatch& batch);
// One report as the JSON object it is inside a batch (the server keeps it as the sample's
// detail); appends to out.
void encode_report(const Report& report, std::string& out);
// The "host" object of a report.
std::string encode_host_facts(const HostFacts& host);

// Appends `s` as a JSON string literal, quotes included: `"` and `\` escaped, control characters
// as \u00XX, invalid UTF-8 replaced by U+FFFD, cut at a character boundary so the unescaped
// value is at most `max_bytes` long.
void append_json_string(std::string& out, std::string_view s, size_t max_bytes = kMaxStringBytes);

// Appends a finite double the way the reference agent writes numbers (report-format.md, section
// 5): the shortest form that reads back to the same double, fixed or with an exponent as
// std::to_chars(double) chooses, with an exponent from 1e15 up when there is no fraction, -0 as 0.
// The caller drops non-finite values (JSON has none).
void append_json_number(std::string& out, double v);

// The flat (scalar-only) objects of protocol v1, described once so that the encoder and the
// decoder cannot disagree on a name, a range or whether a field is required.
// visit_fields(s, v) calls v(name, member, rule) for each field in wire order; s may be const.
namespace report_fields {

struct FieldRule {
	double min = 0; // numbers: inclusive range
	double max = kMaxExactValue;
	bool required = false; // must be present; a string must also be non-empty
	bool clamp = false;    // encoder clamps into range instead of dropping (shares: jitter)
};

// A bound of a rule as an integer bound (min and max are whole numbers or infinite).
inline uint64_t integer_bound(double d) {
	if (d <= 0) {
		return 0;
	}
	return d >= 18446744073709551615.0 ? UINT64_MAX : static_cast<uint64_t>(d);
}

// Whether an integer value is within a rule, compared as integers: as a double, 2^53 + 1
// would round to 2^53 and pass.
template <std::integral I>
bool integer_in_rule(I v, const FieldRule& rule) {
	if (v < 0) {
		return false;
	}
	const auto u = static_cast<uint64_t>(v);
	return u >= integer_bound(rule.min) && u <= integer_bound(rule.max);
}

inline constexpr FieldRule kOptional{}; // any string; 0..2^53
inline constexpr FieldRule kUnbounded{.max = std::numeric_limits<double>::infinity()};
inline constexpr FieldRule kRequired{.required = true};       // identifying strings
inline constexpr FieldRule kShare{.max = 100, .clamp = true}; // percent of time / of one core
inline constexpr FieldRule kProcessShare{.max = 100.0 * kMaxCores, .clamp = true};
inline constexpr FieldRule kCelsius{.min = -100, .max = 200, .required = true};
inline constexpr FieldRule kPid{.min = 1, .max = 2147483647, .required = true}; // pid_t range
inline constexpr FieldRule kRequiredCount{.required = true};

template <typename T, typename S>
concept Is = std::same_as<std::remove_const_t<T>, S>;

template <Is<HostFacts> T, typename V>
void visit_fields(T& h, V&& v) {
	v("hostname", h.hostname, kOptional);
	v("os_name", h.os_name, kOptional);
	v("os_version", h.os_version, kOptional);
	v("kernel", h.kernel, kOptional);
	v("arch", h.arch, kOptional);
	v("cpu_model", h.cpu_model, kOptional);
	v("virtualization", h.virtualization, kOptional);
	v("agent_version", h.agent_version, kOptional);
	v("cpu_logical", h.cpu_logical, kOptional);
	v("cpu_physical", h.cpu_physical, kOptional);
	v("cpu_mhz", h.cpu_mhz, kOptional);
	v("boot_time", h.boot_time, kUnbounded); // kept as an integer: up to 2^63 - 1
}

template <Is<CpuTimes> T, typename V>
void visit_fields(T& c, V&& v) {
	v("user", c.user, kShare);
	v("nice", c.nice, kShare);
	v("system", c.system, kShare);
	v("iowait", c.iowait, kShare);
	v("irq", c.irq, kShare);
	v("softirq", c.softirq, kShare);
	v("steal", c.steal, kShare);
	v("idle", c.idle, kShare);
}

template <Is<Load> T, typename V>
void visit_fields(T& l, V&& v) {
	v("load1", l.load1, kOptional);
	v("load5", l.load5, kOptional);
	v("load15", l.load15, kOptional);
}

template <Is<Memory> T, typename V>
void visit_fields(T& m, V&& v) {
	v("total", m.total, kOptional);
	v("used", m.used, kOptional);
	v("available", m.available, kOptional);
	v("free", m.free, kOptional);
	v("buffers", m.buffers, kOptional);
	v("cached", m.cached, kOptional);
	v("swap_total", m.swap_total, kOptional);
	v("swap_used", m.swap_used, kOptional);
}

template <Is<ProcessCounts> T, typename V>
void visit_fields(T& p, V&& v) {
	v("total", p.total, kOptional);
	v("running", p.running, kOptional);
	v("blocked", p.blocked, kOptional);
	v("zombie", p.zombie, kOptional);
	v("threads", p.threads, kOptional);
}

template <Is<Sockets> T, typename V>
void visit_fields(T& s, V&& v) {
	v("tcp_established", s.tcp_established, kOptional);
	v("tcp_inuse", s.tcp_inuse, kOptional);
	v("tcp_time_wait", s.tcp_time_wait, kOptional);
	v("tcp_orphan", s.tcp_orphan, kOptional);
	v("udp_inuse", s.udp_inuse, kOptional);
	v("udp6_inuse", s.udp6_inuse, kOptional);
	v("file_handles_used", s.file_handles_used, kOptional);
	// The kernel's "no limit" is 2^63 - 1; the store keeps this value only in the report's JSON.
	v("file_handles_max", s.file_handles_max, kUnbounded);
}

template <Is<ProcessEntry> T, typename V>
void visit_fields(T& p, V&& v) {
	v("pid", p.pid, kPid);
	v("name", p.name, kRequired);
	v("user", p.user, kOptional);
	v("cpu_percent", p.cpu_percent, kProcessShare);
	v("rss", p.rss, kOptional);
}

template <Is<Filesystem> T, typename V>
void visit_fields(T& f, V&& v) {
	v("mount", f.mount, kRequired);
	v("device", f.device, kOptional);
	v("type", f.type, kOptional);
	v("total", f.total, kOptional);
	v("used", f.used, kOptional);
	v("free", f.free, kOptional);
	v("inodes_total", f.inodes_total, kOptional);
	v("inodes_used", f.inodes_used, kOptional);
}

template <Is<DiskIo> T, typename V>
void visit_fields(T& d, V&& v) {
	v("device", d.device, kRequired);
	v("read_bytes_per_s", d.read_bytes_per_s, kOptional);
	v("write_bytes_per_s", d.write_bytes_per_s, kOptional);
	v("reads_per_s", d.reads_per_s, kOptional);
	v("writes_per_s", d.writes_per_s, kOptional);
	v("busy_percent", d.busy_percent, kShare);
}

template <Is<NetInterface> T, typename V>
void visit_fields(T& n, V&& v) {
	v("name", n.name, kRequired);
	v("rx_bytes_per_s", n.rx_bytes_per_s, kOptional);
	v("tx_bytes_per_s", n.tx_bytes_per_s, kOptional);
	v("rx_packets_per_s", n.rx_packets_per_s, kOptional);
	v("tx_packets_per_s", n.tx_packets_per_s, kOptional);
	v("rx_errors", n.rx_errors, kOptional);
	v("tx_errors", n.tx_errors, kOptional);
	v("rx_drops", n.rx_drops, kOptional);
	v("tx_drops", n.tx_drops, kOptional);
	v("rx_bytes_total", n.rx_bytes_total, kOptional);
	v("tx_bytes_total", n.tx_bytes_total, kOptional);
	v("ipv4", n.ipv4, kOptional);
	v("ipv6", n.ipv6, kOptional);
}

template <Is<TcpStateCount> T, typename V>
void visit_fields(T& t, V&& v) {
	v("state", t.state, kRequired);
	v("count", t.count, kRequiredCount);
}

template <Is<Temperature> T, typename V>
void visit_fields(T& t, V&& v) {
	v("sensor", t.sensor, kRequired);
	v("celsius", t.celsius, kCelsius);
}

} // namespace report_fields
} // namespace serversan
