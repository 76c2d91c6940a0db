// The two small pages of a one-time login link. Opening the link (GET) only shows a button:
// Telegram's link-preview crawler and mail scanners open links before the person does, so the
// link is spent by the button's POST, never by a GET. Self-contained (no external resources),
// not indexed, and sent with Referrer-Policy: no-referrer so the token never leaks onwards.
// In English or Simplified Chinese: the link's user's Telegram language when the link is known,
// else the browser's Accept-Language, else English.
#pragma once

#include <string_view>

#include "serversan/server/ingest/routes.h"

namespace serversan::web {

enum class PageLang { en, zh };

// user_language: the link's user's Telegram language tag, empty when there is no such user;
// accept_language: the request's Accept-Language header. Tags starting "zh" are Chinese.
PageLang page_language(std::string_view user_language, std::string_view accept_language);

// "Open the dashboard": a form that POSTs to the same URL.
ingest::RouteResponse login_button_page(PageLang lang = PageLang::en);
// The link was spent, expired or never existed (status 410), or too many tries (429).
ingest::RouteResponse login_failed_page(int status = 410, PageLang lang = PageLang::en);

} // namespace serversan::web
