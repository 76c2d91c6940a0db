// `serversan-server web login-link`: the console's way into the dashboard, so a fresh install
// opens in a browser before any Telegram bot exists (./run.sh prints one at its end).
#include <ostream>

#include <fmt/format.h>

#include "serversan/server/admin/admin.h"
#include "serversan/server/store/web_login.h"

namespace serversan::admin {

namespace {

// "5 minutes", "90 seconds", "2 hours": the lifetime in its largest whole unit.
std::string lifetime(int64_t ttl_ms) {
	int64_t s = ttl_ms / 1000;
	auto plural = [](int64_t n, std::string_view unit) {
		return fmt::format("{} {}{}", n, unit, n == 1 ? "" : "s");
	};
	if (s % 3600 == 0)
		return plural(s / 3600, "hour");
	if (s % 60 == 0)
		return plural(s / 60, "minute");
	return plural(s, "second");
}

} // namespace

int web_login_link(store::Store& store, const Clock& clock, const std::string& public_url,
                   std::optional<int64_t> user, bool url_only, std::ostream& out, std::ostream& err,
                   int64_t ttl_ms) {
	int64_t who = user.value_or(store::kConsoleUser);
	std::string label = "the console operator (admin)";
	if (user) {
		auto u = store.find_user(*user);
		if (!u.ok()) {
			err << "serversan-server: " << u.error().message << "\n";
			return 1;
		}
		if (!*u) {
			err << fmt::format(
			    "serversan-server: no user with id {} (they register by sending /start to the bot)\n", *user);
			return 1;
		}
		label = fmt::format("user {}", *user);
	}
	auto token = store::issue_login_link(store, who, clock.unix_millis(), ttl_ms);
	if (!token.ok()) {
		err << "serversan-server: " << token.error().message << "\n";
		return 1;
	}
	std::string url = store::login_url(public_url, *token);
	if (url_only)
		out << url << "\n";
	else
		out << fmt::format("Dashboard login for {}: works once, within {}:\n  {}\n", label, lifetime(ttl_ms),
		                   url);
	return 0;
}

} // namespace serversan::admin
