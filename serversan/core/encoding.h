// Small text encodings used by the protocol: lowercase hex, base62 (tokens), CRC-32 (token
// checksums, spool records).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace serversan {

std::string hex_encode(std::span<const uint8_t> data);
// Accepts upper- and lowercase; nullopt on odd length or a non-hex character.
std::optional<std::vector<uint8_t>> hex_decode(std::string_view text);
bool is_lower_hex(std::string_view text);
// The value of one hex digit (either case), or -1.
int hex_digit_value(char c);

inline constexpr std::string_view kBase62Alphabet =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
bool is_base62(std::string_view text);
// value in base62, most significant digit first, left-padded with '0' to width digits.
std::string base62_fixed(uint64_t value, size_t width);

// CRC-32 (IEEE 802.3, the zlib/PNG polynomial), incremental: pass the previous value to continue.
uint32_t crc32(std::span<const uint8_t> data, uint32_t crc = 0);
inline uint32_t crc32(std::string_view s, uint32_t crc = 0) {
	return crc32({reinterpret_cast<const uint8_t*>(s.data()), s.size()}, crc);
}

// Appends code point `cp` (at most U+10FFFF, the caller checks) to `out` as UTF-8.
void append_utf8(std::string& out, char32_t cp);

// text without the spaces and tabs around it (HTTP header values, typed command arguments).
std::string_view trim_blanks(std::string_view text);

// Strict decimal parse of an unsigned integer: digits only, no sign, no leading zero (except
// "0" itself), no overflow.
std::optional<uint64_t> parse_u64(std::string_view text);
std::optional<int64_t> parse_i64(std::string_view text);

} // namespace serversan
