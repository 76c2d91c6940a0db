// The two small pages of a one-time login link. Opening the link (GET) only shows a button:
// Telegram's link-preview crawler and mail scanners open links before the person does, so the
// link is spent by the button's POST, never by a GET. Self-contained (no external resources),
// not indexed, and sent with Referrer-Policy: no-referrer so the token never leaks onwards.
#pragma once

#include "serversan/server/ingest/routes.h"

namespace serversan::web {

// "Open the dashboard": a form that POSTs to the same URL.
ingest::RouteResponse login_button_page();
// The link was spent, expired or never existed (status 410), or too many tries (429).
ingest::RouteResponse login_failed_page(int status = 410);

} // namespace serversan::web
