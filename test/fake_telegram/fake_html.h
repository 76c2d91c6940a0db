// Telegram's HTML parse mode as the fake understands it (bots/api#html-style): the supported tags
// become entities with UTF-16 offsets, the four named entities and every numeric one are decoded,
// and anything else (an unknown tag, a stray '<' or '&', a tag closed out of order) is the error
// text that follows "Bad Request: can't parse entities: ". Written for the fake, independently of
// the bot's own HTML helpers, so that one cannot hide a bug in the other.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace serversan::fake_telegram {

struct ParsedText {
	std::string text;
	nlohmann::json entities = nlohmann::json::array();
	std::string error; // empty when the markup parsed
};

ParsedText parse_html(std::string_view html);

// UTF-16 code units of UTF-8 text, as Telegram counts lengths and offsets.
size_t utf16_units(std::string_view text);

} // namespace serversan::fake_telegram
