#include "serversan/core/encoding.h"

#include <array>
#include <charconv>

namespace serversan {

namespace {
constexpr char kHex[] = "0123456789abcdef";

constexpr std::array<uint32_t, 256> make_crc_table() {
	std::array<uint32_t, 256> t{};
	for (uint32_t i = 0; i < 256; ++i) {
		uint32_t c = i;
		for (int k = 0; k < 8; ++k)
			c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		t[i] = c;
	}
	return t;
}
constexpr auto kCrcTable = make_crc_table();
} // namespace

int hex_digit_value(char c) {
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

std::string hex_encode(std::span<const uint8_t> data) {
	std::string out(data.size() * 2, '\0');
	for (size_t i = 0; i < data.size(); ++i) {
		out[2 * i] = kHex[data[i] >> 4];
		out[2 * i + 1] = kHex[data[i] & 0xF];
	}
	return out;
}

std::optional<std::vector<uint8_t>> hex_decode(std::string_view text) {
	if (text.size() % 2 != 0)
		return std::nullopt;
	std::vector<uint8_t> out(text.size() / 2);
	for (size_t i = 0; i < out.size(); ++i) {
		int hi = hex_digit_value(text[2 * i]), lo = hex_digit_value(text[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return std::nullopt;
		out[i] = static_cast<uint8_t>(hi << 4 | lo);
	}
	return out;
}

bool is_lower_hex(std::string_view text) {
	for (char c : text) {
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	return true;
}

bool is_base62(std::string_view text) {
	for (char c : text) {
		if (kBase62Alphabet.find(c) == std::string_view::npos)
			return false;
	}
	return true;
}

std::string base62_fixed(uint64_t value, size_t width) {
	std::string out(width, '0');
	for (size_t i = width; i-- > 0 && value > 0;) {
		out[i] = kBase62Alphabet[value % 62];
		value /= 62;
	}
	return out;
}

uint32_t crc32(std::span<const uint8_t> data, uint32_t crc) {
	crc = ~crc;
	for (uint8_t b : data)
		crc = kCrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
	return ~crc;
}

std::optional<uint64_t> parse_u64(std::string_view text) {
	if (text.empty() || (text.size() > 1 && text[0] == '0'))
		return std::nullopt;
	uint64_t v = 0;
	auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
	if (ec != std::errc{} || p != text.data() + text.size())
		return std::nullopt;
	return v;
}

std::optional<int64_t> parse_i64(std::string_view text) {
	bool neg = !text.empty() && text[0] == '-';
	std::string_view digits = neg ? text.substr(1) : text;
	if (digits.empty() || (digits.size() > 1 && digits[0] == '0') || (neg && digits == "0"))
		return std::nullopt;
	int64_t v = 0;
	auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
	if (ec != std::errc{} || p != text.data() + text.size())
		return std::nullopt;
	return v;
}

void append_utf8(std::string& out, char32_t cp) {
	if (cp < 0x80) {
		out += static_cast<char>(cp);
	} else if (cp < 0x800) {
		out += static_cast<char>(0xC0 | (cp >> 6));
		out += static_cast<char>(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		out += static_cast<char>(0xE0 | (cp >> 12));
		out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
		out += static_cast<char>(0x80 | (cp & 0x3F));
	} else {
		out += static_cast<char>(0xF0 | (cp >> 18));
		out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
		out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
		out += static_cast<char>(0x80 | (cp & 0x3F));
	}
}

std::string_view trim_blanks(std::string_view s) {
	while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
		s.remove_prefix(1);
	while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
		s.remove_suffix(1);
	return s;
}

} // namespace serversan
