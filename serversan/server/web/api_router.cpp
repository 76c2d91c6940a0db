#include "serversan/server/web/api_router.h"

#include <algorithm>
#include <chrono>

#include "serversan/core/encoding.h"
#include "serversan/core/log.h"
#include "serversan/server/web/api_error.h"
#include "serversan/server/web/form.h"
#include "serversan/server/web/guard.h"

namespace serversan::web {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
	std::vector<std::string_view> parts;
	while (!path.empty()) {
		size_t slash = path.find('/');
		std::string_view part = path.substr(0, slash);
		if (!part.empty())
			parts.push_back(part);
		if (slash == std::string_view::npos)
			break;
		path.remove_prefix(slash + 1);
	}
	return parts;
}

ingest::RouteResponse rate_limited(int retry_after_s) {
	auto r = error_response({429, "rate_limited", "too many requests"});
	r.headers.emplace_back("Retry-After", std::to_string(retry_after_s));
	return r;
}

} // namespace

std::optional<std::map<std::string, std::string, std::less<>>> parse_query(std::string_view query) {
	auto pairs = parse_form(query);
	if (!pairs)
		return std::nullopt;
	std::map<std::string, std::string, std::less<>> out;
	for (auto& [name, value] : *pairs)
		out.emplace(std::move(name), std::move(value));
	return out;
}

std::string_view ApiRequest::arg(std::string_view name) const {
	auto it = query.find(name);
	return it == query.end() ? std::string_view{} : std::string_view(it->second);
}

ingest::RouteResponse json_response(const nlohmann::json& body, int status) {
	ingest::RouteResponse r;
	r.status = status;
	// Invalid UTF-8 from an agent (a process name) is replaced, never a throw.
	r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
	r.headers.emplace_back("Cache-Control", "no-store");
	return r;
}

ingest::RouteResponse error_response(const ApiError& e) {
	return json_error(e.status, e.code, e.message);
}

ApiError bad_request(std::string message) {
	return {400, "bad_request", std::move(message)};
}
ApiError not_found(std::string message) {
	return {404, "not_found", std::move(message)};
}
ApiError forbidden(std::string message) {
	return {403, "forbidden", std::move(message)};
}
ApiError internal(const Error& e) {
	return {500, "internal", e.message}; // the router logs it and answers without it
}

std::vector<std::string> api_headers() {
	return guard_headers();
}

ApiRouter::ApiRouter(Authenticator& auth, const Clock& clock, ApiLimits limits)
    : auth_(auth), clock_(clock), per_address_(limits.per_address, limits.capacity, clock),
      per_user_(limits.per_user, limits.capacity, clock) {}

void ApiRouter::add(std::string method, std::string pattern, ApiHandler handler, bool token_only) {
	Entry e{std::move(method), {}, std::move(handler), token_only};
	for (std::string_view p : split_path(pattern))
		e.parts.emplace_back(p);
	entries_.push_back(std::move(e));
}

std::vector<std::string> ApiRouter::methods() const {
	std::vector<std::string> out;
	for (const Entry& e : entries_)
		if (std::find(out.begin(), out.end(), e.method) == out.end())
			out.push_back(e.method);
	return out;
}

ingest::RouteResponse ApiRouter::handle(const ingest::RouteRequest& request) {
	std::string_view path = request.path;
	if (!path.starts_with(kApiPrefix))
		return error_response(not_found("no such endpoint"));
	std::vector<std::string_view> parts = split_path(path.substr(kApiPrefix.size()));

	// Match first: an unknown path is 404 and a known one with the wrong method 405, before any
	// credential is looked at (they say nothing about the user's data).
	const Entry* match = nullptr;
	bool path_known = false;
	std::map<std::string, std::string, std::less<>> params;
	for (const Entry& e : entries_) {
		if (e.parts.size() != parts.size())
			continue;
		std::map<std::string, std::string, std::less<>> got;
		bool ok = true;
		for (size_t i = 0; i < parts.size() && ok; ++i) {
			const std::string& want = e.parts[i];
			if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
				auto v = form_decode(parts[i]);
				ok = v.has_value();
				if (ok)
					got.emplace(want.substr(1, want.size() - 2), std::move(*v));
			} else {
				ok = want == parts[i];
			}
		}
		if (!ok)
			continue;
		path_known = true;
		if (e.method == request.method) {
			match = &e;
			params = std::move(got);
			break;
		}
	}
	if (!match)
		return path_known ? error_response({405, "method_not_allowed", "method not allowed"})
		                  : error_response(not_found("no such endpoint"));

	if (auto d = per_address_.admit(request.client_ip); !d.allowed)
		return rate_limited(d.retry_after_s);
	// Who is asking and, for a cookie session changing state, the CSRF header: guard.h, the one
	// check every web route shares.
	Guarded g = guard(auth_, request);
	if (!g.principal)
		return std::move(g.refusal);
	std::optional<Principal>& who = g.principal;
	if (match->token_only && who->via != Principal::Via::api_token)
		return error_response(forbidden("this endpoint takes an API token"));
	if (auto d = per_user_.admit("u" + std::to_string(who->user_id)); !d.allowed)
		return rate_limited(d.retry_after_s);

	if (request.body.size() > kMaxApiBodyBytes)
		return error_response({413, "too_large", "request body over 64 KiB"});
	auto query = parse_query(request.query);
	if (!query)
		return error_response(bad_request("malformed query string"));
	ApiRequest req{
	    request, *who, std::move(params), std::move(*query), nlohmann::json::object(), clock_.unix_millis()};
	if (!request.body.empty()) {
		req.body = nlohmann::json::parse(request.body, nullptr, false);
		if (req.body.is_discarded() || !req.body.is_object())
			return error_response(bad_request("the body must be a JSON object"));
	}

	ApiAnswer answer;
	try {
		answer = match->handler(req);
	} catch (const nlohmann::json::exception& e) {
		// A field of the wrong type (a string where a number belongs) reads as a bad request.
		return error_response(bad_request(std::string("bad field: ") + e.what()));
	}
	if (auto* r = std::get_if<ingest::RouteResponse>(&answer))
		return std::move(*r);
	ApiError& e = std::get<ApiError>(answer);
	if (e.status >= 500) {
		log::error("api {} {}: {}", request.method, request.path, e.message);
		e.message = e.status == 503 ? "try again later" : "internal error";
	}
	return error_response(e);
}

} // namespace serversan::web
