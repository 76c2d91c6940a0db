#include "serversan/server/charts/png.h"

namespace serversan::charts {

namespace {

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
	static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
	return CAIRO_STATUS_SUCCESS;
}

} // namespace

Result<std::string> encode_png(cairo_surface_t* surface) {
	cairo_surface_flush(surface);
	std::string out;
	out.reserve(64 * 1024);
	cairo_status_t st = cairo_surface_write_to_png_stream(surface, append, &out);
	if (st != CAIRO_STATUS_SUCCESS)
		return Err(std::string("PNG encoding failed: ") + cairo_status_to_string(st));
	return out;
}

} // namespace serversan::charts
