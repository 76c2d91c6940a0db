// The server's JSON answer to a report batch (docs/protocol.md, sections 6 and 7), e.g.
//   {"status":"ok","accepted":3,"duplicates":0,"stale":0,"server_time_ms":1764000000123,
//    "instructions":{"interval_s":60,"collect":["top_processes"]}}
// and, on errors, {"error":"malformed","reason":"...","server_time_ms":...}. A top-level
// "interval_s" is read too. Only these fields are read, by a small strict scanner (the agent links
// no JSON library): any other member is skipped whatever its type, a member of the wrong type
// leaves that field empty, and text that is not one JSON object yields nothing rather than a guess.
//
// Also: the HTTP Date header (RFC 9110 IMF-fixdate) as unix milliseconds, a fallback source of
// server time when X-ServerSan-Time is missing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace serversan::agent {

struct ServerAnswer {
	std::optional<uint64_t> accepted, duplicates, stale;
	std::optional<int64_t> server_time_ms;
	std::optional<double> interval_s; // instructions.interval_s (or a top-level interval_s)
	// instructions.collect: the string elements (at most 8, each cut to 64 bytes); the caller
	// keeps the names it knows. Values are not range-checked here.
	std::vector<std::string> collect;
	std::string error; // the "error" and "reason" members, if strings
	std::string reason;
};

std::optional<ServerAnswer> parse_server_answer(std::string_view body);

// "Sun, 06 Nov 1994 08:49:37 GMT" -> unix milliseconds; nullopt if not that exact form.
std::optional<int64_t> parse_http_date_ms(std::string_view text);

} // namespace serversan::agent
