// The alerts' settings: every key under "alerts." with its default and range, and the engine's
// options from them. main.cpp calls add_alerts_config() while building its schema and
// alerts_settings_from() after loading. The engine runs inside the ingest role (it reads what the
// writer commits); docs/alerts.md ("Running it") lists the keys.
#pragma once

#include <chrono>

#include "serversan/core/config.h"
#include "serversan/server/alerts/engine.h"
#include "serversan/server/alerts/forecast_check.h"

namespace serversan::alerts {

struct AlertsSettings {
	bool enabled = true;
	std::chrono::milliseconds tick_every{15'000}; // offline sweep, reminders, rule reload
	EngineOptions engine;
	bool forecast = true; // the hourly disk-full forecast (forecast_check.h)
	ForecastOptions forecast_options;
};

void add_alerts_config(ConfigSchema& schema);
AlertsSettings alerts_settings_from(const Config& config);

} // namespace serversan::alerts
