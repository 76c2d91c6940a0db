// The headers every answer of the web dashboard carries (pages, files and the JSON API): no MIME
// sniffing, no Referer (login links are secrets in a URL), and a Content-Security-Policy that
// lets the page load its own scripts, styles, images and fonts and talk to its own origin only,
// plus Telegram's Mini App script when the front end loads it, and lets Telegram's web client
// (https://web.telegram.org) frame the page so the Mini App opens there. docs/web.md "Serving".
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace serversan::web {

// Where Telegram serves telegram-web-app.js, the Mini App's script.
inline constexpr const char* kTelegramScriptOrigin = "https://telegram.org";
inline constexpr const char* kTelegramWebClient = "https://web.telegram.org";

std::string content_security_policy(bool telegram_script);

// Appended to `headers`.
void add_security_headers(std::vector<std::pair<std::string, std::string>>& headers, bool telegram_script);

} // namespace serversan::web
