#include "serversan/server/web/api_error.h"

#include <nlohmann/json.hpp>

namespace serversan::web {

ingest::RouteResponse json_error(int status, std::string_view code, std::string_view message) {
	nlohmann::json j{{"error", {{"status", status}, {"code", code}, {"message", message}}}};
	return json_answer(j.dump(), status);
}

ingest::RouteResponse json_answer(std::string body, int status) {
	ingest::RouteResponse r;
	r.status = status;
	r.content_type = "application/json";
	r.body = std::move(body);
	// Answers are per user: never kept by a shared cache.
	r.headers.emplace_back("Cache-Control", "no-store");
	return r;
}

} // namespace serversan::web
