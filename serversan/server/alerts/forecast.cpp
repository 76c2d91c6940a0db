#include "serversan/server/alerts/forecast.h"

#include <algorithm>
#include <cmath>

namespace serversan::alerts {

namespace {

constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

// Index of the first point after the last cleanup (0: none).
size_t after_last_cleanup(const std::vector<UsedPoint>& p, double total) {
	double drop = total > 0 ? total * kCleanupDrop : kGiB;
	size_t start = 0;
	for (size_t i = 1; i < p.size(); ++i)
		if (p[i - 1].used - p[i].used > drop)
			start = i;
	return start;
}

} // namespace

std::optional<DiskForecast> forecast_full(std::vector<UsedPoint> points, double total, int64_t horizon_ms) {
	if (total <= 0 || points.empty())
		return std::nullopt;
	std::sort(points.begin(), points.end(),
	          [](const UsedPoint& a, const UsedPoint& b) { return a.ts_ms < b.ts_ms; });
	size_t start = after_last_cleanup(points, total);
	size_t n = points.size() - start;
	const UsedPoint& first = points[start];
	const UsedPoint& last = points.back();
	if (n < kMinPoints || last.ts_ms - first.ts_ms < kMinSpanMs)
		return std::nullopt;

	// Centred sums (seconds from the first point) keep the products small and the fit exact enough.
	double mx = 0, my = 0;
	for (size_t i = start; i < points.size(); ++i) {
		mx += static_cast<double>(points[i].ts_ms - first.ts_ms) / 1000.0;
		my += points[i].used;
	}
	mx /= static_cast<double>(n);
	my /= static_cast<double>(n);
	double sxy = 0, sxx = 0;
	for (size_t i = start; i < points.size(); ++i) {
		double dx = static_cast<double>(points[i].ts_ms - first.ts_ms) / 1000.0 - mx;
		sxy += dx * (points[i].used - my);
		sxx += dx * dx;
	}
	if (sxx <= 0)
		return std::nullopt;
	double slope = sxy / sxx;
	if (!(slope > 0) || !std::isfinite(slope))
		return std::nullopt;
	double left = std::max(0.0, total - last.used);
	double secs = left / slope;
	if (secs * 1000.0 > static_cast<double>(horizon_ms))
		return std::nullopt;
	DiskForecast f;
	f.full_ms = last.ts_ms + std::llround(secs * 1000.0);
	f.fill_per_s = slope;
	f.used = last.used;
	f.left = left;
	f.from_ms = first.ts_ms;
	f.points = n;
	return f;
}

} // namespace serversan::alerts
