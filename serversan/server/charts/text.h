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
// DejaVu Sans (fonts-dejavu-core) at size logical pixels.
void set_font(cairo_t* cr, double size, Weight weight = Weight::normal);

} // namespace serversan::charts
