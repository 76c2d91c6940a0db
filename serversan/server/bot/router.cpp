#include "serversan/server/bot/router.h"

#include "serversan/core/ascii.h"

namespace serversan::bot {

std::optional<ParsedCommand> parse_command(std::string_view text, std::string_view bot_username) {
	if (text.empty() || text[0] != '/')
		return std::nullopt;
	size_t end = 1;
	while (end < text.size() && !ascii_space(text[end]))
		++end;
	std::string_view word = text.substr(1, end - 1);
	std::string_view mention;
	if (size_t at = word.find('@'); at != std::string_view::npos) {
		mention = word.substr(at + 1);
		word = word.substr(0, at);
	}
	// Telegram's rule for command names: 1-32 of [a-z0-9_] (clients send any case).
	if (word.empty() || word.size() > 32)
		return std::nullopt;
	ParsedCommand c;
	for (char ch : word) {
		char l = ascii_lower(ch);
		if (!((l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') || l == '_'))
			return std::nullopt;
		c.name += l;
	}
	c.named = !mention.empty() && equal_ascii_ci(mention, bot_username);
	c.for_us = mention.empty() || c.named;
	c.rest = std::string(trim_ascii_space(text.substr(end)));
	return c;
}

std::vector<std::string> split_args(std::string_view rest) {
	std::vector<std::string> out;
	size_t i = 0;
	while (i < rest.size()) {
		while (i < rest.size() && ascii_space(rest[i]))
			++i;
		size_t start = i;
		while (i < rest.size() && !ascii_space(rest[i]))
			++i;
		if (i > start)
			out.emplace_back(rest.substr(start, i - start));
	}
	return out;
}

std::pair<std::string_view, std::string_view> split_callback(std::string_view data) {
	size_t colon = data.find(':');
	if (colon == std::string_view::npos)
		return {data, {}};
	return {data.substr(0, colon), data.substr(colon + 1)};
}

} // namespace serversan::bot
