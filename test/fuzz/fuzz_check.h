// What a fuzz target asserts: FUZZ_CHECK(cond, fmt-args...) prints the broken property and
// aborts, which libFuzzer reports as a crash and saves the input for. Unlike assert() it holds in
// every build type.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>

#include <fmt/format.h>

#define FUZZ_CHECK(cond, ...)                                                                                \
	do {                                                                                                     \
		if (!(cond)) {                                                                                       \
			std::fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s\n  %s\n", __FILE__, __LINE__, #cond,        \
			             fmt::format(__VA_ARGS__).c_str());                                                  \
			std::abort();                                                                                    \
		}                                                                                                    \
	} while (0)

namespace serversan::fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
	return {reinterpret_cast<const char*>(data), size};
}

inline std::span<const uint8_t> as_bytes(const std::string& s) {
	return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

// What a decoder accepted, written again by its encoder, must decode to the same value: the two
// agree on every value the decoder lets in. `what` names the encoded form in the message.
template <typename T, typename Encode, typename Decode>
void check_round_trip(const T& value, Encode encode, Decode decode, std::string_view what) {
	std::string text = encode(value);
	auto back = decode(text);
	FUZZ_CHECK(back.ok(), "{} is refused: {}\n  {}", what, back.ok() ? "" : back.error().message, text);
	FUZZ_CHECK(*back == value, "{} decodes to something else:\n  {}", what, text);
}

} // namespace serversan::fuzz
