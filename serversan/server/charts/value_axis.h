// Units and labels of a chart's value axis: percentages, bytes (KiB, MiB, GiB, TiB: binary, as the
// bot's messages), byte rates, degrees and plain numbers (load). Byte axes pick one unit for the
// whole axis from its top value, then put nice ticks in that unit ("0 2 4 6 GiB", not
// "0 2147483648 ..."); a percentage axis ends at 100 at most and shows 0.1 % when that is all
// there is.
#pragma once

#include <string>
#include <vector>

#include "serversan/server/charts/scale.h"

namespace serversan::charts {

enum class Unit { percent, bytes, bytes_per_s, celsius, plain };

struct ValueAxis {
	Unit unit = Unit::plain;
	Ticks ticks;                     // in data units (bytes, percent)
	double divisor = 1;              // data / divisor = the number printed
	std::string suffix;              // "%", " GiB", " MiB/s", " °C", ""
	std::vector<std::string> labels; // one per tick
};

// The axis for data spanning [data_min, data_max]; at most max_ticks intervals. Bytes, rates,
// percentages and load start at 0; temperatures start near their lowest value.
ValueAxis value_axis(Unit unit, double data_min, double data_max, int max_ticks = 5);
// One value for a legend or a caption: "3.2 GiB", "1.5 MiB/s", "45%", "0.42", "48 °C".
std::string format_value(Unit unit, double v);

} // namespace serversan::charts
