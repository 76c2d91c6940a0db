#include "test/fake_telegram/fake_html.h"

#include <cctype>
#include <charconv>
#include <vector>

#include "serversan/core/encoding.h"

namespace serversan::fake_telegram {

using nlohmann::json;
using serversan::append_utf8;

namespace {

struct Open {
	std::string tag;
	json entity; // type and extra fields; offset filled in at open
};

std::string lower(std::string_view s) {
	std::string out(s);
	for (char& c : out)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	return out;
}

// Attributes of a start tag: name="value" pairs (value quoted with " or ', or bare).
std::vector<std::pair<std::string, std::string>> attributes(std::string_view s, std::string* error) {
	std::vector<std::pair<std::string, std::string>> out;
	size_t i = 0;
	while (i < s.size()) {
		while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])))
			++i;
		if (i >= s.size())
			break;
		size_t start = i;
		while (i < s.size() && s[i] != '=' && !std::isspace(static_cast<unsigned char>(s[i])))
			++i;
		std::string name = lower(s.substr(start, i - start));
		std::string value;
		if (i < s.size() && s[i] == '=') {
			++i;
			if (i < s.size() && (s[i] == '"' || s[i] == '\'')) {
				char q = s[i++];
				size_t end = s.find(q, i);
				if (end == std::string_view::npos) {
					*error = "Unclosed attribute value";
					return {};
				}
				value = std::string(s.substr(i, end - i));
				i = end + 1;
			} else {
				size_t end = i;
				while (end < s.size() && !std::isspace(static_cast<unsigned char>(s[end])))
					++end;
				value = std::string(s.substr(i, end - i));
				i = end;
			}
		}
		out.emplace_back(name, value);
	}
	return out;
}

// Decodes &...; inside an attribute value the same way as in text.
std::string decode_entities(std::string_view s) {
	std::string out;
	for (size_t i = 0; i < s.size(); ++i) {
		size_t end = s[i] == '&' ? s.find(';', i) : std::string_view::npos;
		std::string_view e = end == std::string_view::npos ? std::string_view{} : s.substr(i, end - i + 1);
		if (e == "&lt;")
			out += '<';
		else if (e == "&gt;")
			out += '>';
		else if (e == "&amp;")
			out += '&';
		else if (e == "&quot;")
			out += '"';
		else {
			out += s[i];
			continue;
		}
		i = end;
	}
	return out;
}

std::optional<json> entity_for(const std::string& tag, std::string_view rest, std::string* error) {
	auto attrs = attributes(rest, error);
	if (!error->empty())
		return std::nullopt;
	auto attr = [&](const char* name) -> std::optional<std::string> {
		for (auto& [k, v] : attrs)
			if (k == name)
				return decode_entities(v);
		return std::nullopt;
	};
	if (tag == "b" || tag == "strong")
		return json{{"type", "bold"}};
	if (tag == "i" || tag == "em")
		return json{{"type", "italic"}};
	if (tag == "u" || tag == "ins")
		return json{{"type", "underline"}};
	if (tag == "s" || tag == "strike" || tag == "del")
		return json{{"type", "strikethrough"}};
	if (tag == "tg-spoiler")
		return json{{"type", "spoiler"}};
	if (tag == "span") {
		if (attr("class") != "tg-spoiler") {
			*error = "Tag \"span\" must have class \"tg-spoiler\"";
			return std::nullopt;
		}
		return json{{"type", "spoiler"}};
	}
	if (tag == "a") {
		auto href = attr("href");
		if (!href || href->empty())
			return json{{"type", "text_link_without_url"}}; // dropped, as Telegram drops it
		return json{{"type", "text_link"}, {"url", *href}};
	}
	if (tag == "code") {
		json e{{"type", "code"}};
		if (auto cls = attr("class"); cls && cls->rfind("language-", 0) == 0)
			e["language"] = cls->substr(9);
		return e;
	}
	if (tag == "pre")
		return json{{"type", "pre"}};
	if (tag == "blockquote") {
		for (auto& [k, v] : attrs)
			if (k == "expandable")
				return json{{"type", "expandable_blockquote"}};
		return json{{"type", "blockquote"}};
	}
	if (tag == "tg-emoji") {
		auto id = attr("emoji-id");
		if (!id) {
			*error = "Tag \"tg-emoji\" must have attribute \"emoji-id\"";
			return std::nullopt;
		}
		return json{{"type", "custom_emoji"}, {"custom_emoji_id", *id}};
	}
	return std::nullopt;
}

} // namespace

size_t utf16_units(std::string_view text) {
	size_t n = 0;
	for (unsigned char c : text) {
		if ((c & 0xC0) != 0x80)
			++n;
		if (c >= 0xF0)
			++n;
	}
	return n;
}

ParsedText parse_html(std::string_view html) {
	ParsedText r;
	std::vector<Open> open;
	auto fail = [&](std::string message) {
		r.error = std::move(message);
		return r;
	};
	for (size_t i = 0; i < html.size();) {
		char c = html[i];
		if (c == '<') {
			size_t end = html.find('>', i);
			bool closing = i + 1 < html.size() && html[i + 1] == '/';
			size_t name_at = i + (closing ? 2 : 1);
			size_t name_end = name_at;
			while (name_end < html.size() &&
			       (std::isalnum(static_cast<unsigned char>(html[name_end])) || html[name_end] == '-'))
				++name_end;
			std::string tag = lower(html.substr(name_at, name_end - name_at));
			if (end == std::string_view::npos || tag.empty())
				return fail("Unsupported start tag \"" + tag + "\" at byte offset " + std::to_string(i));
			if (closing) {
				if (open.empty())
					return fail("Unexpected end tag at byte offset " + std::to_string(i));
				if (open.back().tag != tag)
					return fail("Unmatched end tag at byte offset " + std::to_string(i) + ", expected \"</" +
					            open.back().tag + ">\", found \"</" + tag + ">\"");
				json e = std::move(open.back().entity);
				open.pop_back();
				size_t length = utf16_units(r.text) - e["offset"].get<size_t>();
				if (length > 0 && e["type"] != "text_link_without_url") {
					e["length"] = length;
					r.entities.push_back(std::move(e));
				}
			} else {
				std::string error;
				auto e = entity_for(tag, html.substr(name_end, end - name_end), &error);
				if (!error.empty())
					return fail(error + " at byte offset " + std::to_string(i));
				if (!e)
					return fail("Unsupported start tag \"" + tag + "\" at byte offset " + std::to_string(i));
				(*e)["offset"] = utf16_units(r.text);
				open.push_back({tag, std::move(*e)});
			}
			i = end + 1;
		} else if (c == '&') {
			size_t end = html.find(';', i);
			std::string_view e =
			    end == std::string_view::npos ? std::string_view{} : html.substr(i, end - i + 1);
			if (e == "&lt;") {
				r.text += '<';
			} else if (e == "&gt;") {
				r.text += '>';
			} else if (e == "&amp;") {
				r.text += '&';
			} else if (e == "&quot;") {
				r.text += '"';
			} else if (e.size() > 3 && e[1] == '#') {
				bool hex = e[2] == 'x' || e[2] == 'X';
				std::string_view digits = e.substr(hex ? 3 : 2, e.size() - (hex ? 4 : 3));
				uint32_t cp = 0;
				auto [p, ec] =
				    std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
				if (ec != std::errc{} || p != digits.data() + digits.size() || cp == 0 || cp > 0x10FFFF ||
				    (cp >= 0xD800 && cp <= 0xDFFF))
					return fail("Unsupported HTML entity at byte offset " + std::to_string(i));
				append_utf8(r.text, cp);
			} else {
				return fail("Character '&' is reserved and must be escaped at byte offset " +
				            std::to_string(i));
			}
			i = end + 1;
		} else {
			if (c == '>')
				return fail("Character '>' is reserved and must be escaped at byte offset " +
				            std::to_string(i));
			r.text += c;
			++i;
		}
	}
	if (!open.empty())
		return fail("Can't find end tag corresponding to start tag \"" + open.back().tag + "\"");
	return r;
}

} // namespace serversan::fake_telegram
