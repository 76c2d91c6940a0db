// JSON -> report batch (protocol v1, docs/report-format.md), with the strict validation the
// server applies to everything an agent sends. Server-only: built on simdjson.
//
// decode_batch() returns a fully validated ReportBatch or an Error whose message names the
// offending place as a JSON path ("reports[3].memory.total: expected a non-negative integer,
// got -1"); it never returns part of a batch, never throws, and rejects input nested deeper than
// kMaxJsonDepth without recursing into it. Malformed JSON (bad syntax, invalid UTF-8, an integer
// outside the 64-bit range) is reported as "invalid JSON: ..." without a path: the parser finds
// it before any field is looked at.
//
// Unknown keys in any object are skipped, so that an agent newer within v1 can add fields, and
// counted in DecodeStats; they still count against the depth and body-size limits and must not
// repeat a key. Missing optional fields decode as empty; `null` is never a valid value.
//
// Thread-safe: each thread parses with its own cached parser.
#pragma once

#include <cstddef>
#include <string_view>

#include "serversan/core/report.h"
#include "serversan/core/result.h"

namespace serversan {

struct DecodeStats {
	size_t unknown_fields = 0; // keys skipped because this build does not know them
};

// Bytes the parser may read past the end of the JSON (simdjson's SIMDJSON_PADDING).
inline constexpr size_t kDecodePadding = 64;

// Copies `json` into a padded buffer (a memcpy; the parse itself costs far more).
// `stats`, if given, is written only on success.
Result<ReportBatch> decode_batch(std::string_view json, DecodeStats* stats = nullptr);

// Parses data[0..len) in place when the caller's buffer has data[len..capacity) readable and
// capacity - len >= kDecodePadding (e.g. a request body read into a larger buffer); otherwise
// it copies like the overload above. The padding bytes may hold anything.
Result<ReportBatch> decode_batch(const char* data, size_t len, size_t capacity, DecodeStats* stats = nullptr);

} // namespace serversan
