// Text on a chart: a server name is whatever its owner typed (any bytes, any length), and cairo
// refuses invalid UTF-8 by putting the whole drawing in an error state. These make any string
// safe to draw and fit it to a width with an ellipsis.
#pragma once

#include <cairo.h>
#include <string>
#include <string_view>

namespace serversan::charts {

// Valid UTF-8 with control characters (and bidi overrides, which could reorder the title) dropped
// and invalid bytes replaced by U+FFFD.
std::string drawable_text(std::string_view s);
// s cut at a character boundary and ended with "…" so that it is at most max_width wide in the
// context's current font; s itself if it fits.
std::string fit_text(cairo_t* cr, const std::string& s, double max_width);
double text_width(cairo_t* cr, const std::string& s);

enum class Weight { normal, bold };
// DejaVu Sans (fonts-dejavu-core) at size pixels; for a text with Chinese, Japanese or Korean
// characters, which DejaVu lacks, WenQuanYi Micro Hei (fonts-wqy-microhei, Latin included):
// cairo's simple text API draws a string with one font and no fallback, so a name like "主机"
// would otherwise come out as empty boxes.
void set_font(cairo_t* cr, double size, Weight weight = Weight::normal, std::string_view text = {});
bool needs_cjk_font(std::string_view utf8);

} // namespace serversan::charts
