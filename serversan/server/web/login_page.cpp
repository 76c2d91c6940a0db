#include "serversan/server/web/login_page.h"

#include <cstdlib>
#include <string>

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

// The words of the pages, one column per language.
struct Texts {
	const char* html_lang;
	const char* login_title;
	const char* login_intro;
	const char* login_button;
	const char* busy_title;
	const char* busy_text;
	const char* failed_title;
	const char* failed_heading;
	const char* failed_text; // {0}: /web, {1}: the CLI command, as <code>
};

constexpr Texts kEn{
    "en",
    "Log in",
    "This link logs you in to the dashboard once.",
    "Open the dashboard",
    "Too many tries",
    "Wait a minute, then open the link again.",
    "Link used or expired",
    "This link no longer works",
    "A login link works once, and only for a short time. Send {0} to the bot for a new one, or run {1} "
    "on the server.",
};

constexpr Texts kZh{
    "zh-CN",
    "登录",
    "此链接可让你登录仪表盘一次。",
    "打开仪表盘",
    "尝试次数过多",
    "请等一分钟后再打开链接。",
    "链接已使用或已过期",
    "此链接已失效",
    "登录链接只能使用一次，且很快过期。请向机器人发送 {0} 获取新链接，或在服务器上运行 {1}。",
};

const Texts& texts(PageLang lang) {
	return lang == PageLang::zh ? kZh : kEn;
}

bool chinese(std::string_view tag) {
	return tag.size() >= 2 && (tag[0] == 'z' || tag[0] == 'Z') && (tag[1] == 'h' || tag[1] == 'H');
}

std::string_view trim(std::string_view s) {
	while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
		s.remove_prefix(1);
	while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
		s.remove_suffix(1);
	return s;
}

// The tag the browser likes best: the highest q (1 when not given), the first of equals.
std::string_view preferred(std::string_view accept_language) {
	std::string_view best;
	double best_q = 0;
	while (!accept_language.empty()) {
		size_t comma = accept_language.find(',');
		std::string_view item = accept_language.substr(0, comma);
		accept_language = comma == std::string_view::npos ? "" : accept_language.substr(comma + 1);
		size_t semi = item.find(';');
		std::string_view tag = trim(item.substr(0, semi));
		double q = 1;
		if (semi != std::string_view::npos) {
			std::string_view param = trim(item.substr(semi + 1));
			if (param.starts_with("q="))
				q = std::atof(std::string(param.substr(2)).c_str());
		}
		if (!tag.empty() && tag != "*" && q > best_q) {
			best = tag;
			best_q = q;
		}
	}
	return best;
}

ingest::RouteResponse page(int status, PageLang lang, std::string_view title, std::string_view main_html) {
	ingest::RouteResponse r;
	r.status = status;
	r.content_type = "text/html; charset=utf-8";
	r.body = fmt::format(
	    "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
	    "<meta name=\"robots\" content=\"noindex,nofollow\"><meta name=\"referrer\" content=\"no-referrer\">"
	    "<title>{} · ServerSan</title><style>{}</style></head><body><main>{}</main></body></html>\n",
	    texts(lang).html_lang, title, kStyle, main_html);
	r.headers = {
	    {"Cache-Control", "no-store"},
	    {"Referrer-Policy", "no-referrer"},
	    {"X-Robots-Tag", "noindex, nofollow"},
	    {"X-Content-Type-Options", "nosniff"},
	    {"X-Frame-Options", "DENY"},
	    {"Content-Security-Policy",
	     "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"},
	    // The words depend on the browser's language when the link's user is not known.
	    {"Vary", "Accept-Language"},
	};
	return r;
}

} // namespace

PageLang page_language(std::string_view user_language, std::string_view accept_language) {
	if (!user_language.empty())
		return chinese(user_language) ? PageLang::zh : PageLang::en;
	return chinese(preferred(accept_language)) ? PageLang::zh : PageLang::en;
}

ingest::RouteResponse login_button_page(PageLang lang) {
	const Texts& t = texts(lang);
	return page(200, lang, t.login_title,
	            fmt::format("<h1>ServerSan</h1><p>{}</p>"
	                        "<form method=\"post\" action=\"\"><button type=\"submit\">{}</button></form>",
	                        t.login_intro, t.login_button));
}

ingest::RouteResponse login_failed_page(int status, PageLang lang) {
	const Texts& t = texts(lang);
	if (status == 429)
		return page(429, lang, t.busy_title, fmt::format("<h1>{}</h1><p>{}</p>", t.busy_title, t.busy_text));
	return page(status, lang, t.failed_title,
	            fmt::format("<h1>{}</h1><p>{}</p>", t.failed_heading,
	                        fmt::format(fmt::runtime(t.failed_text), "<code>/web</code>",
	                                    "<code>serversan-server web login-link</code>")));
}

} // namespace serversan::web
