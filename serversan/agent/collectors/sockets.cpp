#include "serversan/agent/collectors/sockets.h"

#include "serversan/agent/collectors/text.h"

namespace serversan::agent {

std::optional<uint64_t> parse_snmp_curr_estab(std::string_view text) {
	// Pairs of lines: "Tcp: RtoAlgorithm ... CurrEstab ..." then "Tcp: 1 200 ... 38 ...".
	while (!text.empty()) {
		std::string_view header = next_line(text);
		if (!header.starts_with("Tcp:"))
			continue;
		std::string_view values = next_line(text);
		if (!values.starts_with("Tcp:"))
			return std::nullopt;
		header.remove_prefix(4);
		values.remove_prefix(4);
		for (;;) {
			std::string_view name = next_field(header), value = next_field(values);
			if (name.empty() || value.empty())
				return std::nullopt;
			if (name == "CurrEstab")
				return to_u64(value);
		}
	}
	return std::nullopt;
}

void parse_sockstat(std::string_view text, SockstatCounts& out) {
	while (!text.empty()) {
		std::string_view rest = next_line(text);
		std::string_view proto = next_field(rest);
		// "TCP: inuse 3 orphan 0 tw 0 alloc 3 mem 237": name/value pairs.
		for (;;) {
			std::string_view name = next_field(rest), value = next_field(rest);
			if (name.empty() || value.empty())
				break;
			auto v = to_u64(value);
			if (proto == "TCP:") {
				if (name == "inuse")
					out.tcp_inuse = v;
				else if (name == "orphan")
					out.tcp_orphan = v;
				else if (name == "tw")
					out.tcp_tw = v;
			} else if (proto == "UDP:" && name == "inuse") {
				out.udp_inuse = v;
			} else if (proto == "TCP6:" && name == "inuse") {
				out.tcp6_inuse = v;
			} else if (proto == "UDP6:" && name == "inuse") {
				out.udp6_inuse = v;
			}
		}
	}
}

SocketCollector::SocketCollector(const HostPaths& paths)
    : snmp_(join_path(paths.proc, "net/snmp")), sockstat_(join_path(paths.proc, "net/sockstat")),
      sockstat6_(join_path(paths.proc, "net/sockstat6")) {}

void SocketCollector::collect(Sockets& out, const Error* errors[3]) {
	ProcFile* files[3] = {&snmp_, &sockstat_, &sockstat6_};
	SockstatCounts counts;
	for (size_t i = 0; i < 3; ++i) {
		errors[i] = nullptr;
		auto text = files[i]->read(1 << 20);
		if (!text) {
			last_[i] = text.error();
			errors[i] = &last_[i];
			continue;
		}
		if (i == 0)
			out.tcp_established = parse_snmp_curr_estab(*text);
		else
			parse_sockstat(*text, counts);
	}
	out.tcp_inuse = counts.tcp_inuse;
	if (out.tcp_inuse && counts.tcp6_inuse)
		*out.tcp_inuse += *counts.tcp6_inuse;
	out.tcp_time_wait = counts.tcp_tw;
	out.tcp_orphan = counts.tcp_orphan;
	out.udp_inuse = counts.udp_inuse;
	out.udp6_inuse = counts.udp6_inuse;
}

} // namespace serversan::agent
