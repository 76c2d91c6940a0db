#include "serversan/core/report_decode.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <simdjson.h>

#include "serversan/core/report_encode.h"

// The DOM API rather than On Demand: the DOM parse validates the whole document (unknown fields
// included) and enforces the depth limit in its iterative stage 2, so the walk below only ever
// sees well-formed JSON at most kMaxJsonDepth deep and never needs its own depth guard.
// On Demand would leave skipped values unvalidated. The parse is the smaller part of the cost:
// ~4 µs of ~13 µs for the 5 KB two-report sample (-O2, one core); the rest is the walk below.
//
// Strings need no UTF-8 check here: simdjson rejects invalid UTF-8 in the input and escapes
// that would decode to invalid UTF-8 (lone surrogates) before the walk starts.

namespace serversan {
namespace {

namespace dom = simdjson::dom;
using report_fields::FieldRule;
using report_fields::visit_fields;

static_assert(kDecodePadding == simdjson::SIMDJSON_PADDING);

constexpr int64_t kMinTimeMs = 1577836800000; // 2020-01-01T00:00:00Z
constexpr int64_t kEndTimeMs = 4102444800000; // 2100-01-01T00:00:00Z, excluded
constexpr size_t kMaxAgentVersionBytes = 32;
constexpr FieldRule kSeqRule{.min = 1, .max = std::numeric_limits<double>::infinity(), .required = true};
// A thread's parser keeps its buffers (about 14 bytes per input byte) for the next request;
// past this size they are freed, so one large backfill does not pin memory in every thread.
constexpr size_t kKeepCapacity = 256 << 10;

// Where the walk is, as a chain of stack frames; rendered to text only for an error.
struct Path {
	const Path* parent = nullptr;
	std::string_view key; // object member name, unless is_index
	size_t index = 0;
	bool is_index = false;
};

std::string render(const Path* p) {
	const Path* chain[kMaxJsonDepth + 1];
	size_t n = 0;
	for (; p != nullptr && n < std::size(chain); p = p->parent) {
		chain[n++] = p;
	}
	std::string out;
	while (n > 0) {
		const Path* c = chain[--n];
		if (c->is_index) {
			fmt::format_to(std::back_inserter(out), "[{}]", c->index);
		} else {
			if (!out.empty()) {
				out += '.';
			}
			out += c->key;
		}
	}
	return out;
}

std::string quoted(std::string_view s) {
	std::string out;
	append_json_string(out, s, 64);
	return out;
}

// Typed reads after a type() check (the conversion operators would throw on a mismatch).
int64_t as_i64(dom::element e) {
	return e.get_int64().value_unsafe();
}
uint64_t as_u64(dom::element e) {
	return e.get_uint64().value_unsafe();
}
double as_double(dom::element e) {
	return e.get_double().value_unsafe();
}

// What a value is, for "expected X, got Y".
std::string describe(dom::element e) {
	switch (e.type()) {
	case dom::element_type::ARRAY:
		return "an array";
	case dom::element_type::OBJECT:
		return "an object";
	case dom::element_type::STRING:
		return "a string";
	case dom::element_type::BOOL:
		return "a boolean";
	case dom::element_type::NULL_VALUE:
		return "null";
	case dom::element_type::INT64:
		return fmt::format("{}", as_i64(e));
	case dom::element_type::UINT64:
		return fmt::format("{}", as_u64(e));
	case dom::element_type::DOUBLE: {
		// Keep 1.0 distinguishable from the integer 1 in "expected an integer, got 1.0".
		std::string s = fmt::format("{}", as_double(e));
		if (s.find_first_of(".e") == std::string::npos) {
			s += ".0";
		}
		return s;
	}
	}
	return "an unknown value";
}

bool is_number(dom::element e) {
	const auto t = e.type();
	return t == dom::element_type::INT64 || t == dom::element_type::UINT64 || t == dom::element_type::DOUBLE;
}

std::string parse_error_message(simdjson::error_code err) {
	switch (err) {
	case simdjson::EMPTY:
		return "empty body";
	case simdjson::DEPTH_ERROR:
		return fmt::format("invalid JSON: nested deeper than {} levels", kMaxJsonDepth);
	case simdjson::UTF8_ERROR:
		return "invalid JSON: invalid UTF-8";
	case simdjson::NUMBER_ERROR:
		return "invalid JSON: malformed number, or an integer outside the 64-bit range";
	case simdjson::STRING_ERROR:
		return "invalid JSON: bad escape in a string";
	case simdjson::UNESCAPED_CHARS:
		return "invalid JSON: unescaped control character in a string";
	case simdjson::UNCLOSED_STRING:
		return "invalid JSON: unterminated string";
	case simdjson::T_ATOM_ERROR:
	case simdjson::F_ATOM_ERROR:
	case simdjson::N_ATOM_ERROR:
		return "invalid JSON: bad literal";
	case simdjson::TAPE_ERROR:
		return "invalid JSON: malformed structure (missing or extra comma, colon, brace or bracket, "
		       "bad token, or truncated input)";
	default:
		return fmt::format("invalid JSON: {}", simdjson::error_message(err));
	}
}

// One walk over a parsed document. Methods return false after recording the error.
class Walker {
public:
	std::string error;
	size_t unknown_fields = 0;

	bool batch(dom::element root, ReportBatch& out);

private:
	bool fail(const Path* p, std::string_view message) {
		std::string where = render(p);
		error = where.empty() ? std::string(message) : fmt::format("{}: {}", where, message);
		return false;
	}
	bool expected(const Path* p, std::string_view what, dom::element got) {
		return fail(p, fmt::format("expected {}, got {}", what, describe(got)));
	}

	// Scalars, one overload per member type visit_fields hands out.
	bool read_member(dom::element e, const Path* p, std::string& out, const FieldRule& rule);
	bool read_member(dom::element e, const Path* p, double& out, const FieldRule& rule);
	bool read_member(dom::element e, const Path* p, uint64_t& out, const FieldRule& rule) {
		return read_integer(e, p, out, rule, UINT64_MAX);
	}
	bool read_member(dom::element e, const Path* p, uint32_t& out, const FieldRule& rule) {
		uint64_t v;
		if (!read_integer(e, p, v, rule, UINT32_MAX)) {
			return false;
		}
		out = static_cast<uint32_t>(v);
		return true;
	}
	bool read_member(dom::element e, const Path* p, std::optional<int64_t>& out, const FieldRule& rule) {
		uint64_t v;
		if (!read_integer(e, p, v, rule, INT64_MAX)) {
			return false;
		}
		out = static_cast<int64_t>(v);
		return true;
	}
	template <typename T>
	bool read_member(dom::element e, const Path* p, std::optional<T>& out, const FieldRule& rule) {
		return read_member(e, p, out.emplace(), rule);
	}
	bool read_integer(dom::element e, const Path* p, uint64_t& out, const FieldRule& rule, uint64_t type_max);
	bool read_time_ms(dom::element e, const Path* p, int64_t& out);

	// Calls find(key) for each member of object e: a key it maps to an index (0..63) must not
	// repeat and goes to read(index, value, path); a key it maps to -1 is unknown: counted, and
	// it must not repeat either, nor may any key repeat inside its value (skipped()).
	// `seen` gets bit i for each field i present.
	template <typename Find, typename Read>
	bool object(dom::element e, const Path* p, uint64_t& seen, Find&& find, Read&& read);
	// The one rule a skipped value obeys beyond the parser's (report-format.md, section 1): no
	// object in it repeats a key. Recursion is bounded by the parser's depth limit.
	bool skipped(dom::element e, const Path* p);
	bool unique_keys(std::vector<std::string_view>& keys, const Path* p);
	bool missing(const Path* p, std::string_view key) {
		return fail(p, fmt::format("missing required field \"{}\"", key));
	}

	template <typename S>
	bool flat(dom::element e, const Path* p, S& out);
	template <typename S>
	bool list(dom::element e, const Path* p, std::vector<S>& out, size_t max);
	bool cpu(dom::element e, const Path* p, Cpu& out);
	bool report(dom::element e, const Path* p, Report& out);
};

bool Walker::read_member(dom::element e, const Path* p, std::string& out, const FieldRule& rule) {
	std::string_view s;
	if (e.get(s) != simdjson::SUCCESS) {
		return expected(p, "a string", e);
	}
	if (s.size() > kMaxStringBytes) {
		return fail(p, fmt::format("string longer than {} bytes ({})", kMaxStringBytes, s.size()));
	}
	if (rule.required && s.empty()) {
		return fail(p, "must not be empty");
	}
	out.assign(s);
	return true;
}

bool Walker::read_member(dom::element e, const Path* p, double& out, const FieldRule& rule) {
	double v = 0;
	switch (e.type()) {
	case dom::element_type::INT64:
		v = static_cast<double>(as_i64(e));
		break;
	case dom::element_type::UINT64:
		v = static_cast<double>(as_u64(e));
		break;
	case dom::element_type::DOUBLE:
		v = as_double(e);
		break;
	default:
		break;
	}
	if (!is_number(e) || !std::isfinite(v) || v < rule.min || v > rule.max) {
		if (std::isinf(rule.max)) {
			return expected(
			    p, rule.min == 0 ? "a non-negative number" : fmt::format("a number >= {}", rule.min), e);
		}
		return expected(p, fmt::format("a number in {}..{}", rule.min, rule.max), e);
	}
	out = v;
	return true;
}

bool Walker::read_integer(dom::element e, const Path* p, uint64_t& out, const FieldRule& rule,
                          uint64_t type_max) {
	const uint64_t lo = report_fields::integer_bound(rule.min);
	const uint64_t hi = std::min(report_fields::integer_bound(rule.max), type_max);
	uint64_t v = 0;
	bool ok = false;
	if (e.type() == dom::element_type::UINT64) {
		v = as_u64(e);
		ok = true;
	} else if (e.type() == dom::element_type::INT64 && as_i64(e) >= 0) {
		v = static_cast<uint64_t>(as_i64(e));
		ok = true;
	}
	if (!ok || v < lo || v > hi) {
		std::string what = fmt::format("an integer in {}..{}", lo, hi);
		if (hi == UINT64_MAX && lo <= 1) {
			what = lo == 0 ? "a non-negative integer" : "a positive integer";
		} else if (hi == UINT64_MAX) {
			what = fmt::format("an integer >= {}", lo);
		}
		return expected(p, what, e);
	}
	out = v;
	return true;
}

bool Walker::read_time_ms(dom::element e, const Path* p, int64_t& out) {
	int64_t v = 0;
	if (e.type() == dom::element_type::INT64) {
		v = as_i64(e);
	} else if (e.type() != dom::element_type::UINT64) {
		return expected(p, "an integer (unix milliseconds)", e);
	}
	if (e.type() == dom::element_type::UINT64 || v < kMinTimeMs || v >= kEndTimeMs) {
		return fail(p, fmt::format("{} is outside 2020-01-01..2100-01-01 (unix milliseconds {}..{})",
		                           describe(e), kMinTimeMs, kEndTimeMs - 1));
	}
	out = v;
	return true;
}

template <typename Find, typename Read>
bool Walker::object(dom::element e, const Path* p, uint64_t& seen, Find&& find, Read&& read) {
	dom::object obj;
	if (e.get(obj) != simdjson::SUCCESS) {
		return expected(p, "an object", e);
	}
	std::vector<std::string_view> unknown; // allocates only when there are unknown keys
	for (dom::key_value_pair member : obj) {
		const int i = find(member.key);
		if (i < 0) {
			unknown.push_back(member.key);
			const Path fp{p, member.key};
			if (!skipped(member.value, &fp)) {
				return false;
			}
			continue;
		}
		const uint64_t bit = uint64_t{1} << i;
		if (seen & bit) {
			return fail(p, fmt::format("duplicate key {}", quoted(member.key)));
		}
		seen |= bit;
		const Path fp{p, member.key};
		if (!read(i, member.value, &fp)) {
			return false;
		}
	}
	unknown_fields += unknown.size();
	return unique_keys(unknown, p);
}

bool Walker::unique_keys(std::vector<std::string_view>& keys, const Path* p) {
	if (keys.size() > 1) {
		std::sort(keys.begin(), keys.end());
		auto dup = std::adjacent_find(keys.begin(), keys.end());
		if (dup != keys.end()) {
			return fail(p, fmt::format("duplicate key {}", quoted(*dup)));
		}
	}
	return true;
}

bool Walker::skipped(dom::element e, const Path* p) {
	dom::array array;
	if (e.get(array) == simdjson::SUCCESS) {
		size_t i = 0;
		for (dom::element entry : array) {
			const Path ip{p, {}, i++, true};
			if (!skipped(entry, &ip)) {
				return false;
			}
		}
		return true;
	}
	dom::object obj;
	if (e.get(obj) != simdjson::SUCCESS) {
		return true; // a scalar
	}
	std::vector<std::string_view> keys;
	for (dom::key_value_pair member : obj) {
		keys.push_back(member.key);
		const Path fp{p, member.key};
		if (!skipped(member.value, &fp)) {
			return false;
		}
	}
	return unique_keys(keys, p);
}

template <typename S>
bool Walker::flat(dom::element e, const Path* p, S& out) {
	uint64_t seen = 0;
	const auto find = [&](std::string_view key) {
		int i = 0, found = -1;
		visit_fields(out, [&](std::string_view name, auto&, const FieldRule&) {
			if (found < 0 && name == key) {
				found = i;
			}
			++i;
		});
		return found;
	};
	const auto read = [&](int index, dom::element value, const Path* fp) {
		int i = 0;
		bool ok = true;
		visit_fields(out, [&](std::string_view, auto& member, const FieldRule& rule) {
			if (i++ == index) {
				ok = read_member(value, fp, member, rule);
			}
		});
		return ok;
	};
	if (!object(e, p, seen, find, read)) {
		return false;
	}
	int i = 0;
	std::string_view absent;
	visit_fields(out, [&](std::string_view name, auto&, const FieldRule& rule) {
		if (rule.required && !(seen & (uint64_t{1} << i)) && absent.empty()) {
			absent = name;
		}
		++i;
	});
	return absent.empty() || missing(p, absent);
}

template <typename S>
bool Walker::list(dom::element e, const Path* p, std::vector<S>& out, size_t max) {
	dom::array array;
	if (e.get(array) != simdjson::SUCCESS) {
		return expected(p, "an array", e);
	}
	if (array.size() > max) {
		return fail(p, fmt::format("more than {} entries", max));
	}
	out.reserve(array.size());
	size_t i = 0;
	for (dom::element entry : array) {
		const Path ip{p, {}, i++, true};
		if (!flat(entry, &ip, out.emplace_back())) {
			return false;
		}
	}
	return true;
}

// The index of key in names, or -1.
template <size_t N>
int index_of(const std::string_view (&names)[N], std::string_view key) {
	for (size_t i = 0; i < N; ++i) {
		if (names[i] == key) {
			return static_cast<int>(i);
		}
	}
	return -1;
}

bool Walker::cpu(dom::element e, const Path* p, Cpu& out) {
	static constexpr std::string_view kKeys[] = {"total", "cores", "context_switches_per_s",
	                                             "interrupts_per_s"};
	uint64_t seen = 0;
	return object(
	    e, p, seen, [](std::string_view key) { return index_of(kKeys, key); },
	    [&](int i, dom::element v, const Path* fp) {
		    switch (i) {
		    case 0:
			    return flat(v, fp, out.total);
		    case 1:
			    return list(v, fp, out.cores, kMaxCores);
		    case 2:
			    return read_member(v, fp, out.context_switches_per_s, report_fields::kOptional);
		    default:
			    return read_member(v, fp, out.interrupts_per_s, report_fields::kOptional);
		    }
	    });
}

bool Walker::report(dom::element e, const Path* p, Report& out) {
	using report_fields::kOptional;
	enum Key {
		kSeq,
		kTimeMs,
		kIntervalS,
		kUptimeS,
		kHost,
		kCpu,
		kLoad,
		kMemory,
		kProcesses,
		kSockets,
		kSessions,
		kFilesystems,
		kDisks,
		kInterfaces,
		kTemperatures,
		kTopCpu,
		kTopMemory,
		kTcpStates,
		kSpoolDropped,
	};
	static constexpr std::string_view kKeys[] = {
	    "seq",          "time_ms",   "interval_s", "uptime_s",   "host",         "cpu",   "load",
	    "memory",       "processes", "sockets",    "sessions",   "filesystems",  "disks", "interfaces",
	    "temperatures", "top_cpu",   "top_memory", "tcp_states", "spool_dropped"};
	uint64_t seen = 0;
	const bool ok = object(
	    e, p, seen, [](std::string_view key) { return index_of(kKeys, key); },
	    [&](int i, dom::element v, const Path* fp) {
		    switch (static_cast<Key>(i)) {
		    case kSeq:
			    return read_member(v, fp, out.seq, kSeqRule);
		    case kTimeMs:
			    return read_time_ms(v, fp, out.time_ms);
		    case kIntervalS:
			    return read_member(v, fp, out.interval_s, kOptional);
		    case kUptimeS:
			    return read_member(v, fp, out.uptime_s, kOptional);
		    case kHost:
			    return flat(v, fp, out.host.emplace());
		    case kCpu:
			    return cpu(v, fp, out.cpu);
		    case kLoad:
			    return flat(v, fp, out.load);
		    case kMemory:
			    return flat(v, fp, out.memory);
		    case kProcesses:
			    return flat(v, fp, out.processes);
		    case kSockets:
			    return flat(v, fp, out.sockets);
		    case kSessions:
			    return read_member(v, fp, out.sessions, kOptional);
		    case kFilesystems:
			    return list(v, fp, out.filesystems, kMaxFilesystems);
		    case kDisks:
			    return list(v, fp, out.disks, kMaxDisks);
		    case kInterfaces:
			    return list(v, fp, out.interfaces, kMaxInterfaces);
		    case kTemperatures:
			    return list(v, fp, out.temperatures, kMaxTemperatures);
		    case kTopCpu:
			    return list(v, fp, out.top_cpu.emplace(), kMaxProcesses);
		    case kTopMemory:
			    return list(v, fp, out.top_memory.emplace(), kMaxProcesses);
		    case kTcpStates:
			    return list(v, fp, out.tcp_states.emplace(), kMaxTcpStates);
		    case kSpoolDropped:
			    return read_member(v, fp, out.spool_dropped, kOptional);
		    }
		    return false;
	    });
	if (!ok) {
		return false;
	}
	if (!(seen & (uint64_t{1} << kSeq))) {
		return missing(p, "seq");
	}
	if (!(seen & (uint64_t{1} << kTimeMs))) {
		return missing(p, "time_ms");
	}
	return true;
}

bool Walker::batch(dom::element root, ReportBatch& out) {
	static constexpr std::string_view kKeys[] = {"protocol", "stream", "agent_version", "reports"};
	if (root.type() != dom::element_type::OBJECT) {
		return fail(nullptr, fmt::format("expected a JSON object at the top level, got {}", describe(root)));
	}
	// Collect first, check in a fixed order: a body of another protocol version gets "unsupported
	// protocol version" whatever else is wrong with it.
	dom::element fields[std::size(kKeys)];
	uint64_t seen = 0;
	if (!object(
	        root, nullptr, seen, [](std::string_view key) { return index_of(kKeys, key); },
	        [&](int i, dom::element v, const Path*) {
		        fields[i] = v;
		        return true;
	        })) {
		return false;
	}
	const auto present = [&](size_t i) {
		return (seen & (uint64_t{1} << i)) != 0 || missing(nullptr, kKeys[i]);
	};

	const Path protocol_path{nullptr, "protocol"};
	const dom::element protocol = fields[0];
	if (!present(0)) {
		return false;
	}
	if (protocol.type() != dom::element_type::INT64 && protocol.type() != dom::element_type::UINT64) {
		return expected(&protocol_path, "an integer", protocol);
	}
	if (protocol.type() != dom::element_type::INT64 || as_i64(protocol) != kProtocolVersion) {
		return fail(nullptr, fmt::format("unsupported protocol version {}", describe(protocol)));
	}
	out.protocol = kProtocolVersion;

	const Path stream_path{nullptr, "stream"};
	std::string_view stream;
	if (!present(1)) {
		return false;
	}
	if (fields[1].get(stream) != simdjson::SUCCESS) {
		return expected(&stream_path, "a string", fields[1]);
	}
	if (stream.size() != 16 || !std::all_of(stream.begin(), stream.end(), [](char c) {
		    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
	    })) {
		return fail(&stream_path, fmt::format("expected 16 lowercase hex digits, got {}", quoted(stream)));
	}
	out.stream.assign(stream);

	const Path version_path{nullptr, "agent_version"};
	std::string_view version;
	if (!present(2)) {
		return false;
	}
	if (fields[2].get(version) != simdjson::SUCCESS) {
		return expected(&version_path, "a string", fields[2]);
	}
	if (version.empty() || version.size() > kMaxAgentVersionBytes) {
		return fail(&version_path,
		            fmt::format("expected 1..{} bytes, got {}", kMaxAgentVersionBytes, version.size()));
	}
	out.agent_version.assign(version);

	const Path reports_path{nullptr, "reports"};
	dom::array reports;
	if (!present(3)) {
		return false;
	}
	if (fields[3].get(reports) != simdjson::SUCCESS) {
		return expected(&reports_path, "an array", fields[3]);
	}
	if (reports.size() == 0) {
		return fail(&reports_path, "must hold at least one report");
	}
	if (reports.size() > kMaxReportsPerBatch) {
		return fail(&reports_path, fmt::format("more than {} entries", kMaxReportsPerBatch));
	}
	out.reports.reserve(reports.size());
	size_t i = 0;
	for (dom::element e : reports) {
		const Path rp{&reports_path, {}, i++, true};
		Report& r = out.reports.emplace_back();
		if (!report(e, &rp, r)) {
			return false;
		}
		if (out.reports.size() > 1 && r.seq <= out.reports[out.reports.size() - 2].seq) {
			const Path seq_path{&rp, "seq"};
			return fail(&seq_path,
			            fmt::format("{} does not follow the previous report's seq {} (must increase)", r.seq,
			                        out.reports[out.reports.size() - 2].seq));
		}
	}
	return true;
}

// Buffer size for a len-byte body: with headroom, so that batches growing a little at a time do
// not reallocate on every request, but never past kKeepCapacity unless the body itself is larger.
size_t with_headroom(size_t len) {
	return std::max(len, std::min(kKeepCapacity, std::max<size_t>(16 << 10, len + len / 2)));
}

// Per-thread parser and padded copy buffer, reused across requests.
struct ThreadState {
	dom::parser parser{kMaxDecodedBodyBytes};
	std::unique_ptr<char[]> copy;
	size_t copy_capacity = 0; // bytes of body `copy` holds, padding not counted

	// The depth limit is set here: a fresh parser has simdjson's default of 1024.
	bool prepare(size_t len) {
		if (parser.max_depth() == kMaxJsonDepth && parser.capacity() >= len) {
			return true;
		}
		return parser.allocate(with_headroom(len), kMaxJsonDepth) == simdjson::SUCCESS;
	}
	char* copy_buffer(size_t len) {
		if (copy_capacity < len) {
			copy_capacity = with_headroom(len);
			copy.reset(new char[copy_capacity + kDecodePadding]);
		}
		return copy.get();
	}
	void trim() {
		if (parser.capacity() > kKeepCapacity) {
			parser = dom::parser{kMaxDecodedBodyBytes};
		}
		if (copy_capacity > kKeepCapacity) {
			copy.reset();
			copy_capacity = 0;
		}
	}
};

thread_local ThreadState t_state;

std::optional<Error> check_size(size_t len) {
	if (len == 0) {
		return Err("empty body");
	}
	if (len > kMaxDecodedBodyBytes) {
		return Err(fmt::format("body too large: {} bytes (limit {})", len, kMaxDecodedBodyBytes));
	}
	return std::nullopt;
}

// data[len..len + kDecodePadding) must be readable.
Result<ReportBatch> decode_padded(ThreadState& state, const char* data, size_t len, DecodeStats* stats) {
	if (!state.prepare(len)) {
		return Err("out of memory for the JSON parser");
	}
	dom::element root;
	const simdjson::error_code err = state.parser.parse(data, len, false).get(root);
	if (err != simdjson::SUCCESS) {
		state.trim();
		return Err(parse_error_message(err));
	}
	Walker walker;
	ReportBatch batch;
	const bool ok = walker.batch(root, batch);
	state.trim();
	if (!ok) {
		return Err(std::move(walker.error));
	}
	if (stats != nullptr) {
		stats->unknown_fields = walker.unknown_fields;
	}
	return batch;
}

} // namespace

Result<ReportBatch> decode_batch(const char* data, size_t len, size_t capacity, DecodeStats* stats) {
	if (auto error = check_size(len)) {
		return *error;
	}
	if (capacity >= len && capacity - len >= kDecodePadding) {
		return decode_padded(t_state, data, len, stats);
	}
	return decode_batch(std::string_view(data, len), stats);
}

Result<ReportBatch> decode_batch(std::string_view json, DecodeStats* stats) {
	if (auto error = check_size(json.size())) {
		return *error;
	}
	ThreadState& state = t_state;
	char* buffer = state.copy_buffer(json.size());
	std::memcpy(buffer, json.data(), json.size());
	std::memset(buffer + json.size(), 0, kDecodePadding);
	return decode_padded(state, buffer, json.size(), stats);
}

} // namespace serversan
