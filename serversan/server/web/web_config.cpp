#include "serversan/server/web/web_config.h"

#include <system_error>

namespace serversan::web {

void add_web_config(ConfigSchema& s) {
	s.add_bool("web.enabled", true, "Serve the web dashboard and its API on the ingest's port").flag("--web");
	s.add_string("web.root", "",
	             "Directory of the built front end (empty: <exe dir>/../share/serversan/web or the "
	             "source tree's web/dist)")
	    .flag("--web-root");
	s.add_duration("web.session_ttl", 30 * 24 * 3600.0, "How long a dashboard login lasts", 300,
	               365 * 24 * 3600.0)
	    .flag("--web-session-ttl");
	s.add_duration("web.login_link_ttl", 300, "How long a one-time login link stays valid", 30, 24 * 3600.0)
	    .flag("--web-login-link-ttl");
	s.add_int("web.api_rate", 600, "API requests per minute per address and per user (0: no limit)", 0,
	          1'000'000)
	    .flag("--web-api-rate");
}

std::vector<std::filesystem::path> default_web_roots() {
	std::vector<std::filesystem::path> roots;
	std::error_code ec;
	auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
	if (!ec)
		roots.push_back((exe.parent_path() / ".." / "share" / "serversan" / "web").lexically_normal());
#ifdef SERVERSAN_SOURCE_DIR
	roots.push_back(std::filesystem::path(SERVERSAN_SOURCE_DIR) / "web" / "dist");
#endif
	return roots;
}

WebSettings web_settings_from(const Config& c) {
	WebSettings w;
	w.enabled = c.get_bool("web.enabled");
	w.root = c.get_string("web.root");
	w.root_configured = !w.root.empty();
	if (!w.root_configured) {
		auto roots = default_web_roots();
		std::error_code ec;
		for (const auto& r : roots)
			if (std::filesystem::is_regular_file(r / "index.html", ec)) {
				w.root = r;
				break;
			}
		if (w.root.empty() && !roots.empty())
			w.root = roots.front();
	}
	w.session_ttl = std::chrono::seconds(static_cast<int64_t>(c.get_duration_s("web.session_ttl")));
	w.login_link_ttl = std::chrono::seconds(static_cast<int64_t>(c.get_duration_s("web.login_link_ttl")));
	w.api_rate_per_minute = static_cast<int>(c.get_int("web.api_rate"));
	return w;
}

} // namespace serversan::web
