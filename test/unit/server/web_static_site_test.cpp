// The front end's files served from memory: content types, gzip when the client takes it,
// caching (immutable hashed assets, no-cache index with an ETag and 304), client-side routes
// answered with index.html, JSON 404s under /api/, security headers on every answer, traversal
// refused; load errors; and the whole through the real listener (HEAD, a report beside it).
#include <fstream>

#include <gtest/gtest.h>

#include "serversan/server/ingest/gunzip.h"
#include "serversan/server/web/security_headers.h"
#include "serversan/server/web/static_site.h"
#include "test/unit/server/http_test_fixture.h"

using namespace serversan;
using namespace serversan::testing;
using namespace serversan::web;
using ingest::RouteRequest;
using ingest::RouteResponse;

namespace {

const std::string kIndex = "<!doctype html><html><head><script type=\"module\" src=\"/assets/index-Bx1.js\">"
                           "</script></head><body><div id=\"app\"></div></body></html>\n";
const std::string kScript = [] {
	std::string s;
	for (int i = 0; i < 200; ++i)
		s += "export const value" + std::to_string(i) + " = " + std::to_string(i) + ";\n";
	return s;
}();

void write(const std::filesystem::path& p, std::string_view text) {
	std::filesystem::create_directories(p.parent_path());
	std::ofstream(p, std::ios::binary) << text;
}

// A built front end like Vite's: index.html, hashed assets, a favicon, a dot file.
void make_site(const std::filesystem::path& root, const std::string& index = kIndex) {
	write(root / "index.html", index);
	write(root / "assets" / "index-Bx1.js", kScript);
	write(root / "assets" / "index-C2d.css", "body{margin:0}");
	write(root / "favicon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
	write(root / "logo.png", std::string("\x89PNG\r\n\x1a\n", 8));
	write(root / ".env", "SECRET=1");
	write(root / ".vite" / "manifest.json", "{}");
}

struct Get {
	std::string path, accept_encoding, if_none_match;
};

RouteResponse get(const StaticSite& site, const Get& g) {
	std::vector<std::pair<std::string, std::string>> headers;
	if (!g.accept_encoding.empty())
		headers.emplace_back("Accept-Encoding", g.accept_encoding);
	if (!g.if_none_match.empty())
		headers.emplace_back("If-None-Match", g.if_none_match);
	RouteRequest r;
	r.method = "GET";
	r.path = g.path;
	r.headers = &headers;
	return site.serve(r);
}

std::string header(const RouteResponse& r, std::string_view name) {
	for (const auto& [n, v] : r.headers)
		if (n == name)
			return v;
	return "";
}

class StaticSiteTest : public ::testing::Test {
protected:
	void SetUp() override {
		make_site(dir.path() / "dist");
		auto s = StaticSite::load(dir.path() / "dist");
		ASSERT_TRUE(s.ok()) << s.error().message;
		site = *s;
	}
	TempDir dir;
	std::shared_ptr<const StaticSite> site;
};

} // namespace

TEST_F(StaticSiteTest, FilesWithTheirTypesAndDotFilesLeftOut) {
	EXPECT_EQ(site->file_count(), 5u);
	RouteResponse r = get(*site, {"/"});
	EXPECT_EQ(r.status, 200);
	EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
	EXPECT_EQ(r.body, kIndex);
	EXPECT_EQ(get(*site, {"/index.html"}).body, kIndex);
	EXPECT_EQ(get(*site, {"/assets/index-Bx1.js"}).content_type, "text/javascript; charset=utf-8");
	EXPECT_EQ(get(*site, {"/assets/index-C2d.css"}).content_type, "text/css; charset=utf-8");
	EXPECT_EQ(get(*site, {"/favicon.svg"}).content_type, "image/svg+xml");
	EXPECT_EQ(get(*site, {"/logo.png"}).content_type, "image/png");
	EXPECT_EQ(content_type_for("a.woff2"), "font/woff2");
	EXPECT_EQ(content_type_for("noext"), "application/octet-stream");
	// Dot files are not served: the path falls back to the page, never the file.
	EXPECT_EQ(get(*site, {"/.env"}).body, kIndex);
	EXPECT_EQ(get(*site, {"/.vite/manifest.json"}).body, kIndex);
}

TEST_F(StaticSiteTest, GzipOnlyWhenTheClientTakesIt) {
	RouteResponse plain = get(*site, {"/assets/index-Bx1.js"});
	EXPECT_EQ(plain.body, kScript);
	EXPECT_EQ(header(plain, "Content-Encoding"), "");
	EXPECT_EQ(header(plain, "Vary"), "Accept-Encoding");
	for (std::string ae : {"gzip", "gzip, deflate, br", "br;q=1.0, GZIP;q=0.5", "*"}) {
		RouteResponse gz = get(*site, {"/assets/index-Bx1.js", ae});
		EXPECT_EQ(header(gz, "Content-Encoding"), "gzip") << ae;
		EXPECT_LT(gz.body.size(), kScript.size() / 3) << ae;
		auto back = ingest::gunzip(gz.body, 1 << 20);
		ASSERT_TRUE(back.ok());
		EXPECT_EQ(*back, kScript);
	}
	for (std::string ae : {"br", "gzip;q=0", "deflate, gzip;q=0.0"})
		EXPECT_EQ(header(get(*site, {"/assets/index-Bx1.js", ae}), "Content-Encoding"), "") << ae;
	// Too small or not compressible: sent as it is, no Vary.
	RouteResponse css = get(*site, {"/assets/index-C2d.css", "gzip"});
	EXPECT_EQ(css.body, "body{margin:0}");
	EXPECT_EQ(header(css, "Vary"), "");
	EXPECT_EQ(header(get(*site, {"/logo.png", "gzip"}), "Content-Encoding"), "");
}

TEST_F(StaticSiteTest, HashedAssetsAreImmutableTheRestRevalidates) {
	EXPECT_EQ(header(get(*site, {"/assets/index-Bx1.js"}), "Cache-Control"),
	          "public, max-age=31536000, immutable");
	RouteResponse index = get(*site, {"/"});
	EXPECT_EQ(header(index, "Cache-Control"), "no-cache");
	EXPECT_EQ(header(get(*site, {"/favicon.svg"}), "Cache-Control"), "no-cache");
	std::string etag = header(index, "ETag");
	ASSERT_FALSE(etag.empty());
	RouteResponse again = get(*site, {"/", "gzip", etag});
	EXPECT_EQ(again.status, 304);
	EXPECT_EQ(again.body, "");
	EXPECT_EQ(get(*site, {"/", "", "\"other\""}).status, 200);
}

TEST_F(StaticSiteTest, ClientRoutesGetThePageApiAndAssetsGet404) {
	for (std::string p : {"/servers/12", "/settings/tokens", "/login-done"}) {
		RouteResponse r = get(*site, {p});
		EXPECT_EQ(r.status, 200) << p;
		EXPECT_EQ(r.body, kIndex) << p;
		EXPECT_EQ(header(r, "Cache-Control"), "no-cache") << p;
	}
	RouteResponse api = get(*site, {"/api/v1/nothing"});
	EXPECT_EQ(api.status, 404);
	EXPECT_EQ(api.content_type, "application/json");
	EXPECT_EQ(api.body, R"({"error":{"status":404,"code":"not_found","message":"no such endpoint"}})");
	RouteResponse asset = get(*site, {"/assets/index-OLD.js"});
	EXPECT_EQ(asset.status, 404);
	EXPECT_NE(asset.content_type, "text/javascript; charset=utf-8");
}

TEST_F(StaticSiteTest, TraversalIsRefused) {
	write(dir.path() / "secret.txt", "secret");
	for (std::string p : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
	                      "/%2E%2E%2Fsecret.txt", "/a/./b", "/..", "/x%00y", "/a\\..\\b", "/%zz", "/%2"}) {
		RouteResponse r = get(*site, {p});
		EXPECT_EQ(r.status, 400) << p;
		EXPECT_EQ(r.body.find("secret"), std::string::npos) << p;
	}
	// Percent-encoded names of real files are found.
	EXPECT_EQ(get(*site, {"/favicon%2Esvg"}).content_type, "image/svg+xml");
}

TEST_F(StaticSiteTest, SecurityHeadersOnEveryAnswer) {
	for (std::string p : {"/", "/assets/index-Bx1.js", "/api/v1/x", "/../x", "/servers/1"}) {
		RouteResponse r = get(*site, {p});
		EXPECT_EQ(header(r, "X-Content-Type-Options"), "nosniff") << p;
		EXPECT_EQ(header(r, "Referrer-Policy"), "no-referrer") << p;
		std::string csp = header(r, "Content-Security-Policy");
		EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << p;
		EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << csp;
		EXPECT_NE(csp.find("frame-ancestors 'self' https://web.telegram.org"), std::string::npos) << csp;
		EXPECT_EQ(csp.find("telegram.org;"), std::string::npos) << csp;
	}
	// A front end that loads Telegram's Mini App script gets its origin for scripts, nothing more.
	make_site(
	    dir.path() / "tg",
	    "<html><head><script src=\"https://telegram.org/js/telegram-web-app.js\"></script></head></html>");
	auto tg = StaticSite::load(dir.path() / "tg");
	ASSERT_TRUE(tg.ok());
	EXPECT_TRUE((*tg)->loads_telegram_script());
	EXPECT_NE(
	    header(get(**tg, {"/"}), "Content-Security-Policy").find("script-src 'self' https://telegram.org;"),
	    std::string::npos);
	// The dashboard's bundle adds the script itself (only inside Telegram): the same policy.
	make_site(dir.path() / "tg-js");
	write(dir.path() / "tg-js" / "assets" / "index-Bx1.js",
	      "s.src='https://telegram.org/js/telegram-web-app.js';document.head.appendChild(s)");
	auto bundle = StaticSite::load(dir.path() / "tg-js");
	ASSERT_TRUE(bundle.ok());
	EXPECT_TRUE((*bundle)->loads_telegram_script());
}

TEST_F(StaticSiteTest, LoadErrorsNameTheDirectoryAndMissingSiteSaysSo) {
	auto none = StaticSite::load(dir.path() / "nope");
	ASSERT_FALSE(none.ok());
	EXPECT_NE(none.error().message.find("nope"), std::string::npos);
	EXPECT_NE(none.error().message.find("npm run build"), std::string::npos);
	auto missing = StaticSite::missing();
	RouteResponse r = get(*missing, {"/"});
	EXPECT_EQ(r.status, 503);
	EXPECT_NE(r.body.find("not installed"), std::string::npos);
	EXPECT_EQ(get(*missing, {"/api/v1/servers"}).status, 404);
}

// Through the real listener: the site beside the reports, on one port.
class StaticSiteHttp : public HttpTest {};

TEST_F(StaticSiteHttp, ServedOnTheIngestPortBesideTheReports) {
	make_site(dir.path() / "dist");
	auto site = StaticSite::load(dir.path() / "dist");
	ASSERT_TRUE(site.ok());
	auto routes = std::make_shared<ingest::Routes>();
	add_static_site(*routes, *site);
	ingest::Options o = options();
	o.http.routes = routes;
	start(o);
	Conn c(port);
	HttpAnswer a = c.roundtrip(get_text("/assets/index-Bx1.js", "Accept-Encoding: gzip\r\n"));
	EXPECT_EQ(a.status, 200);
	EXPECT_EQ(a.headers["content-encoding"], "gzip");
	EXPECT_EQ(a.headers["cache-control"], "public, max-age=31536000, immutable");
	EXPECT_EQ(a.headers["x-content-type-options"], "nosniff");
	EXPECT_EQ(ingest::gunzip(a.body, 1 << 20).value(), kScript);
	a = c.roundtrip(get_text("/servers/3"));
	EXPECT_EQ(a.body, kIndex);
	a = c.roundtrip(get_text("/", "If-None-Match: " + a.headers["etag"] + "\r\n"));
	EXPECT_EQ(a.status, 304);
	EXPECT_EQ(c.roundtrip(request_text(valid(1))).status, 200);
	EXPECT_EQ(stored(), 1u);
	ASSERT_TRUE(c.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"));
	std::string head = c.read_some(std::chrono::milliseconds(2000));
	EXPECT_NE(head.find(fmt::format("Content-Length: {}\r\n", kIndex.size())), std::string::npos) << head;
	EXPECT_TRUE(head.ends_with("\r\n\r\n")) << head;
}
