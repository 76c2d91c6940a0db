#include "serversan/server/bot/views/table_text.h"

#include "serversan/server/bot/views/utf8_walk.h"

namespace serversan::bot::views {

namespace {

// East Asian wide ranges that our texts use: CJK symbols and ideographs, Hangul, full-width forms.
bool is_wide(char32_t cp) {
	return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
	       (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6);
}

} // namespace

size_t display_width(std::string_view s) {
	size_t w = 0;
	for (size_t i = 0; i < s.size();) {
		char32_t cp = next_code_point(s, i);
		w += is_wide(cp) ? 2 : 1;
	}
	return w;
}

std::string aligned_row(std::span<const std::string> cells, std::span<const size_t> widths) {
	std::string out;
	for (size_t i = 0; i < cells.size(); ++i) {
		if (i > 0)
			out += ' ';
		size_t w = display_width(cells[i]);
		size_t want = i < widths.size() ? widths[i] : 0;
		if (w < want)
			out.append(want - w, ' ');
		out += cells[i];
	}
	return out;
}

} // namespace serversan::bot::views
