// The JSON API's front layer (docs/api.md): one object in front of every /api/v1 handler that
// matches the method and path pattern ("/servers/{id}/series"), decodes the query, reads the JSON
// body (at most 64 KiB, an object), and before any handler runs: rate limits the address,
// authenticates (Authenticator), checks CSRF for state-changing cookie requests, rate limits the
// user. Handlers get an ApiRequest with the Principal and answer JSON; errors are
// {"error": {"status", "code", "message"}} everywhere. A handler's unexpected store failure is
// logged here and answered as 500 without its text.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "serversan/core/clock.h"
#include "serversan/core/result.h"
#include "serversan/server/ingest/rate_limiter.h"
#include "serversan/server/ingest/routes.h"
#include "serversan/server/web/principal.h"

namespace serversan::web {

inline constexpr std::string_view kApiPrefix = "/api/v1";
inline constexpr size_t kMaxApiBodyBytes = 64 * 1024;

// "a=1&b=x%20y" -> {a: 1, b: "x y"}; the first of repeated names wins; empty if malformed.
std::optional<std::map<std::string, std::string, std::less<>>> parse_query(std::string_view query);

struct ApiRequest {
	const ingest::RouteRequest& http;
	const Principal& who;
	std::map<std::string, std::string, std::less<>> params; // from the pattern's {names}
	std::map<std::string, std::string, std::less<>> query;
	nlohmann::json body; // an object (empty without a body)
	int64_t now_ms = 0;

	// The query value or empty.
	std::string_view arg(std::string_view name) const;
};

// What a handler answers: a response, or an error the router turns into the JSON shape.
struct ApiError {
	int status = 500;
	std::string code, message;
};
ingest::RouteResponse error_response(const ApiError& e);
ingest::RouteResponse json_response(const nlohmann::json& body, int status = 200);
ApiError bad_request(std::string message);
ApiError not_found(std::string message = "no such server");
ApiError forbidden(std::string message);
// A store failure: logged by the router, answered as "internal".
ApiError internal(const Error& e);

using ApiAnswer = std::variant<ingest::RouteResponse, ApiError>;
using ApiHandler = std::function<ApiAnswer(const ApiRequest&)>;

struct ApiLimits {
	ingest::RateLimit per_address{20, 60}; // before authentication, so bad credentials cost
	ingest::RateLimit per_user{10, 40};
	size_t capacity = 4096; // buckets kept (LRU)
};

class ApiRouter {
public:
	ApiRouter(Authenticator& auth, const Clock& clock, ApiLimits limits = {});

	// pattern under /api/v1, e.g. "/servers/{id}"; `token_only`: refused to cookie sessions.
	void add(std::string method, std::string pattern, ApiHandler handler, bool token_only = false);
	ingest::RouteResponse handle(const ingest::RouteRequest& request);
	// The methods some route answers (the listener's prefix routes, one per method).
	std::vector<std::string> methods() const;

private:
	struct Entry {
		std::string method;
		std::vector<std::string> parts; // "{id}" matches one segment
		ApiHandler handler;
		bool token_only = false;
	};

	Authenticator& auth_;
	const Clock& clock_;
	ingest::RateLimiter per_address_, per_user_;
	std::vector<Entry> entries_;
};

// The request headers the API reads (for Routes::add_prefix).
std::vector<std::string> api_headers();

} // namespace serversan::web
