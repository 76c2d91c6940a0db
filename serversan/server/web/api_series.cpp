// /servers/{id}/series and /series (one metric across several servers): the store picks the
// finest tier that fits the range in about `points` buckets (store::Store::series); whatever
// still comes back longer (raw samples closer than the agents' default minute) is merged into
// equal groups here, so the cap holds.
#include <algorithm>

#include "serversan/server/store/metrics.h"
#include "serversan/server/web/api_endpoints.h"

namespace serversan::web {

namespace {

inline constexpr size_t kDefaultPoints = 600, kMaxPoints = 2000, kMaxCompared = 50;
inline constexpr int64_t kDefaultRangeMs = store::kHourMs;

struct Range {
	std::string metric, device;
	int64_t from_ms = 0, to_ms = 0;
	size_t points = kDefaultPoints;
};

std::variant<Range, ApiError> read_range(const ApiRequest& r) {
	Range g;
	g.metric = std::string(r.arg("metric"));
	g.device = std::string(r.arg("device"));
	if (!store::find_metric(g.metric))
		return bad_request("unknown metric '" + g.metric + "'");
	auto to = r.arg("to").empty() ? std::optional<int64_t>(r.now_ms) : parse_int(r.arg("to"));
	if (!to)
		return bad_request("to must be Unix milliseconds");
	auto from =
	    r.arg("from").empty() ? std::optional<int64_t>(*to - kDefaultRangeMs) : parse_int(r.arg("from"));
	if (!from || *from >= *to)
		return bad_request("from must be Unix milliseconds before to");
	g.from_ms = *from;
	g.to_ms = *to;
	if (!r.arg("points").empty()) {
		auto p = parse_id(r.arg("points"));
		if (!p || *p == 0)
			return bad_request("points must be a positive number");
		g.points = std::min<size_t>(*p, kMaxPoints);
	}
	return g;
}

// Merges neighbouring points so at most `cap` remain (min of mins, mean, max of maxes).
void cap_points(store::Series& s, size_t cap) {
	if (s.points.size() <= cap)
		return;
	size_t group = (s.points.size() + cap - 1) / cap;
	std::vector<store::SeriesPoint> out;
	out.reserve(cap);
	for (size_t i = 0; i < s.points.size(); i += group) {
		size_t end = std::min(s.points.size(), i + group);
		store::SeriesPoint p = s.points[i];
		double sum = 0;
		for (size_t k = i; k < end; ++k) {
			p.min = std::min(p.min, s.points[k].min);
			p.max = std::max(p.max, s.points[k].max);
			sum += s.points[k].avg;
		}
		p.avg = sum / static_cast<double>(end - i);
		out.push_back(p);
	}
	if (s.step_ms > 0)
		s.step_ms *= static_cast<int64_t>(group);
	s.points = std::move(out);
}

std::variant<nlohmann::json, ApiError> series_json(const ApiDeps& deps, const store::ServerRecord& server,
                                                   const Range& g, int64_t now_ms) {
	store::SeriesQuery q{server.id, g.metric, g.device, g.from_ms, g.to_ms, now_ms, g.points, {}};
	auto s = deps.store->series(q);
	if (!s.ok())
		return internal(s.error());
	cap_points(*s, g.points);
	nlohmann::json t = nlohmann::json::array(), v = nlohmann::json::array();
	nlohmann::json mins = nlohmann::json::array(), maxs = nlohmann::json::array();
	for (const store::SeriesPoint& p : s->points) {
		t.push_back(p.ts_ms);
		v.push_back(p.avg);
		mins.push_back(p.min);
		maxs.push_back(p.max);
	}
	nlohmann::json j = {{"server", server.id},
	                    {"server_name", server.name},
	                    {"metric", g.metric},
	                    {"device", g.device},
	                    {"unit", store::find_metric(g.metric)->unit},
	                    {"tier", store::tier_name(s->tier)},
	                    {"step_ms", s->step_ms},
	                    {"t", std::move(t)},
	                    {"v", std::move(v)}};
	if (s->tier != store::Tier::raw) { // raw points are single samples: no band
		j["min"] = std::move(mins);
		j["max"] = std::move(maxs);
	}
	return j;
}

} // namespace

void add_series_endpoints(ApiRouter& router, const ApiDeps& deps) {
	router.add("GET", "/servers/{id}/series", [deps](const ApiRequest& r) -> ApiAnswer {
		auto s = owned(deps, r.who, r.params.at("id"));
		if (auto* e = std::get_if<ApiError>(&s))
			return *e;
		auto g = read_range(r);
		if (auto* e = std::get_if<ApiError>(&g))
			return *e;
		auto j = series_json(deps, std::get<fleet::UserServer>(s).server, std::get<Range>(g), r.now_ms);
		if (auto* e = std::get_if<ApiError>(&j))
			return *e;
		return json_response(std::get<nlohmann::json>(j));
	});

	router.add("GET", "/series", [deps](const ApiRequest& r) -> ApiAnswer {
		auto g = read_range(r);
		if (auto* e = std::get_if<ApiError>(&g))
			return *e;
		std::vector<store::ServerRecord> servers;
		std::string_view ids = r.arg("servers");
		while (!ids.empty()) {
			size_t comma = ids.find(',');
			auto s = owned(deps, r.who, ids.substr(0, comma));
			if (auto* e = std::get_if<ApiError>(&s))
				return *e; // one server not the user's: 404 for the whole request
			servers.push_back(std::get<fleet::UserServer>(std::move(s)).server);
			ids = comma == std::string_view::npos ? std::string_view{} : ids.substr(comma + 1);
		}
		if (servers.empty())
			return bad_request("servers: a comma-separated list of server ids");
		if (servers.size() > kMaxCompared)
			return bad_request("at most 50 servers at once");
		nlohmann::json list = nlohmann::json::array();
		for (const store::ServerRecord& s : servers) {
			auto j = series_json(deps, s, std::get<Range>(g), r.now_ms);
			if (auto* e = std::get_if<ApiError>(&j))
				return *e;
			list.push_back(std::move(std::get<nlohmann::json>(j)));
		}
		return json_response({{"series", std::move(list)}});
	});
}

} // namespace serversan::web
