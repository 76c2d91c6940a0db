// Nice numbers for a value axis: ticks at 1, 2, 2.5 or 5 times a power of ten, so a person reads
// the grid at a glance ("0 20 40 60", never "0 17.3 34.6").
#pragma once

#include <vector>

namespace serversan::charts {

struct Ticks {
	double lo = 0, hi = 1, step = 1; // the axis spans [lo, hi]; every tick is lo + k * step
	std::vector<double> values;
};

// The smallest nice axis that holds [lo, hi] in at most about max_ticks intervals; lo and hi
// themselves are rounded outwards to ticks. hi <= lo (a flat series) widens to a unit range.
Ticks nice_ticks(double lo, double hi, int max_ticks);
// The nice step (1, 2, 2.5 or 5 times a power of ten) at or above raw.
double nice_step(double raw);
// Decimals a tick label needs to tell ticks step apart: 0 for 20, 1 for 0.5, 2 for 0.25.
int step_decimals(double step);

} // namespace serversan::charts
