#include "serversan/server/alerts/alerts_config.h"

namespace serversan::alerts {

namespace {

int64_t ms(const Config& c, std::string_view key) {
	return static_cast<int64_t>(c.get_duration_s(key) * 1000.0);
}

} // namespace

void add_alerts_config(ConfigSchema& s) {
	s.add_bool("alerts.enabled", true, "Evaluate alert rules on ingest (runs with the ingest role)")
	    .flag("--alerts");
	s.add_duration("alerts.tick_every", 15, "How often the offline sweep and reminders run", 1, 300)
	    .flag("--alerts-tick");
	s.add_duration("alerts.rules_refresh", 30, "How often rules written by another process are reloaded", 1,
	               3600);
	s.add_duration("alerts.offline_floor", 180,
	               "Shortest silence that counts as offline, whatever the rule (lower it only for tests)", 1,
	               3600);
	s.add_bool("alerts.forecast", true, "Warn when a disk is predicted full (checked hourly)")
	    .flag("--alerts-forecast");
	s.add_duration("alerts.forecast_horizon", kForecastHorizonMs / 1000,
	               "Warn when a disk is predicted full within this time", 86'400, 90 * 86'400)
	    .flag("--forecast-horizon");
	// At least the fit's minimum span; the 5-minute tier is kept longer than a week.
	s.add_duration("alerts.forecast_window", kForecastWindowMs / 1000,
	               "The history of used bytes the forecast fits a line through", kMinSpanMs / 1000,
	               7 * 86'400)
	    .flag("--forecast-window");
}

AlertsSettings alerts_settings_from(const Config& c) {
	AlertsSettings a;
	a.enabled = c.get_bool("alerts.enabled");
	a.tick_every = std::chrono::milliseconds(ms(c, "alerts.tick_every"));
	a.engine.rules_refresh_ms = ms(c, "alerts.rules_refresh");
	a.engine.offline_floor_ms = ms(c, "alerts.offline_floor");
	a.forecast = c.get_bool("alerts.forecast");
	a.forecast_options.horizon_ms = ms(c, "alerts.forecast_horizon");
	a.forecast_options.window_ms = ms(c, "alerts.forecast_window");
	return a;
}

} // namespace serversan::alerts
