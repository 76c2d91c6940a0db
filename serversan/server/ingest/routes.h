// Routes: the endpoints the HTTP listener serves besides the reports, health, metrics and
// downloads: the bot's webhook now, the web issue's pages and API later. A route is an exact
// method and path; its handler runs on an IO thread with the whole body read, so it must answer at
// once and hand any real work to another thread. Only the request headers some route names are
// kept, so the report path pays one name comparison per unusual header and nothing more.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace serversan::ingest {

struct RouteRequest {
	std::string_view method, path, client_ip, body;
	const std::vector<std::pair<std::string, std::string>>* headers = nullptr; // those routes asked for
	// The first value of header `name` (case-insensitive); empty if absent.
	std::string_view header(std::string_view name) const;
};

struct RouteResponse {
	int status = 200;
	std::string content_type = "application/json";
	std::string body;
};

using RouteHandler = std::function<RouteResponse(const RouteRequest&)>;

struct Route {
	std::string method, path;
	RouteHandler handler;
};

class Routes {
public:
	// `headers`: the request headers the handler reads.
	void add(std::string method, std::string path, RouteHandler handler,
	         std::vector<std::string> headers = {});
	const Route* find(std::string_view method, std::string_view path) const;
	const std::vector<std::string>& headers() const { return headers_; }
	bool empty() const { return routes_.empty(); }

private:
	std::vector<Route> routes_;
	std::vector<std::string> headers_;
};

bool iequals_ascii(std::string_view a, std::string_view b);

} // namespace serversan::ingest
