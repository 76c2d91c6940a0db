// The metrics a chart or an alert rule can name, and how each is taken from a Report. One table
// (metric_catalog) serves the store's columns, the roll-ups, charts and alert rules, so a name
// means the same thing everywhere. Engine-neutral: no SQL here.
//
// Server-wide values are the "main" columns of every tier (one per report or per bucket). Per
// device values (a filesystem, disk, interface or sensor) are "slots" of a device row. A metric
// may have both: "net.rx" is the sum over interfaces without a device, one interface's rate
// with one.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/core/report.h"

namespace serversan::store {

inline constexpr size_t kMainColumnCount = 24;
// Column names of the main values, in the order of the samples and roll-up tables.
extern const std::array<std::string_view, kMainColumnCount> kMainColumns;
using MainValues = std::array<std::optional<double>, kMainColumnCount>;

// The main values of one report (absent stays absent: never a made-up zero).
MainValues main_values(const Report& r);

enum class DeviceKind : uint8_t { filesystem = 1, disk = 2, interface = 3, temperature = 4 };
inline constexpr size_t kDeviceSlots = 6;
using DeviceValues = std::array<std::optional<double>, kDeviceSlots>;
std::string_view device_kind_name(DeviceKind kind); // "fs", "disk", "net", "temp"
std::optional<DeviceKind> device_kind_from_name(std::string_view name);
// Slots holding whole numbers (bytes, counts): stored exactly as integers.
bool device_slot_is_integer(DeviceKind kind, size_t slot);

struct DeviceSample {
	DeviceKind kind = DeviceKind::filesystem;
	std::string name; // mount point, disk, interface or sensor
	DeviceValues values;
	bool operator==(const DeviceSample&) const = default;
};
// Every device of a report with its slot values (interfaces include "lo").
std::vector<DeviceSample> device_samples(const Report& r);

// Roll-up tiers keep each statistic as a whole number of these steps (a percentage to 0.01, a
// byte count to the byte): SQLite stores a REAL column's whole-number values as 1-6 byte
// integers instead of 8-byte floats, which halves the 5-minute tier. The raw tier keeps the
// values exactly as reported. Readers multiply by the step again.
double main_column_step(size_t column);
double device_slot_step(DeviceKind kind, size_t slot);

struct MetricInfo {
	std::string_view name;
	std::string_view unit; // "%", "bytes", "bytes/s", "1/s", "°C", ""
	std::string_view help;
	int column = -1;    // main column, or -1: per device only
	int column_of = -1; // >= 0: the value is 100 * column / column_of (a percentage)
	std::optional<DeviceKind> kind;
	int slot = -1;    // device slot, or -1: server-wide only
	int slot_of = -1; // >= 0: 100 * slot / slot_of
};

std::span<const MetricInfo> metric_catalog();
const MetricInfo* find_metric(std::string_view name);

// The value of a metric in one report (alerts evaluate rules with this); device empty: the
// server-wide value. Empty if the report does not carry it.
std::optional<double> metric_value(const MetricInfo& m, const Report& r, std::string_view device = {});

// A count or byte value read back from a double (a main column, a device slot) as the integer a
// report holds. Only 0..2^53 can come from a decoded report (kMaxExactValue); anything else (NaN,
// an infinity, a negative or larger number: altered by hand, or stored by an older version) is
// left out rather than converted, since converting a double outside uint64's range is undefined.
inline std::optional<uint64_t> stored_count(std::optional<double> v) {
	if (!v || !(*v >= 0 && *v <= kMaxExactValue))
		return std::nullopt;
	return static_cast<uint64_t>(*v);
}

// 100 * a / b for the derived percentages; empty when b is not positive.
inline std::optional<double> percent_of(std::optional<double> a, std::optional<double> b) {
	if (!a || !b || *b <= 0)
		return std::nullopt;
	return 100.0 * *a / *b;
}

} // namespace serversan::store
