#include "serversan/server/charts/png.h"

#include <cstdint>
#include <cstring>
#include <vector>

#include <zlib.h>

namespace serversan::charts {

namespace {

void put_u32(std::string& out, uint32_t v) {
	out += static_cast<char>(v >> 24);
	out += static_cast<char>(v >> 16);
	out += static_cast<char>(v >> 8);
	out += static_cast<char>(v);
}

// A chunk: length, type, data, CRC-32 of type and data.
void chunk(std::string& out, const char* type, const std::string& data) {
	put_u32(out, static_cast<uint32_t>(data.size()));
	size_t at = out.size();
	out.append(type, 4);
	out += data;
	auto crc =
	    ::crc32(0, reinterpret_cast<const Bytef*>(out.data() + at), static_cast<uInt>(out.size() - at));
	put_u32(out, static_cast<uint32_t>(crc));
}

} // namespace

Result<std::string> encode_png(cairo_surface_t* surface) {
	cairo_surface_flush(surface);
	cairo_format_t format = cairo_image_surface_get_format(surface);
	if (format != CAIRO_FORMAT_RGB24 && format != CAIRO_FORMAT_ARGB32)
		return Err("PNG encoding: not an RGB image surface");
	int w = cairo_image_surface_get_width(surface), h = cairo_image_surface_get_height(surface);
	int stride = cairo_image_surface_get_stride(surface);
	const unsigned char* data = cairo_image_surface_get_data(surface);
	if (!data || w <= 0 || h <= 0)
		return Err("PNG encoding: empty surface");

	z_stream z{};
	if (deflateInit(&z, Z_BEST_SPEED) != Z_OK)
		return Err("PNG encoding: deflateInit failed");
	// Row by row through two small buffers (the whole filtered image would be 2.7 MB of fresh
	// pages per chart): filter byte + RGB, each row filtered against the one above ("up"), which
	// turns a chart's many repeated rows into zeros.
	size_t rgb = 3 * static_cast<size_t>(w);
	std::vector<unsigned char> above(rgb, 0), here(rgb), filtered(1 + rgb), out(64 * 1024);
	std::string idat;
	idat.reserve(256 * 1024);
	int st = Z_OK;
	for (int y = 0; y < h && st == Z_OK; ++y) {
		const auto* px = reinterpret_cast<const uint32_t*>(data + static_cast<ptrdiff_t>(y) * stride);
		for (int x = 0; x < w; ++x) {
			uint32_t v = px[x];
			unsigned char* c = here.data() + 3 * x;
			c[0] = static_cast<unsigned char>(v >> 16);
			c[1] = static_cast<unsigned char>(v >> 8);
			c[2] = static_cast<unsigned char>(v);
		}
		filtered[0] = 2; // "up"
		for (size_t i = 0; i < rgb; ++i)
			filtered[1 + i] = static_cast<unsigned char>(here[i] - above[i]);
		std::swap(above, here);
		z.next_in = filtered.data();
		z.avail_in = static_cast<uInt>(filtered.size());
		int flush = y + 1 == h ? Z_FINISH : Z_NO_FLUSH;
		do {
			z.next_out = out.data();
			z.avail_out = static_cast<uInt>(out.size());
			st = deflate(&z, flush);
			idat.append(reinterpret_cast<const char*>(out.data()), out.size() - z.avail_out);
		} while (z.avail_out == 0 && st == Z_OK);
	}
	deflateEnd(&z);
	if (st != Z_STREAM_END)
		return Err("PNG encoding: deflate failed");

	std::string png("\x89PNG\r\n\x1a\n", 8);
	std::string ihdr;
	put_u32(ihdr, static_cast<uint32_t>(w));
	put_u32(ihdr, static_cast<uint32_t>(h));
	ihdr += std::string("\x08\x02\x00\x00\x00", 5); // 8 bits, RGB, deflate, adaptive filters, no interlace
	chunk(png, "IHDR", ihdr);
	chunk(png, "IDAT", idat);
	chunk(png, "IEND", "");
	return png;
}

} // namespace serversan::charts
