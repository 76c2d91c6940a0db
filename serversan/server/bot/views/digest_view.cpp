#include "serversan/server/bot/views/digest_view.h"

#include <algorithm>

#include <fmt/format.h>

#include "serversan/server/alerts/rule_catalog.h"
#include "serversan/server/bot/threshold/view.h"
#include "serversan/server/bot/views/agent_text.h"
#include "serversan/server/bot/views/alert_view.h"
#include "serversan/server/bot/views/time_format.h"
#include "serversan/server/bot/views/units.h"

namespace serversan::bot::views {

namespace {

std::string server(std::string_view name, uint64_t id) {
	return agent_text(name.empty() ? fmt::format("#{}", id) : std::string(name));
}

// "97.5%" in the kind's unit, or nothing.
std::string plain(Lang lang, std::string_view kind_name, std::optional<double> v) {
	const alerts::AlertKind* kind = alerts::find_kind(kind_name);
	if (!v || !kind || kind->name == alerts::kMetricOffline)
		return {};
	return threshold::value_text(lang, *kind, *v);
}

// " 97.5%" with its space, or nothing: "CPU 97.5%", or "CPU" where the value is unknown.
std::string value(Lang lang, std::string_view kind_name, std::optional<double> v) {
	std::string s = plain(lang, kind_name, v);
	return s.empty() ? s : fmt::format(" {}", s);
}

std::string server_line(const ViewContext& vc, const alerts::DigestServer& s) {
	std::string name = server(s.name, s.id);
	if (!s.last_seen_ms)
		return tr(vc.lang, "digest.server_never", {{"server", name}});
	if (!s.online)
		return tr(vc.lang, "digest.server_offline",
		          {{"server", name}, {"time", format_short_time(*s.last_seen_ms, vc.time_zone, vc.now_ms)}});
	std::string line = fmt::format("🟢 <b>{}</b>", name);
	if (s.cpu)
		line += fmt::format(" · {}{}", alert_what(vc.lang, "cpu", ""), value(vc.lang, "cpu", s.cpu));
	if (s.ram)
		line += fmt::format(" · {}{}", alert_what(vc.lang, "ram", ""), value(vc.lang, "ram", s.ram));
	if (s.disk)
		line +=
		    fmt::format(" · {}{}", alert_what(vc.lang, "disk", s.disk_mount), value(vc.lang, "disk", s.disk));
	return line;
}

std::string alert_line(const ViewContext& vc, const alerts::DigestAlert& a) {
	const bool offline = a.kind == alerts::kMetricOffline;
	std::string_view key = a.resolved_ms
	                           ? (offline ? "digest.alert_offline_resolved" : "digest.alert_resolved")
	                           : (offline ? "digest.alert_offline_firing" : "digest.alert_firing");
	return tr(
	    vc.lang, key,
	    {{"icon", a.severity == "critical" ? "🔴" : "🟠"},
	     {"server", server(a.server_name, a.server_id)},
	     {"what", alert_what(vc.lang, a.kind, a.device)},
	     {"value", value(vc.lang, a.kind, a.value)},
	     {"time", format_short_time(a.started_ms, vc.time_zone, vc.now_ms)},
	     {"held", a.resolved_ms ? format_duration(vc.lang, (*a.resolved_ms - a.started_ms) / 1000) : ""}});
}

// Several servers offline together (one rack, one uplink): one line for the outage, as the alert
// went out (alert_group.h), not one line per server. Together: started within kTogetherMs of the
// group's first, and resolved within it too (or all still offline).
constexpr int64_t kTogetherMs = 2 * 60 * 1000;
constexpr size_t kOutageNames = 8;

bool together(const alerts::DigestAlert& a, const alerts::DigestAlert& b) {
	auto near = [](int64_t x, int64_t y) { return x > y ? x - y <= kTogetherMs : y - x <= kTogetherMs; };
	return a.kind == b.kind && a.kind == alerts::kMetricOffline && near(a.started_ms, b.started_ms) &&
	       a.resolved_ms.has_value() == b.resolved_ms.has_value() &&
	       (!a.resolved_ms || near(*a.resolved_ms, *b.resolved_ms));
}

// The alerts in order, each outage's servers gathered at its first one's place.
std::vector<std::vector<const alerts::DigestAlert*>>
gathered(const std::vector<alerts::DigestAlert>& alerts) {
	std::vector<std::vector<const alerts::DigestAlert*>> items;
	for (const auto& a : alerts) {
		auto joined =
		    std::find_if(items.begin(), items.end(), [&](const auto& item) { return together(*item[0], a); });
		if (joined != items.end())
			joined->push_back(&a);
		else
			items.push_back({&a});
	}
	return items;
}

std::string outage_line(const ViewContext& vc, const std::vector<const alerts::DigestAlert*>& outage) {
	int64_t from = outage[0]->started_ms, held_ms = 0;
	std::string names;
	for (size_t i = 0; i < outage.size(); ++i) {
		const alerts::DigestAlert& a = *outage[i];
		from = std::min(from, a.started_ms);
		if (a.resolved_ms)
			held_ms = std::max(held_ms, *a.resolved_ms - a.started_ms);
		if (i < kOutageNames)
			names.append(i ? tr(vc.lang, "digest.name_sep") : "").append(server(a.server_name, a.server_id));
	}
	if (outage.size() > kOutageNames)
		names.append(
		    tr(vc.lang, "digest.names_more", {{"count", std::to_string(outage.size() - kOutageNames)}}));
	const alerts::DigestAlert& first = *outage[0];
	return tr(vc.lang, first.resolved_ms ? "digest.outage_resolved" : "digest.outage_firing",
	          {{"icon", first.severity == "critical" ? "🔴" : "🟠"},
	           {"count", std::to_string(outage.size())},
	           {"names", names},
	           {"time", format_short_time(from, vc.time_zone, vc.now_ms)},
	           {"held", format_duration(vc.lang, held_ms / 1000)}});
}

std::string trend_line(const ViewContext& vc, const alerts::DigestTrend& t) {
	std::string name = server(t.server_name, t.server_id);
	std::string what = alert_what(vc.lang, t.kind, t.device);
	if (t.full_ms)
		return tr(
		    vc.lang, "digest.trend_full",
		    {{"server", name},
		     {"what", what},
		     {"date", format_day(vc.lang, *t.full_ms, vc.time_zone)},
		     {"eta", format_duration(vc.lang, std::max<int64_t>(3600, (*t.full_ms - vc.now_ms) / 1000))}});
	return tr(vc.lang, "digest.trend_average",
	          {{"server", name},
	           {"what", what},
	           {"value", plain(vc.lang, t.kind, t.average)},
	           {"limit", plain(vc.lang, t.kind, t.threshold)}});
}

// The lines of a list, the ones past `most` counted.
template <typename T, typename F>
void append_lines(std::string& out, Lang lang, const std::vector<T>& items, size_t most, F line) {
	for (size_t i = 0; i < items.size() && i < most; ++i)
		out.append("\n").append(line(items[i]));
	if (items.size() > most)
		out.append("\n").append(
		    tr(lang, "alerts.group_more", {{"count", std::to_string(items.size() - most)}}));
}

} // namespace

std::string digest_text(const ViewContext& vc, const alerts::Digest& d) {
	size_t online = static_cast<size_t>(
	    std::count_if(d.servers.begin(), d.servers.end(), [](const auto& s) { return s.online; }));
	std::string out = tr(vc.lang, "digest.title", {{"date", format_day(vc.lang, d.at_ms, vc.time_zone)}});
	out.append("\n")
	    .append(tr(vc.lang, "digest.count",
	               {{"online", std::to_string(online)}, {"count", std::to_string(d.servers.size())}}))
	    .append("\n");
	// The ones that need a look first: offline, then never reported, then the rest (by name).
	std::vector<alerts::DigestServer> servers = d.servers;
	std::stable_sort(servers.begin(), servers.end(), [](const auto& a, const auto& b) {
		auto rank = [](const alerts::DigestServer& s) { return s.online ? 2 : s.last_seen_ms ? 0 : 1; };
		return rank(a) < rank(b);
	});
	append_lines(out, vc.lang, servers, kDigestServers, [&](const auto& s) { return server_line(vc, s); });
	out += "\n\n";
	if (d.alerts.empty()) {
		out += tr(vc.lang, "digest.no_alerts");
	} else {
		out += tr(vc.lang, "digest.alerts_head");
		append_lines(out, vc.lang, gathered(d.alerts), kDigestAlerts, [&](const auto& item) {
			return item.size() == 1 ? alert_line(vc, *item[0]) : outage_line(vc, item);
		});
	}
	if (!d.trends.empty()) {
		out.append("\n\n").append(tr(vc.lang, "digest.trends_head"));
		append_lines(out, vc.lang, d.trends, kDigestTrends, [&](const auto& t) { return trend_line(vc, t); });
	}
	return out;
}

} // namespace serversan::bot::views
