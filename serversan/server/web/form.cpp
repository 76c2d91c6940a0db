#include "serversan/server/web/form.h"

#include "serversan/core/encoding.h"

namespace serversan::web {

std::optional<std::string> form_decode(std::string_view text) {
	std::string out;
	out.reserve(text.size());
	for (size_t i = 0; i < text.size(); ++i) {
		char c = text[i];
		if (c == '+') {
			out += ' ';
		} else if (c == '%') {
			if (i + 2 >= text.size())
				return std::nullopt;
			int hi = hex_digit_value(text[i + 1]), lo = hex_digit_value(text[i + 2]);
			if (hi < 0 || lo < 0)
				return std::nullopt;
			out += static_cast<char>(hi << 4 | lo);
			i += 2;
		} else {
			out += c;
		}
	}
	return out;
}

std::optional<std::vector<std::pair<std::string, std::string>>> parse_form(std::string_view text) {
	std::vector<std::pair<std::string, std::string>> out;
	while (!text.empty()) {
		size_t end = text.find('&');
		std::string_view part = text.substr(0, end);
		text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
		if (part.empty())
			continue;
		size_t eq = part.find('=');
		auto key = form_decode(part.substr(0, eq));
		auto value = form_decode(eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1));
		if (!key || !value)
			return std::nullopt;
		out.emplace_back(std::move(*key), std::move(*value));
	}
	return out;
}

} // namespace serversan::web
