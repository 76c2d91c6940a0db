#include "serversan/server/bot/views/agent_text.h"

#include "serversan/core/encoding.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/bot/views/utf8_walk.h"

namespace serversan::bot::views {

namespace {

// Marks that change the direction of the text after them (LRM, RLM, ALM, the embeddings and
// overrides, the isolates): invisible, and able to scramble the rest of our line.
bool is_bidi_control(char32_t cp) {
	return cp == 0x200E || cp == 0x200F || cp == 0x061C || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

} // namespace

std::string agent_plain_text(std::string_view raw, size_t max_chars) {
	std::string clean = sanitize_utf8(raw);
	std::string out;
	size_t chars = 0;
	for (size_t i = 0; i < clean.size();) {
		char32_t cp = next_code_point(clean, i);
		if (is_bidi_control(cp))
			continue;
		if (cp == '\n' || cp == '\t')
			cp = ' ';
		if (chars + 1 == max_chars && i < clean.size()) {
			out += "…";
			break;
		}
		append_utf8(out, cp);
		++chars;
	}
	return out;
}

std::string name_key(std::string_view name) {
	std::string out(name);
	for (char& c : out)
		if (c >= 'A' && c <= 'Z')
			c = static_cast<char>(c - 'A' + 'a');
	return out;
}

std::string agent_text(std::string_view raw, size_t max_chars) {
	return escape_html(agent_plain_text(raw, max_chars));
}

} // namespace serversan::bot::views
