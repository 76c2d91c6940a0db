#include "serversan/server/web/login_page.h"

#include <fmt/format.h>

namespace serversan::web {

namespace {

constexpr const char* kStyle =
    "body{font:16px/1.5 system-ui,sans-serif;margin:0;display:flex;min-height:100vh;align-items:center;"
    "justify-content:center;background:#f6f7f9;color:#1d2330}"
    "main{max-width:22rem;padding:2rem;text-align:center}"
    "h1{font-size:1.3rem;margin:0 0 .5rem}p{color:#55607a;margin:.5rem 0 1.5rem}"
    "button{font:inherit;font-weight:600;padding:.8rem 1.6rem;border:0;border-radius:.6rem;"
    "background:#2f6fed;color:#fff;cursor:pointer;width:100%}button:focus-visible{outline:3px solid #9bb9f7}"
    "code{background:#e8ebf1;padding:.1rem .3rem;border-radius:.3rem}"
    "@media(prefers-color-scheme:dark){body{background:#14171d;color:#e6e9ef}p{color:#a3abbd}"
    "code{background:#262b35}}";

ingest::RouteResponse page(int status, std::string_view title, std::string_view main_html) {
	ingest::RouteResponse r;
	r.status = status;
	r.content_type = "text/html; charset=utf-8";
	r.body = fmt::format(
	    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
	    "<meta name=\"robots\" content=\"noindex,nofollow\"><meta name=\"referrer\" content=\"no-referrer\">"
	    "<title>{} · ServerSan</title><style>{}</style></head><body><main>{}</main></body></html>\n",
	    title, kStyle, main_html);
	r.headers = {
	    {"Cache-Control", "no-store"},
	    {"Referrer-Policy", "no-referrer"},
	    {"X-Robots-Tag", "noindex, nofollow"},
	    {"X-Content-Type-Options", "nosniff"},
	    {"X-Frame-Options", "DENY"},
	    {"Content-Security-Policy",
	     "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"},
	};
	return r;
}

} // namespace

ingest::RouteResponse login_button_page() {
	return page(
	    200, "Log in",
	    "<h1>ServerSan</h1><p>This link logs you in to the dashboard once.</p>"
	    "<form method=\"post\" action=\"\"><button type=\"submit\">Open the dashboard</button></form>");
}

ingest::RouteResponse login_failed_page(int status) {
	if (status == 429)
		return page(429, "Too many tries",
		            "<h1>Too many tries</h1><p>Wait a minute, then open the link again.</p>");
	return page(status, "Link used or expired",
	            "<h1>This link no longer works</h1>"
	            "<p>A login link works once, within 5 minutes. Send <code>/web</code> to the bot for a new "
	            "one, or run <code>serversan-server web login-link</code> on the server.</p>");
}

} // namespace serversan::web
