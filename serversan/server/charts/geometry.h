// Where the data area of a picture is and how time and value map onto it, in the PNG's pixels.
// The renderer draws with it; tests read pixels back at geometry.x(t), geometry.y(v).
#pragma once

#include <cstdint>

namespace serversan::charts {

struct PlotGeometry {
	double left = 0, top = 0, right = 1, bottom = 1; // pixels of the PNG
	int64_t from_ms = 0, to_ms = 1;
	double v_lo = 0, v_hi = 1;

	// The time window and the value axis's ends; an empty span widens so the mapping stays finite.
	void set_ranges(int64_t from, int64_t to, double lo, double hi) {
		from_ms = from;
		to_ms = to > from ? to : from + 1;
		v_lo = lo;
		v_hi = hi > lo ? hi : lo + 1;
	}
	double x(int64_t ms) const {
		return left +
		       (right - left) * static_cast<double>(ms - from_ms) / static_cast<double>(to_ms - from_ms);
	}
	double y(double v) const { return bottom - (bottom - top) * (v - v_lo) / (v_hi - v_lo); }
};

} // namespace serversan::charts
