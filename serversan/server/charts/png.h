// PNG in memory (cairo_surface_write_to_png_stream): the bot sends the bytes as a photo without
// touching the disk.
#pragma once

#include <cairo.h>
#include <string>

#include "serversan/core/result.h"

namespace serversan::charts {

Result<std::string> encode_png(cairo_surface_t* surface);

} // namespace serversan::charts
