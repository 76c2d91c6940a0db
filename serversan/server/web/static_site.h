// StaticSite: the built front end (web/dist, from `npm run build` in web/) served from memory.
// Every file under the root is read once at start-up and, where it shrinks, gzip-compressed once;
// a request picks the compressed copy when its Accept-Encoding allows gzip. Caching: Vite's
// content-hashed files under /assets/ are immutable for a year; everything else (index.html
// first) is no-cache with an ETag, so a new build shows at the next load. A GET for a path with
// no file answers index.html (the front end routes on the client), except under /assets/ (a
// missing hashed file is a 404, not a page) and /api/ (a JSON 404, docs/api.md's error form).
// Paths are percent-decoded; one with a "." or ".." segment, a backslash or a NUL is refused (400):
// only files loaded at start can ever be sent. Every answer carries security_headers.h.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "serversan/core/result.h"
#include "serversan/server/ingest/routes.h"

namespace serversan::web {

class StaticSite {
public:
	struct File {
		std::string content_type;
		std::string body;
		std::string gzipped; // empty: sent as it is
		std::string etag;    // quoted
		bool immutable = false;
	};

	// The error names the directory (missing, no index.html, too large).
	static Result<std::shared_ptr<const StaticSite>> load(const std::filesystem::path& root);
	// No front end installed: every page is a short notice that says so (503).
	static std::shared_ptr<const StaticSite> missing();

	ingest::RouteResponse serve(const ingest::RouteRequest& request) const;

	size_t file_count() const { return files_.size(); }
	size_t total_bytes() const;
	// index.html or a script of the build loads telegram-web-app.js: the policy allows its origin.
	bool loads_telegram_script() const { return telegram_script_; }
	// The request headers serve() reads (for Routes::add).
	static std::vector<std::string> request_headers() { return {"Accept-Encoding", "If-None-Match"}; }

private:
	ingest::RouteResponse answer(const File& file, const ingest::RouteRequest& request) const;
	ingest::RouteResponse error(int status, std::string_view message, bool json) const;

	std::map<std::string, File, std::less<>> files_; // by URL path ("/index.html")
	bool telegram_script_ = false;
};

// The route: GET (and so HEAD) for every path the other routes leave (a prefix route on "/").
void add_static_site(ingest::Routes& routes, std::shared_ptr<const StaticSite> site);

// The Content-Type of a file name by its extension; application/octet-stream if unknown.
std::string_view content_type_for(std::string_view name);

} // namespace serversan::web
