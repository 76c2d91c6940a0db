#include "serversan/server/web/security_headers.h"

#include <fmt/format.h>

namespace serversan::web {

std::string content_security_policy(bool telegram_script) {
	// data: for images and fonts: Vite inlines assets under 4 kB as data: URLs. No inline script
	// or style: the built front end has none.
	return fmt::format("default-src 'self'; script-src 'self'{}; style-src 'self'; img-src 'self' data:; "
	                   "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
	                   "form-action 'self'; frame-ancestors 'self' {}",
	                   telegram_script ? std::string(" ") + kTelegramScriptOrigin : "", kTelegramWebClient);
}

void add_security_headers(std::vector<std::pair<std::string, std::string>>& headers, bool telegram_script) {
	headers.emplace_back("X-Content-Type-Options", "nosniff");
	headers.emplace_back("Referrer-Policy", "no-referrer");
	headers.emplace_back("Content-Security-Policy", content_security_policy(telegram_script));
}

} // namespace serversan::web
