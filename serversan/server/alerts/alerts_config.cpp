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
}

AlertsSettings alerts_settings_from(const Config& c) {
	AlertsSettings a;
	a.enabled = c.get_bool("alerts.enabled");
	a.tick_every = std::chrono::milliseconds(ms(c, "alerts.tick_every"));
	a.engine.rules_refresh_ms = ms(c, "alerts.rules_refresh");
	a.engine.offline_floor_ms = ms(c, "alerts.offline_floor");
	return a;
}

} // namespace serversan::alerts
