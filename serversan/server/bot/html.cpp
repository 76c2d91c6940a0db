#include "serversan/server/bot/html.h"

#include <cstdint>
#include <cstdlib>

#include "serversan/core/encoding.h"

namespace serversan::bot {

namespace {

constexpr char32_t kReplacement = 0xFFFD;

struct CodePoint {
	char32_t cp;
	size_t bytes; // bytes consumed: at least 1, so a caller always moves forward
	bool valid;
};

// One UTF-8 sequence at s[i]; an invalid or truncated one consumes a single byte.
CodePoint decode(std::string_view s, size_t i) {
	auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
	uint8_t c = b(i);
	if (c < 0x80)
		return {c, 1, true};
	size_t n;
	char32_t cp;
	char32_t min;
	if ((c & 0xE0) == 0xC0) {
		n = 2, cp = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3, cp = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4, cp = c & 0x07, min = 0x10000;
	} else {
		return {kReplacement, 1, false};
	}
	if (i + n > s.size())
		return {kReplacement, 1, false};
	for (size_t k = 1; k < n; ++k) {
		if ((b(i + k) & 0xC0) != 0x80)
			return {kReplacement, 1, false};
		cp = (cp << 6) | (b(i + k) & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return {kReplacement, 1, false};
	return {cp, n, true};
}

size_t units_of(char32_t cp) {
	return cp >= 0x10000 ? 2 : 1;
}

bool is_control(char32_t cp) {
	return (cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F;
}

std::string escape(std::string_view text, bool attribute) {
	std::string out;
	out.reserve(text.size() + text.size() / 8);
	for (size_t i = 0; i < text.size();) {
		CodePoint c = decode(text, i);
		i += c.bytes;
		switch (c.cp) {
		case '&':
			out += "&amp;";
			break;
		case '<':
			out += "&lt;";
			break;
		case '>':
			out += "&gt;";
			break;
		case '"':
			out += attribute ? "&quot;" : "\"";
			break;
		default:
			append_utf8(out, (!c.valid || is_control(c.cp)) ? kReplacement : c.cp);
		}
	}
	return out;
}

// A piece of HTML as the splitter sees it: a tag, an entity or one character.
struct Token {
	enum Kind { open_tag, close_tag, text } kind;
	std::string_view raw;
	size_t units = 0;      // parsed-text length (0 for tags)
	std::string_view name; // tag name, for open and close tags
	char32_t cp = 0;       // the character, for text
};

std::vector<Token> tokenize(std::string_view html) {
	std::vector<Token> out;
	for (size_t i = 0; i < html.size();) {
		char c = html[i];
		if (c == '<') {
			size_t end = html.find('>', i);
			if (end != std::string_view::npos) {
				std::string_view raw = html.substr(i, end - i + 1);
				bool closing = raw.size() > 1 && raw[1] == '/';
				size_t start = closing ? 2 : 1;
				size_t stop = raw.find_first_of(" \t\n/>", start);
				Token t{closing ? Token::close_tag : Token::open_tag, raw};
				t.name = raw.substr(start, stop - start);
				out.push_back(t);
				i = end + 1;
				continue;
			}
		} else if (c == '&') {
			size_t end = html.find(';', i);
			if (end != std::string_view::npos && end - i <= 10) {
				std::string_view raw = html.substr(i, end - i + 1);
				// A numeric entity above U+FFFF is a surrogate pair in Telegram's count.
				size_t units = 1;
				if (raw.size() > 3 && raw[1] == '#') {
					bool hex = raw[2] == 'x' || raw[2] == 'X';
					unsigned long v =
					    std::strtoul(std::string(raw.substr(hex ? 3 : 2)).c_str(), nullptr, hex ? 16 : 10);
					units = v >= 0x10000 ? 2 : 1;
				}
				out.push_back({Token::text, raw, units, {}, U'&'});
				i = end + 1;
				continue;
			}
		}
		CodePoint cp = decode(html, i);
		out.push_back({Token::text, html.substr(i, cp.bytes), units_of(cp.cp), {}, cp.cp});
		i += cp.bytes;
	}
	return out;
}

bool only_space(const std::vector<Token>& tokens, size_t from, size_t to) {
	for (size_t k = from; k < to; ++k)
		if (tokens[k].kind == Token::text && tokens[k].cp != ' ' && tokens[k].cp != '\n' &&
		    tokens[k].cp != '\t')
			return false;
	return true;
}

using TagStack = std::vector<const Token*>;

void apply(TagStack& stack, const Token& t) {
	if (t.kind == Token::open_tag) {
		stack.push_back(&t);
	} else if (t.kind == Token::close_tag) {
		for (size_t k = stack.size(); k-- > 0;)
			if (stack[k]->name == t.name) {
				stack.erase(stack.begin() + static_cast<std::ptrdiff_t>(k));
				break;
			}
	}
}

} // namespace

std::string sanitize_utf8(std::string_view in) {
	std::string out;
	out.reserve(in.size());
	for (size_t i = 0; i < in.size();) {
		CodePoint c = decode(in, i);
		i += c.bytes;
		append_utf8(out, (!c.valid || is_control(c.cp)) ? kReplacement : c.cp);
	}
	return out;
}

std::string escape_html(std::string_view text) {
	return escape(text, false);
}

std::string escape_html_attribute(std::string_view text) {
	return escape(text, true);
}

size_t utf16_length(std::string_view text) {
	size_t n = 0;
	for (size_t i = 0; i < text.size();) {
		CodePoint c = decode(text, i);
		i += c.bytes;
		n += units_of(c.cp);
	}
	return n;
}

size_t html_text_length(std::string_view html) {
	size_t n = 0;
	for (const Token& t : tokenize(html))
		n += t.units;
	return n;
}

std::vector<std::string> split_html(std::string_view html, size_t limit) {
	if (limit < 2)
		limit = 2; // a surrogate pair must fit, or nothing could move forward
	std::vector<Token> tokens = tokenize(html);
	size_t total = 0;
	for (const Token& t : tokens)
		total += t.units;
	if (total <= limit)
		return {std::string(html)};

	std::vector<std::string> pieces;
	TagStack open; // tags open where the current piece starts
	size_t i = 0;
	while (i < tokens.size()) {
		TagStack stack = open;
		TagStack at_newline, at_space;
		size_t newline = 0, space = 0; // token index of the last separator seen, 0 = none
		size_t units = 0, k = i;
		while (k < tokens.size() && units + tokens[k].units <= limit) {
			const Token& t = tokens[k];
			if (k > i && t.kind == Token::text && t.cp == '\n')
				newline = k, at_newline = stack;
			else if (k > i && t.kind == Token::text && t.cp == ' ')
				space = k, at_space = stack;
			apply(stack, t);
			units += t.units;
			++k;
		}
		size_t end, next;
		if (k == tokens.size()) {
			end = next = k;
		} else if (newline) {
			end = newline, next = newline + 1, stack = at_newline;
		} else if (space) {
			end = space, next = space + 1, stack = at_space;
		} else {
			end = next = k;
		}
		if (!only_space(tokens, i, end)) {
			std::string piece;
			for (const Token* t : open)
				piece += t->raw;
			for (size_t m = i; m < end; ++m)
				piece += tokens[m].raw;
			for (size_t m = stack.size(); m-- > 0;) {
				piece += "</";
				piece += stack[m]->name;
				piece += '>';
			}
			pieces.push_back(std::move(piece));
		}
		open = stack;
		i = next;
	}
	return pieces;
}

bool callback_data_fits(std::string_view data) {
	return !data.empty() && data.size() <= kMaxCallbackDataBytes;
}

} // namespace serversan::bot
