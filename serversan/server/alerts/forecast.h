// Disk-full forecast: a least-squares line through one filesystem's used bytes over the last day,
// and when it reaches the filesystem's size. Pure: points in, a prediction (or nothing) out.
//
// Rules (docs/alerts.md, "Disk-full forecast"):
//  - a cleanup (used bytes falling by more than kCleanupDrop of the size, or 1 GiB on a disk of
//    unknown size, between two points) ends the history: only the points after the last one count;
//  - the fit needs at least kMinPoints points spanning kMinSpanMs (after the cleanup): fewer is
//    no forecast, not a guess;
//  - gaps cost nothing (time is the fit's x); a flat or shrinking disk (slope <= 0, or a fill so
//    slow the date is past the horizon) is no forecast;
//  - the date runs from the NEWEST point's used bytes at the fitted rate: the line says how fast,
//    the last report says where the disk is now.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace serversan::alerts {

inline constexpr int64_t kForecastWindowMs = 24 * 3'600'000LL;
inline constexpr int64_t kForecastHorizonMs = 7 * 86'400'000LL;
inline constexpr int64_t kMinSpanMs = 6 * 3'600'000LL;
inline constexpr size_t kMinPoints = 12;
inline constexpr double kCleanupDrop = 0.01; // of the size

struct UsedPoint {
	int64_t ts_ms = 0;
	double used = 0; // bytes
};

struct DiskForecast {
	int64_t full_ms = 0;   // when the line reaches the size
	double fill_per_s = 0; // bytes per second, > 0
	double used = 0;       // the newest point's bytes
	double left = 0;       // size - used at the newest point
	int64_t from_ms = 0;   // the first point fitted (after a cleanup: the first after it)
	size_t points = 0;     // points fitted
};

// points oldest first (unsorted input is sorted); total: the filesystem's size in bytes.
// Nothing if the disk is not predicted full within horizon_ms of the newest point.
std::optional<DiskForecast> forecast_full(std::vector<UsedPoint> points, double total,
                                          int64_t horizon_ms = kForecastHorizonMs);

} // namespace serversan::alerts
