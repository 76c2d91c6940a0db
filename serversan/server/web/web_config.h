// The web dashboard's settings: every key under "web." with its default and range. main.cpp
// calls add_web_config() while building its schema and web_settings_from() after loading. The
// dashboard is served by the ingest role's listener, on its port (docs/web.md, "Serving").
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "serversan/core/config.h"

namespace serversan::web {

struct WebSettings {
	bool enabled = true;
	// The built front end; from web.root, or the first of default_web_roots() holding an
	// index.html (root_configured false), or the first of them if none does.
	std::filesystem::path root;
	bool root_configured = false;
	std::chrono::seconds session_ttl{30 * 24 * 3600};
	std::chrono::seconds login_link_ttl{300};
	int api_rate_per_minute = 600; // per address and per user; 0: no limit
};

void add_web_config(ConfigSchema& schema);
WebSettings web_settings_from(const Config& config);

// Where a front end is looked for when web.root is empty: <exe dir>/../share/serversan/web (an
// installed server), then the source tree's web/dist (a build run from its tree).
std::vector<std::filesystem::path> default_web_roots();

} // namespace serversan::web
