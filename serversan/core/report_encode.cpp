#include "serversan/core/report_encode.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

#include <fmt/format.h>

namespace serversan {
namespace {

using report_fields::FieldRule;
using report_fields::visit_fields;

// Length of the well-formed UTF-8 sequence at p[0..n) (Unicode 15, table 3-7: no overlongs, no
// surrogates, nothing past U+10FFFF), or, if there is none, minus the length of the maximal
// ill-formed subpart: replacing each such subpart by one U+FFFD is the W3C/WHATWG practice, so a
// browser showing the same bytes shows the same text.
int utf8_sequence(const unsigned char* p, size_t n) {
	const unsigned char c = p[0];
	int len;
	unsigned char lo = 0x80, hi = 0xBF; // range of the second byte
	if (c < 0x80) {
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		if (c == 0xE0) {
			lo = 0xA0;
		} else if (c == 0xED) {
			hi = 0x9F;
		}
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		if (c == 0xF0) {
			lo = 0x90;
		} else if (c == 0xF4) {
			hi = 0x8F;
		}
	} else {
		return -1;
	}
	for (int i = 1; i < len; ++i) {
		if (static_cast<size_t>(i) >= n) {
			return -i;
		}
		const unsigned char b = p[i];
		if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) {
			return -i;
		}
	}
	return len;
}

void append_u64(std::string& out, uint64_t v) {
	char buf[24];
	auto r = std::to_chars(buf, buf + sizeof buf, v);
	out.append(buf, r.ptr);
}

void append_i64(std::string& out, int64_t v) {
	char buf[24];
	auto r = std::to_chars(buf, buf + sizeof buf, v);
	out.append(buf, r.ptr);
}

} // namespace

// std::to_chars(double) would bring libstdc++'s Ryu tables (about 130 kB) into the static agent,
// which already carries fmt's shortest-form formatter (Dragonbox) for its log lines. fmt's "{}"
// gives the same shortest round-trip digits, but lays them out its own way; this lays them out as
// to_chars does (report-format.md, section 5), so the wire form does not depend on the library.
void append_json_number(std::string& out, double v) {
	if (v == 0) { // also turns -0 into 0
		out += '0';
		return;
	}
	// The shortest digits: fmt writes "123", "0.00123", "1.5e+20" or "5e-324"; read them back as
	// a digit string without leading or trailing zeros and the exponent of its first digit.
	char buf[40];
	const auto formatted = fmt::format_to_n(buf, sizeof buf, "{}", std::fabs(v));
	const char* const end = buf + std::min(formatted.size, sizeof buf);
	char digits[24];
	int n = 0;
	int whole = 0; // digits before the decimal point
	bool in_fraction = false;
	const char* p = buf;
	for (; p != end && *p != 'e'; ++p) {
		if (*p == '.') {
			in_fraction = true;
			continue;
		}
		if (n == 0 && *p == '0') { // a leading zero: "0.00123"
			whole -= in_fraction ? 1 : 0;
			continue;
		}
		if (n < static_cast<int>(sizeof digits)) {
			digits[n++] = *p;
		}
		whole += in_fraction ? 0 : 1;
	}
	int exponent = 0;
	if (p != end) {
		std::from_chars(p + (p[1] == '+' ? 2 : 1), end, exponent);
	}
	while (n > 1 && digits[n - 1] == '0') {
		--n;
	}
	const int e = whole - 1 + exponent; // v = d.ddd × 10^e

	// to_chars' plain form: fixed or scientific, whichever is shorter, fixed on a tie.
	const int scientific_len = n + (n > 1 ? 1 : 0) + 2 + (e <= -100 || e >= 100 ? 3 : 2);
	const int fixed_len = e >= 0 ? std::max(n, e + 1) + (n > e + 1 ? 1 : 0) : n + 1 - e;
	// A large whole number in plain digits would read as an integer, which a JSON reader rejects
	// past 2^64: those keep the exponent.
	const bool fixed = fixed_len <= scientific_len && !(std::fabs(v) >= 1e15 && n <= e + 1);
	if (v < 0) {
		out += '-';
	}
	if (!fixed) {
		out += digits[0];
		if (n > 1) {
			out += '.';
			out.append(digits + 1, static_cast<size_t>(n - 1));
		}
		out += e < 0 ? "e-" : "e+";
		const int a = e < 0 ? -e : e;
		if (a < 10) {
			out += '0';
		}
		append_u64(out, static_cast<uint64_t>(a));
	} else if (e < 0) {
		out += "0.";
		out.append(static_cast<size_t>(-e - 1), '0');
		out.append(digits, static_cast<size_t>(n));
	} else if (n <= e + 1) {
		out.append(digits, static_cast<size_t>(n));
		out.append(static_cast<size_t>(e + 1 - n), '0');
	} else {
		out.append(digits, static_cast<size_t>(e + 1));
		out += '.';
		out.append(digits + e + 1, static_cast<size_t>(n - e - 1));
	}
}

namespace {

// The value to write for a real field, or nothing if it has no valid v1 form.
std::optional<double> sanitize(double v, const FieldRule& rule) {
	if (!std::isfinite(v)) {
		return std::nullopt;
	}
	if (v < rule.min || v > rule.max) {
		if (!rule.clamp) {
			return std::nullopt;
		}
		v = std::clamp(v, rule.min, rule.max);
	}
	return v;
}

void append_key(std::string& out, bool& first, std::string_view key) {
	if (!first) {
		out += ',';
	}
	first = false;
	out += '"';
	out += key;
	out += "\":";
}

// One overload per member type that visit_fields hands out.
void write_field(std::string& out, bool& first, std::string_view name, const std::string& v,
                 const FieldRule&) {
	if (!v.empty()) {
		append_key(out, first, name);
		append_json_string(out, v);
	}
}

template <typename I>
requires std::is_integral_v<I>
void write_field(std::string& out, bool& first, std::string_view name, const std::optional<I>& v,
                 const FieldRule& rule) {
	if (v && report_fields::integer_in_rule(*v, rule)) {
		append_key(out, first, name);
		if constexpr (std::is_signed_v<I>) {
			append_i64(out, *v);
		} else {
			append_u64(out, *v);
		}
	}
}

void write_field(std::string& out, bool& first, std::string_view name, const std::optional<double>& v,
                 const FieldRule& rule) {
	if (!v) {
		return;
	}
	if (auto s = sanitize(*v, rule)) {
		append_key(out, first, name);
		append_json_number(out, *s);
	}
}

// Required members: entry_valid() has already checked them.
void write_field(std::string& out, bool& first, std::string_view name, uint64_t v, const FieldRule&) {
	append_key(out, first, name);
	append_u64(out, v);
}

void write_field(std::string& out, bool& first, std::string_view name, uint32_t v, const FieldRule&) {
	append_key(out, first, name);
	append_u64(out, v);
}

void write_field(std::string& out, bool& first, std::string_view name, double v, const FieldRule&) {
	append_key(out, first, name);
	append_json_number(out, v);
}

// Writes the fields of a flat struct, without braces; false if there were none to write.
template <typename S>
bool write_fields(std::string& out, const S& s) {
	bool first = true;
	visit_fields(s, [&](std::string_view name, const auto& member, const FieldRule& rule) {
		write_field(out, first, name, member, rule);
	});
	return !first;
}

// A list entry the decoder would reject (its identity or its one value unusable) is left out
// rather than costing the server the whole batch.
template <typename S>
bool entry_valid(const S& s) {
	bool ok = true;
	visit_fields(s, [&](std::string_view, const auto& member, const FieldRule& rule) {
		using M = std::remove_cvref_t<decltype(member)>;
		if constexpr (std::is_same_v<M, std::string>) {
			ok = ok && !(rule.required && member.empty());
		} else if constexpr (std::is_integral_v<M>) {
			ok = ok && report_fields::integer_in_rule(member, rule);
		} else if constexpr (std::is_arithmetic_v<M>) {
			const double v = static_cast<double>(member);
			ok = ok && std::isfinite(v) && v >= rule.min && v <= rule.max;
		}
	});
	return ok;
}

// "name":{...}, or nothing at all if the struct holds no value.
template <typename S>
void write_section(std::string& out, bool& first, std::string_view name, const S& s) {
	const size_t mark = out.size();
	const bool was_first = first;
	append_key(out, first, name);
	out += '{';
	if (write_fields(out, s)) {
		out += '}';
	} else {
		out.resize(mark);
		first = was_first;
	}
}

// "name":[{...},...], at most `max` entries. With keep_empty the list is written even when no
// entry is (a slow section: "measured, none"); otherwise it is then left out.
template <typename S>
void write_list(std::string& out, bool& first, std::string_view name, const std::vector<S>& list, size_t max,
                bool keep_empty) {
	if (list.empty() && !keep_empty) {
		return;
	}
	const size_t mark = out.size();
	const bool was_first = first;
	append_key(out, first, name);
	out += '[';
	size_t n = 0;
	for (const S& entry : list) {
		if (n == max) {
			break;
		}
		if (!entry_valid(entry)) {
			continue;
		}
		if (n++ > 0) {
			out += ',';
		}
		out += '{';
		write_fields(out, entry);
		out += '}';
	}
	if (n == 0 && !keep_empty) {
		out.resize(mark);
		first = was_first;
		return;
	}
	out += ']';
}

void write_cpu(std::string& out, bool& first, const Cpu& cpu) {
	const size_t mark = out.size();
	const bool was_first = first;
	append_key(out, first, "cpu");
	out += '{';
	bool cpu_first = true;
	write_section(out, cpu_first, "total", cpu.total);
	write_list(out, cpu_first, "cores", cpu.cores, kMaxCores, false);
	write_field(out, cpu_first, "context_switches_per_s", cpu.context_switches_per_s,
	            report_fields::kOptional);
	write_field(out, cpu_first, "interrupts_per_s", cpu.interrupts_per_s, report_fields::kOptional);
	if (cpu_first) {
		out.resize(mark);
		first = was_first;
	} else {
		out += '}';
	}
}

void write_report(std::string& out, const Report& r) {
	using report_fields::kOptional;
	bool first = true;
	out += '{';
	append_key(out, first, "seq");
	append_u64(out, r.seq);
	append_key(out, first, "time_ms");
	append_i64(out, r.time_ms);
	write_field(out, first, "interval_s", r.interval_s, kOptional);
	write_field(out, first, "uptime_s", r.uptime_s, kOptional);
	if (r.host) {
		append_key(out, first, "host");
		out += '{';
		write_fields(out, *r.host);
		out += '}';
	}
	write_cpu(out, first, r.cpu);
	write_section(out, first, "load", r.load);
	write_section(out, first, "memory", r.memory);
	write_section(out, first, "processes", r.processes);
	write_section(out, first, "sockets", r.sockets);
	write_field(out, first, "sessions", r.sessions, kOptional);
	write_list(out, first, "filesystems", r.filesystems, kMaxFilesystems, false);
	write_list(out, first, "disks", r.disks, kMaxDisks, false);
	write_list(out, first, "interfaces", r.interfaces, kMaxInterfaces, false);
	write_list(out, first, "temperatures", r.temperatures, kMaxTemperatures, false);
	if (r.top_cpu) {
		write_list(out, first, "top_cpu", *r.top_cpu, kMaxProcesses, true);
	}
	if (r.top_memory) {
		write_list(out, first, "top_memory", *r.top_memory, kMaxProcesses, true);
	}
	if (r.tcp_states) {
		write_list(out, first, "tcp_states", *r.tcp_states, kMaxTcpStates, true);
	}
	if (r.spool_dropped != 0 && report_fields::integer_in_rule(r.spool_dropped, kOptional)) {
		append_key(out, first, "spool_dropped");
		append_u64(out, r.spool_dropped);
	}
	out += '}';
}

} // namespace

void append_json_string(std::string& out, std::string_view s, size_t max_bytes) {
	static constexpr char kHex[] = "0123456789abcdef";
	const auto* p = reinterpret_cast<const unsigned char*>(s.data());
	const size_t n = s.size();
	size_t i = 0;
	size_t used = 0; // bytes of the unescaped value written so far
	out += '"';
	while (i < n) {
		// Runs of plain ASCII, the common case, are copied in one append.
		size_t j = i;
		const size_t run_end = std::min(n, i + (max_bytes - used));
		while (j < run_end && p[j] >= 0x20 && p[j] < 0x80 && p[j] != '"' && p[j] != '\\') {
			++j;
		}
		out.append(s.data() + i, j - i);
		used += j - i;
		i = j;
		if (i == n || used == max_bytes) {
			break;
		}
		const unsigned char c = p[i];
		if (c < 0x80) {
			out += '\\';
			if (c < 0x20) {
				out += "u00";
				out += kHex[c >> 4];
				out += kHex[c & 0xF];
			} else {
				out += static_cast<char>(c);
			}
			++used;
			++i;
			continue;
		}
		const int len = utf8_sequence(p + i, n - i);
		const size_t width = len > 0 ? static_cast<size_t>(len) : 3;
		if (used + width > max_bytes) {
			break;
		}
		if (len > 0) {
			out.append(s.data() + i, width);
			i += width;
		} else {
			out += "\xEF\xBF\xBD";
			i += static_cast<size_t>(-len);
		}
		used += width;
	}
	out += '"';
}

void encode_batch(const ReportBatch& batch, std::string& out) {
	out += "{\"protocol\":";
	append_i64(out, batch.protocol);
	out += ",\"stream\":";
	append_json_string(out, batch.stream);
	out += ",\"agent_version\":";
	append_json_string(out, batch.agent_version);
	out += ",\"reports\":[";
	for (size_t i = 0; i < batch.reports.size(); ++i) {
		if (i > 0) {
			out += ',';
		}
		write_report(out, batch.reports[i]);
	}
	out += "]}";
}

void encode_report(const Report& report, std::string& out) {
	write_report(out, report);
}

std::string encode_host_facts(const HostFacts& host) {
	std::string out = "{";
	write_fields(out, host);
	out += '}';
	return out;
}

std::string encode_batch(const ReportBatch& batch) {
	std::string out;
	encode_batch(batch, out);
	return out;
}

} // namespace serversan
