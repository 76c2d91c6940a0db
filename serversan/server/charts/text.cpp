#include "serversan/server/charts/text.h"

#include <cstdint>
#include <vector>

#include "serversan/core/encoding.h"

namespace serversan::charts {

namespace {

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 if invalid (then cp is unset).
size_t decode(std::string_view s, size_t i, uint32_t& cp) {
	auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
	unsigned char c = b(0);
	size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
	if (n == 0 || i + n > s.size())
		return 0;
	cp = n == 1 ? c : n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
	for (size_t k = 1; k < n; ++k) {
		if ((b(k) >> 6) != 2)
			return 0;
		cp = (cp << 6) | (b(k) & 0x3f);
	}
	// Overlong forms, surrogates and values past U+10FFFF are invalid.
	static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < kMin[n] || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return n;
}

bool invisible(uint32_t cp) {
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f || cp == 0xfeff;
}

} // namespace

std::string drawable_text(std::string_view s) {
	std::string out;
	out.reserve(s.size());
	for (size_t i = 0; i < s.size();) {
		uint32_t cp = 0;
		size_t n = decode(s, i, cp);
		if (n == 0) {
			append_utf8(out, 0xfffd);
			++i;
			continue;
		}
		if (!invisible(cp))
			append_utf8(out, cp);
		i += n;
	}
	return out;
}

double text_width(cairo_t* cr, const std::string& s) {
	cairo_text_extents_t e;
	cairo_text_extents(cr, s.c_str(), &e);
	return e.x_advance;
}

std::string fit_text(cairo_t* cr, const std::string& s, double max_width) {
	if (text_width(cr, s) <= max_width)
		return s;
	// Character boundaries (s is drawable_text's output: valid UTF-8).
	std::vector<size_t> cuts;
	for (size_t i = 0; i < s.size(); ++i)
		if ((static_cast<unsigned char>(s[i]) & 0xc0) != 0x80)
			cuts.push_back(i);
	// The first k characters.
	auto prefix = [&](size_t k) { return s.substr(0, k < cuts.size() ? cuts[k] : s.size()); };
	// Binary search the longest prefix that fits with the ellipsis.
	size_t lo = 0, hi = cuts.size();
	while (lo < hi) {
		size_t mid = (lo + hi + 1) / 2;
		if (text_width(cr, prefix(mid) + "…") <= max_width)
			lo = mid;
		else
			hi = mid - 1;
	}
	std::string out = prefix(lo);
	while (!out.empty() && out.back() == ' ')
		out.pop_back();
	return out + "…";
}

bool needs_cjk_font(std::string_view utf8) {
	for (size_t i = 0; i < utf8.size();) {
		uint32_t cp = 0;
		size_t n = decode(utf8, i, cp);
		if (n == 0) {
			++i;
			continue;
		}
		// CJK radicals to Yi, Hangul syllables, compatibility ideographs, full-width forms, and the
		// supplementary ideographs.
		if ((cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7af) ||
		    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff00 && cp <= 0xffef) ||
		    (cp >= 0x20000 && cp <= 0x3134f))
			return true;
		i += n;
	}
	return false;
}

void set_font(cairo_t* cr, double size, Weight weight, std::string_view text) {
	cairo_select_font_face(cr, needs_cjk_font(text) ? "WenQuanYi Micro Hei" : "DejaVu Sans",
	                       CAIRO_FONT_SLANT_NORMAL,
	                       weight == Weight::bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, size);
}

} // namespace serversan::charts
