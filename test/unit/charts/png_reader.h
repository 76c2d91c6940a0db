// Reads a chart's PNG back into pixels (cairo_image_surface_create_from_png_stream), so tests
// check what a person would see at a point instead of trusting the drawing code.
#pragma once

#include <cairo.h>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "serversan/server/charts/theme.h"

namespace serversan::testing {

struct Pixel {
	int r = 0, g = 0, b = 0;
};

class DecodedPng {
public:
	explicit DecodedPng(const std::string& png) {
		struct Reader {
			const std::string* s;
			size_t at = 0;
		} reader{&png};
		auto read = [](void* closure, unsigned char* data, unsigned int length) {
			auto* rd = static_cast<Reader*>(closure);
			if (rd->at + length > rd->s->size())
				return CAIRO_STATUS_READ_ERROR;
			std::copy_n(rd->s->data() + rd->at, length, data);
			rd->at += length;
			return CAIRO_STATUS_SUCCESS;
		};
		cairo_surface_t* s = cairo_image_surface_create_from_png_stream(read, &reader);
		ok_ = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS;
		if (ok_) {
			width_ = cairo_image_surface_get_width(s);
			height_ = cairo_image_surface_get_height(s);
			int stride = cairo_image_surface_get_stride(s);
			const unsigned char* data = cairo_image_surface_get_data(s);
			pixels_.resize(static_cast<size_t>(width_) * static_cast<size_t>(height_));
			for (int y = 0; y < height_; ++y)
				for (int x = 0; x < width_; ++x)
					pixels_[static_cast<size_t>(y * width_ + x)] =
					    *reinterpret_cast<const uint32_t*>(data + y * stride + x * 4);
		}
		cairo_surface_destroy(s);
	}
	bool ok() const { return ok_; }
	int width() const { return width_; }
	int height() const { return height_; }
	Pixel at(double x, double y) const {
		int xi = static_cast<int>(std::floor(x)), yi = static_cast<int>(std::floor(y));
		if (xi < 0 || yi < 0 || xi >= width_ || yi >= height_)
			return {-1, -1, -1};
		uint32_t v = pixels_[static_cast<size_t>(yi * width_ + xi)];
		return {static_cast<int>((v >> 16) & 0xff), static_cast<int>((v >> 8) & 0xff),
		        static_cast<int>(v & 0xff)};
	}

private:
	bool ok_ = false;
	int width_ = 0, height_ = 0;
	std::vector<uint32_t> pixels_;
};

inline Pixel to_pixel(charts::Rgb c) {
	return {static_cast<int>(std::lround(c.r * 255)), static_cast<int>(std::lround(c.g * 255)),
	        static_cast<int>(std::lround(c.b * 255))};
}

inline bool near(Pixel a, Pixel b, int tolerance = 12) {
	return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance &&
	       std::abs(a.b - b.b) <= tolerance;
}

} // namespace serversan::testing
