// Colours of the light and dark themes. The series colours are told apart by people with the
// common colour-vision deficiencies (blue, orange, vermilion, purple, green...), and the dark
// theme's are lighter so that thin lines still stand out on a dark phone screen.
#pragma once

#include <array>
#include <cstdint>

#include "serversan/server/charts/chart_request.h"

namespace serversan::charts {

struct Rgb {
	double r = 0, g = 0, b = 0;
};

inline constexpr size_t kSeriesColors = 8;

struct Palette {
	Rgb background, text, muted, grid, axis, offline, threshold;
	std::array<Rgb, kSeriesColors> series;
	double area_alpha = 0.8;  // stacked areas
	double band_alpha = 0.22; // min/max bands
};

const Palette& palette(Theme theme);

} // namespace serversan::charts
