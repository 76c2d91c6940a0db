// The periodic disk-full check (hourly, a job on the jobs scheduler): for every owned server that
// reported in the last hour, each storage filesystem of its newest report (pseudo ones skipped,
// values.h) is fitted by forecast.h over the 5-minute tier of fs.used in the last 24 h. A
// prediction becomes ONE outbox notice (kind "alert", AlertMessage state forecast, kind "disk")
// through the DeliveryGate like every other notice (off, muted "disk", snoozes, quiet hours).
//
// Never twice for one prediction: the dedupe key holds the predicted UTC day, and a later
// prediction is queued only if it moved much closer than the last one notified (see
// moved_much_closer). A prediction the gate drops is not queued; the next hour asks again. A
// filesystem whose disk alert is firing gets no forecast: the chat already knows it is filling.
#pragma once

#include <cstdint>
#include <string_view>

#include "serversan/core/result.h"
#include "serversan/server/alerts/engine.h"
#include "serversan/server/alerts/forecast.h"
#include "serversan/server/store/store.h"

namespace serversan::alerts {

inline constexpr int64_t kForecastEveryMs = 3'600'000;

// [alerts] forecast_window and forecast_horizon (alerts_config.h).
struct ForecastOptions {
	int64_t window_ms = kForecastWindowMs;   // the history fitted
	int64_t horizon_ms = kForecastHorizonMs; // how far ahead a predicted full disk is told
};

struct ForecastStats {
	uint64_t filesystems = 0; // fitted
	uint64_t predicted = 0;   // predicted full within the horizon
	uint64_t notices = 0;     // queued
	uint64_t firing = 0;      // predicted, but the disk alert already fires: no notice
};

Result<ForecastStats> check_disk_forecasts(store::Store& store, const DeliveryGate& gate, int64_t now_ms,
                                           const ForecastOptions& options = {});

// One filesystem's forecast (forecast_full over its fs.used in the window before now_ms); nothing
// if it is not predicted full within the horizon. The digest's trends use it too.
std::optional<DiskForecast> forecast_mount(store::Store& store, uint64_t server_id, const std::string& mount,
                                           uint64_t total, int64_t now_ms,
                                           const ForecastOptions& options = {});

// A prediction (new_full_ms) deserves a notice after one already sent (old_full_ms, made at
// old_at_ms) only if it is earlier by at least a day and by half the warning the old one gave:
// 6 days ahead -> 3 days earlier; 2 days ahead -> 1 day earlier. Later dates never notify again.
bool moved_much_closer(int64_t old_full_ms, int64_t old_at_ms, int64_t new_full_ms);

std::string forecast_dedupe_key(uint64_t server_id, std::string_view mount, int64_t full_ms);

} // namespace serversan::alerts
