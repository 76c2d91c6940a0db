// PNG in memory, so the bot sends the bytes as a photo without touching the disk.
//
// Our own small encoder over zlib rather than cairo_surface_write_to_png_stream: cairo's goes
// through libpng at zlib's default level with every row filter tried, which took about three
// quarters of a 30-day chart's time (bench/chart_bench.cpp). A chart is mostly flat colour, so
// the "up" filter and a fast deflate level lose little size and save most of the time.
#pragma once

#include <cairo.h>
#include <string>

#include "serversan/core/result.h"

namespace serversan::charts {

// An RGB24 or ARGB32 image surface as an 8-bit RGB PNG (alpha dropped: charts are opaque).
Result<std::string> encode_png(cairo_surface_t* surface);

} // namespace serversan::charts
