#include "serversan/server/web/static_site.h"

#include <array>
#include <fstream>
#include <optional>
#include <sstream>

#include <fmt/format.h>

#include "serversan/core/encoding.h"
#include "serversan/server/web/gzip_compress.h"
#include "serversan/server/web/security_headers.h"

namespace serversan::web {

namespace {

// A front end is a few hundred kB; this much means web.root points somewhere else.
constexpr size_t kMaxSiteBytes = 64 << 20;

constexpr std::array<std::pair<std::string_view, std::string_view>, 18> kTypes{{
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".webmanifest", "application/manifest+json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".txt", "text/plain; charset=utf-8"},
    {".wasm", "application/wasm"},
}};

bool compressible(std::string_view type) {
	return type.starts_with("text/") || type.starts_with("application/json") ||
	       type.starts_with("application/manifest") || type == "image/svg+xml" || type == "image/x-icon" ||
	       type == "application/wasm";
}

std::string etag_of(std::string_view body) {
	uint64_t h = 1469598103934665603ull; // FNV-1a: a change detector, not a secret
	for (unsigned char c : body)
		h = (h ^ c) * 1099511628211ull;
	return fmt::format("\"{:016x}-{:x}\"", h, body.size());
}

// The decoded path, or nullopt if it is malformed or could name something outside the root.
std::optional<std::string> safe_path(std::string_view raw) {
	std::string path;
	for (size_t i = 0; i < raw.size(); ++i) {
		if (raw[i] != '%') {
			path.push_back(raw[i]);
			continue;
		}
		int hi = i + 2 < raw.size() ? hex_digit_value(raw[i + 1]) : -1;
		int lo = hi >= 0 ? hex_digit_value(raw[i + 2]) : -1;
		if (lo < 0)
			return std::nullopt;
		path.push_back(static_cast<char>(hi * 16 + lo));
		i += 2;
	}
	if (!path.starts_with('/') || path.find_first_of(std::string_view("\\\0", 2)) != std::string::npos)
		return std::nullopt;
	size_t start = 1;
	while (start <= path.size()) {
		size_t end = std::min(path.find('/', start), path.size());
		std::string_view seg = std::string_view(path).substr(start, end - start);
		if (seg == "." || seg == "..")
			return std::nullopt;
		start = end + 1;
	}
	return path;
}

// Accept-Encoding allows gzip: listed (or "*") without q=0.
bool accepts_gzip(std::string_view header) {
	while (!header.empty()) {
		size_t comma = header.find(',');
		std::string_view item = header.substr(0, comma);
		header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
		size_t semi = item.find(';');
		std::string_view name = trim_blanks(item.substr(0, semi)),
		                 params = semi == std::string_view::npos ? "" : item.substr(semi);
		if (!ingest::iequals_ascii(name, "gzip") && name != "*")
			continue;
		size_t q = params.find("q=");
		if (q == std::string_view::npos)
			return true;
		// "q=0", "q=0.0", "q=0.000": refused; any other weight allows it.
		std::string_view v = params.substr(q + 2);
		v = v.substr(0, v.find_first_of(" ;"));
		return v.find_first_not_of("0.") != std::string_view::npos;
	}
	return false;
}

Result<std::string> read_file(const std::filesystem::path& p) {
	std::ifstream in(p, std::ios::binary);
	if (!in)
		return Err(fmt::format("cannot read {}", p.string()));
	std::ostringstream s;
	s << in.rdbuf();
	return s.str();
}

} // namespace

std::string_view content_type_for(std::string_view name) {
	size_t dot = name.rfind('.');
	if (dot != std::string_view::npos && name.find('/', dot) == std::string_view::npos)
		for (const auto& [ext, type] : kTypes)
			if (ingest::iequals_ascii(name.substr(dot), ext))
				return type;
	return "application/octet-stream";
}

Result<std::shared_ptr<const StaticSite>> StaticSite::load(const std::filesystem::path& root) {
	namespace fs = std::filesystem;
	std::error_code ec;
	if (!fs::is_regular_file(root / "index.html", ec))
		return Err(
		    fmt::format("no index.html in {} (build the front end: npm run build in web/)", root.string()));
	auto site = std::make_shared<StaticSite>();
	size_t total = 0;
	for (auto it = fs::recursive_directory_iterator(root, fs::directory_options::skip_permission_denied, ec);
	     !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
		std::string rel = fs::relative(it->path(), root, ec).generic_string();
		// Dot files and folders (.git, .env, .vite) are never part of the site.
		if (rel.empty() || rel.starts_with('.') || rel.find("/.") != std::string::npos) {
			if (it->is_directory())
				it.disable_recursion_pending();
			continue;
		}
		if (!it->is_regular_file())
			continue;
		auto body = read_file(it->path());
		if (!body.ok())
			return body.error();
		total += body->size();
		if (total > kMaxSiteBytes)
			return Err(fmt::format("more than {} MiB under {}: is it the built front end (web/dist)?",
			                       kMaxSiteBytes >> 20, root.string()));
		File f;
		f.content_type = content_type_for(rel);
		f.etag = etag_of(*body);
		f.immutable = rel.starts_with("assets/");
		if (compressible(f.content_type) && body->size() >= 256) {
			std::string gz = gzip_compress(*body);
			if (gz.size() < body->size() * 9 / 10)
				f.gzipped = std::move(gz);
		}
		f.body = std::move(*body);
		site->files_.emplace("/" + rel, std::move(f));
	}
	if (ec)
		return Err(fmt::format("cannot list {}: {}", root.string(), ec.message()));
	// The script is named in index.html or added by the front end's own code (the dashboard loads
	// it only inside Telegram): either way the policy must let it load.
	for (const auto& [path, f] : site->files_)
		if ((path.ends_with(".html") || path.ends_with(".js")) &&
		    f.body.find("telegram.org/js/telegram-web-app.js") != std::string::npos)
			site->telegram_script_ = true;
	return std::shared_ptr<const StaticSite>(std::move(site));
}

std::shared_ptr<const StaticSite> StaticSite::missing() {
	return std::make_shared<StaticSite>();
}

size_t StaticSite::total_bytes() const {
	size_t n = 0;
	for (const auto& [path, f] : files_)
		n += f.body.size();
	return n;
}

ingest::RouteResponse StaticSite::error(int status, std::string_view message, bool json) const {
	ingest::RouteResponse r;
	r.status = status;
	if (json) {
		std::string_view code = status == 404 ? "not_found" : status == 400 ? "bad_request" : "unavailable";
		r.body =
		    fmt::format(R"({{"error":{{"status":{},"code":"{}","message":"{}"}}}})", status, code, message);
	} else {
		r.content_type = "text/plain; charset=utf-8";
		r.body = fmt::format("{}\n", message);
	}
	r.headers.emplace_back("Cache-Control", "no-store");
	add_security_headers(r.headers, telegram_script_);
	return r;
}

ingest::RouteResponse StaticSite::answer(const File& f, const ingest::RouteRequest& req) const {
	ingest::RouteResponse r;
	r.content_type = f.content_type;
	r.headers.emplace_back("Cache-Control", f.immutable ? "public, max-age=31536000, immutable" : "no-cache");
	r.headers.emplace_back("ETag", f.etag);
	if (!f.gzipped.empty())
		r.headers.emplace_back("Vary", "Accept-Encoding");
	add_security_headers(r.headers, telegram_script_);
	std::string_view match = req.header("If-None-Match");
	if (!match.empty() && (match == "*" || match.find(f.etag) != std::string_view::npos)) {
		r.status = 304;
		return r;
	}
	if (!f.gzipped.empty() && accepts_gzip(req.header("Accept-Encoding"))) {
		r.headers.emplace_back("Content-Encoding", "gzip");
		r.body = f.gzipped;
	} else {
		r.body = f.body;
	}
	return r;
}

ingest::RouteResponse StaticSite::serve(const ingest::RouteRequest& req) const {
	auto path = safe_path(req.path);
	if (!path)
		return error(400, "bad path", false);
	if (path->starts_with("/api/"))
		return error(404, "no such endpoint", true);
	if (files_.empty())
		return error(503,
		             "The ServerSan dashboard is not installed on this server (no web/dist: run "
		             "npm run build in web/, or set web.root).",
		             false);
	if (*path == "/")
		*path = "/index.html";
	if (auto it = files_.find(*path); it != files_.end())
		return answer(it->second, req);
	if (path->starts_with("/assets/"))
		return error(404, "no such file", false);
	return answer(files_.at("/index.html"), req);
}

void add_static_site(ingest::Routes& routes, std::shared_ptr<const StaticSite> site) {
	routes.add_prefix(
	    "GET", "/", [site = std::move(site)](const ingest::RouteRequest& r) { return site->serve(r); },
	    StaticSite::request_headers());
}

} // namespace serversan::web
