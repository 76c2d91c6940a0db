#include "serversan/server/bot/views/alert_view.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <tuple>

#include <fmt/format.h>

#include "serversan/server/alerts/rule_catalog.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/bot/threshold/view.h"
#include "serversan/server/bot/views/agent_text.h"
#include "serversan/server/bot/views/process_lines.h"
#include "serversan/server/bot/views/time_format.h"
#include "serversan/server/bot/views/units.h"

namespace serversan::bot::views {

namespace {

constexpr size_t kAlertProcesses = 3;          // a phone's glance, not /stat's list
constexpr size_t kMaxProcessLines = 5;         // the Top button: /stat's list
constexpr int64_t kFullInShownS = 30 * 86'400; // a disk full in months is no news

using alerts::AlertMessage;
using alerts::NoticeState;

bool is_offline(const AlertMessage& m) {
	return m.kind == alerts::kMetricOffline;
}

std::string what(Lang lang, const AlertMessage& m) {
	return alert_what(lang, m.kind, m.device);
}

std::string value(Lang lang, const AlertMessage& m, double v) {
	const alerts::AlertKind* kind = alerts::find_kind(m.kind);
	return kind ? threshold::value_text(lang, *kind, v) : fmt::format("{:.1f}", v);
}

std::string held(Lang lang, const AlertMessage& m) {
	return format_duration(lang, m.held_s);
}

// How long a firing has lasted as the reader sees it: the minutes it had when it fired, or,
// held through quiet hours, up to its sending (vc.now_ms) rather than a stale "for 9 min".
std::string lasted(const ViewContext& vc, const AlertMessage& m) {
	if (!m.quiet_until_ms)
		return held(vc.lang, m);
	return format_duration(vc.lang, std::max(m.held_s, (vc.now_ms - m.started_ms) / 1000));
}

std::string server(const AlertMessage& m) {
	return agent_text(m.server_name.empty() ? fmt::format("#{}", m.server_id) : m.server_name);
}

std::string evidence(const ViewContext& vc, const AlertMessage& m) {
	const alerts::Evidence& e = m.evidence;
	std::string out;
	if (!e.top.empty() && (m.kind == "cpu" || m.kind == "ram")) {
		bool by_cpu = m.kind == "cpu";
		std::vector<ProcessEntry> list;
		for (const alerts::TopProcess& p : e.top)
			list.push_back({p.pid, p.name, p.user, p.cpu_percent, p.rss});
		auto lines = process_lines(list, by_cpu, kAlertProcesses);
		if (!lines.empty()) {
			// A wall-clock time, not "1 min ago": the message is read (and edited when it
			// resolves) long after the list was taken, and a relative time would drift.
			std::string when = e.top_ms ? format_short_time(*e.top_ms, vc.time_zone, vc.now_ms) : "";
			out = tr(vc.lang, by_cpu ? "alerts.top_cpu_head" : "alerts.top_memory_head", {{"time", when}});
			for (const std::string& l : lines)
				out.append("\n").append(l);
		}
	}
	if (e.bytes_left && e.total && m.kind == "disk") {
		std::string left = format_bytes(static_cast<double>(*e.bytes_left));
		std::string total = format_bytes(static_cast<double>(*e.total));
		double eta_s =
		    e.fill_per_s && *e.fill_per_s > 0 ? static_cast<double>(*e.bytes_left) / *e.fill_per_s : -1;
		if (eta_s >= 0 && eta_s < kFullInShownS)
			out = tr(vc.lang, "alerts.disk_full_in",
			         {{"left", left},
			          {"total", total},
			          {"eta", format_duration(vc.lang, std::max<int64_t>(60, std::llround(eta_s)))}});
		else
			out = tr(vc.lang, "alerts.disk_left", {{"left", left}, {"total", total}});
	}
	if (e.bytes_left && e.total && m.kind == "inodes")
		out = tr(vc.lang, "alerts.inodes_left",
		         {{"left", format_count(*e.bytes_left)}, {"total", format_count(*e.total)}});
	return out;
}

std::string limit_of(Lang lang, const AlertMessage& m) {
	return fmt::format("{} {}", m.above ? "&gt;" : "&lt;", value(lang, m, m.threshold));
}

// The newest sample if it is back on the good side of the threshold: "back to 20%" is what the
// reader wants, not the window's average that still carries the breach ("73.9%").
std::optional<double> back_to(const AlertMessage& m) {
	if (m.latest && (m.above ? *m.latest < m.threshold : *m.latest > m.threshold))
		return m.latest;
	return std::nullopt;
}

std::string firing_text(const ViewContext& vc, const AlertMessage& m) {
	std::string when = format_short_time(m.started_ms, vc.time_zone, vc.now_ms);
	std::string out;
	if (is_offline(m)) {
		out = tr(vc.lang, m.severity == "critical" ? "alerts.offline" : "alerts.offline_warning",
		         {{"server", server(m)}, {"held", lasted(vc, m)}});
		out += fmt::format("\n{}", tr(vc.lang, "alerts.last_report", {{"time", when}}));
	} else {
		out = tr(vc.lang, "alerts.firing",
		         {{"icon", m.severity == "critical" ? "🔴" : "🟠"},
		          {"server", server(m)},
		          {"what", what(vc.lang, m)},
		          {"value", m.value ? value(vc.lang, m, *m.value) : ""},
		          {"held", lasted(vc, m)}});
		out += fmt::format("\n{}",
		                   tr(vc.lang, "alerts.limit", {{"limit", limit_of(vc.lang, m)}, {"time", when}}));
	}
	if (m.quiet_until_ms)
		out += fmt::format("\n{}", tr(vc.lang, "alerts.quiet_held"));
	if (std::string ev = evidence(vc, m); !ev.empty())
		out += fmt::format("\n\n{}", ev);
	return out;
}

// "⏳ web1 · Disk /data will be full around Tue 15 Dec (in ~4 d 2 h)" and the rate behind it.
std::string forecast_text(const ViewContext& vc, const AlertMessage& m) {
	const alerts::Evidence& e = m.evidence;
	int64_t full_ms = e.full_ms.value_or(m.at_ms);
	std::string out =
	    tr(vc.lang, "alerts.forecast",
	       {{"server", server(m)},
	        {"what", what(vc.lang, m)},
	        {"date", format_day(vc.lang, full_ms, vc.time_zone)},
	        {"eta", format_duration(vc.lang, std::max<int64_t>(3600, (full_ms - vc.now_ms) / 1000))}});
	if (e.fill_per_s && e.bytes_left && e.total)
		out += fmt::format("\n{}", tr(vc.lang, "alerts.forecast_rate",
		                              {{"rate", format_bytes(*e.fill_per_s * 86'400)},
		                               {"left", format_bytes(static_cast<double>(*e.bytes_left))},
		                               {"total", format_bytes(static_cast<double>(*e.total))}}));
	return out;
}

} // namespace

std::string alert_what(Lang lang, std::string_view kind_name, std::string_view device) {
	const alerts::AlertKind* kind = alerts::find_kind(kind_name);
	std::string s = kind ? threshold::kind_label(lang, *kind) : agent_text(kind_name, kLabelChars);
	if (!device.empty()) // monospace sets a mount or a sensor apart from the words around it
		s.append(" <code>").append(agent_text(device, kLabelChars)).append("</code>");
	return s;
}

std::string alert_button_data(char action, uint64_t server_id, std::string_view kind) {
	return fmt::format("{}:{}:{}:{}", kAlertPrefix, action, server_id, kind);
}

std::optional<AlertButton> parse_alert_button(std::string_view payload) {
	if (payload == "i")
		return AlertButton{};
	if (payload.size() < 4 || payload[1] != ':')
		return std::nullopt;
	AlertButton b;
	b.action = payload[0];
	if (std::string_view("smgtcd").find(b.action) == std::string_view::npos)
		return std::nullopt;
	payload.remove_prefix(2);
	size_t colon = payload.find(':');
	if (colon == std::string_view::npos)
		return std::nullopt;
	std::string_view id = payload.substr(0, colon), kind = payload.substr(colon + 1);
	auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), b.server_id);
	if (ec != std::errc{} || end != id.data() + id.size() || id.empty() || b.server_id == 0)
		return std::nullopt;
	const alerts::AlertKind* k = alerts::find_kind(kind);
	if (!k || k->name != kind)
		return std::nullopt;
	b.kind = std::string(kind);
	return b;
}

telegram::InlineKeyboard chart_keyboard(const ViewContext& vc, uint64_t server_id, std::string_view kind) {
	return {{{std::string(tr(vc.lang, "alerts.btn_chart")), alert_button_data('c', server_id, kind), ""}}};
}

telegram::InlineKeyboard forecast_keyboard(const ViewContext& vc, uint64_t server_id) {
	return {{{std::string(tr(vc.lang, "alerts.btn_chart")), alert_button_data('d', server_id, "disk"), ""}}};
}

telegram::InlineKeyboard alert_keyboard(const ViewContext& vc, uint64_t server_id, std::string_view kind,
                                        const AlertSilenceShown& shown) {
	std::string info = fmt::format("{}:i", kAlertPrefix);
	telegram::InlineKeyboard kb(2);
	if (shown.snoozed_until_ms)
		kb[0].push_back({tr(vc.lang, "alerts.btn_snoozed",
		                    {{"time", format_short_time(*shown.snoozed_until_ms, vc.time_zone, vc.now_ms)}}),
		                 info, ""});
	else
		kb[0].push_back(
		    {std::string(tr(vc.lang, "alerts.btn_snooze")), alert_button_data('s', server_id, kind), ""});
	if (shown.muted)
		kb[0].push_back({std::string(tr(vc.lang, "alerts.btn_muted")), info, ""});
	else
		kb[0].push_back(
		    {std::string(tr(vc.lang, "alerts.btn_mute")), alert_button_data('m', server_id, kind), ""});
	if (kind != alerts::kMetricOffline)
		kb[1].push_back(
		    {std::string(tr(vc.lang, "alerts.btn_top")), alert_button_data('t', server_id, kind), ""});
	kb[1].push_back(
	    {std::string(tr(vc.lang, "alerts.btn_chart")), alert_button_data('c', server_id, kind), ""});
	return kb;
}

telegram::InlineKeyboard alert_group_keyboard(const ViewContext& vc, uint64_t server_id,
                                              std::string_view kind, const AlertSilenceShown& shown) {
	telegram::InlineKeyboard kb(1);
	if (shown.muted)
		kb[0].push_back(
		    {std::string(tr(vc.lang, "alerts.btn_muted")), fmt::format("{}:i", kAlertPrefix), ""});
	else
		kb[0].push_back(
		    {std::string(tr(vc.lang, "alerts.btn_mute")), alert_button_data('g', server_id, kind), ""});
	kb[0].push_back(
	    {std::string(tr(vc.lang, "alerts.btn_chart")), alert_button_data('c', server_id, kind), ""});
	return kb;
}

std::string alert_text(const ViewContext& vc, const AlertMessage& m) {
	switch (m.state) {
	case NoticeState::firing:
		return firing_text(vc, m);
	case NoticeState::forecast:
		return forecast_text(vc, m);
	case NoticeState::reminder:
		if (is_offline(m) || !m.value)
			return tr(vc.lang, "alerts.reminder_offline", {{"server", server(m)}, {"held", lasted(vc, m)}});
		return tr(vc.lang, "alerts.reminder",
		          {{"server", server(m)},
		           {"what", what(vc.lang, m)},
		           {"value", value(vc.lang, m, *m.value)},
		           {"held", lasted(vc, m)}});
	case NoticeState::resolved:
		if (is_offline(m))
			return tr(vc.lang, "alerts.resolved_offline",
			          {{"server", server(m)}, {"held", held(vc.lang, m)}});
		if (auto back = back_to(m); back || (m.value && !m.latest)) // no latest: an older engine's
			return tr(vc.lang, "alerts.resolved",
			          {{"server", server(m)},
			           {"what", what(vc.lang, m)},
			           {"value", value(vc.lang, m, back ? *back : *m.value)},
			           {"held", held(vc.lang, m)}});
		if (m.value) // the newest sample still past the threshold: the average is what cleared
			return tr(vc.lang, "alerts.resolved_average",
			          {{"server", server(m)},
			           {"what", what(vc.lang, m)},
			           {"window", format_duration(vc.lang, m.for_s)},
			           {"value", value(vc.lang, m, *m.value)},
			           {"held", held(vc.lang, m)}});
		return tr(vc.lang, "alerts.resolved_no_value",
		          {{"server", server(m)}, {"what", what(vc.lang, m)}, {"held", held(vc.lang, m)}});
	}
	return firing_text(vc, m);
}

std::string resolved_firing_text(const ViewContext& vc, const AlertMessage& firing,
                                 const AlertMessage& resolved) {
	return fmt::format("{}\n\n{}", firing_text(vc, firing),
	                   tr(vc.lang, "alerts.resolved_stamp",
	                      {{"time", format_short_time(resolved.at_ms, vc.time_zone, vc.now_ms)},
	                       {"held", held(vc.lang, resolved)}}));
}

std::string quiet_resolved_text(const ViewContext& vc, const AlertMessage& firing,
                                const AlertMessage& resolved) {
	std::string since = format_short_time(firing.started_ms, vc.time_zone, vc.now_ms);
	std::string out;
	if (is_offline(firing)) {
		out = tr(vc.lang, "alerts.quiet_resolved_offline",
		         {{"server", server(firing)}, {"held", held(vc.lang, resolved)}});
		out += fmt::format("\n{}", tr(vc.lang, "alerts.last_report", {{"time", since}}));
	} else {
		out = tr(vc.lang, "alerts.quiet_resolved",
		         {{"server", server(firing)},
		          {"what", what(vc.lang, firing)},
		          {"value", firing.value ? value(vc.lang, firing, *firing.value) : ""},
		          {"held", held(vc.lang, resolved)}});
		out += fmt::format(
		    "\n{}", tr(vc.lang, "alerts.limit", {{"limit", limit_of(vc.lang, firing)}, {"time", since}}));
		std::string at = format_short_time(resolved.at_ms, vc.time_zone, vc.now_ms);
		auto back = back_to(resolved);
		out += fmt::format("\n{}", back ? tr(vc.lang, "alerts.quiet_back",
		                                     {{"value", value(vc.lang, resolved, *back)}, {"time", at}})
		                                : tr(vc.lang, "alerts.quiet_back_no_value", {{"time", at}}));
	}
	if (std::string ev = evidence(vc, firing); !ev.empty())
		out += fmt::format("\n\n{}", ev);
	return out;
}

// A group reads in name order (the engine queues in no order a reader would know): by server,
// then kind and device.
static bool listed_before(const AlertMessage& a, const AlertMessage& b) {
	return std::tie(a.server_name, a.server_id, a.kind, a.device) <
	       std::tie(b.server_name, b.server_id, b.kind, b.device);
}

std::string group_firing_text(const ViewContext& vc, std::vector<GroupItem> items,
                              const GroupShared& shared) {
	std::stable_sort(items.begin(), items.end(), [](const GroupItem& a, const GroupItem& b) {
		return listed_before(a.firing, b.firing);
	});
	if (items.empty())
		return {};
	bool offline = is_offline(items.front().firing);
	bool critical = std::any_of(items.begin(), items.end(),
	                            [](const GroupItem& i) { return i.firing.severity == "critical"; });
	std::string count = std::to_string(items.size());
	// Some back, some still down: the head counts what is still down, so it never says "27
	// offline" over a list where two are back. All back: the message is the outage's record, and
	// its last line says all resolved.
	size_t back = static_cast<size_t>(
	    std::count_if(items.begin(), items.end(), [](const GroupItem& i) { return i.resolved.has_value(); }));
	std::string out =
	    offline && back > 0 && back < items.size() ? tr(vc.lang, "alerts.group_offline_some",
	                                                    {{"icon", critical ? "🔴" : "🟠"},
	                                                     {"count", std::to_string(items.size() - back)},
	                                                     {"back", std::to_string(back)}})
	    : offline ? tr(vc.lang, "alerts.group_offline", {{"icon", critical ? "🔴" : "🟠"}, {"count", count}})
	              : tr(vc.lang, "alerts.group_server",
	                   {{"icon", critical ? "🔴" : "🟠"},
	                    {"server", server(items.front().firing)},
	                    {"count", count}});
	for (size_t n = 0; n < items.size() && n < kGroupLines; ++n) {
		const AlertMessage& f = items[n].firing;
		const AlertMessage& shown = items[n].resolved ? *items[n].resolved : f;
		std::string icon = items[n].resolved ? "✅" : f.severity == "critical" ? "🔴" : "🟠";
		std::string line;
		if (offline)
			line = tr(vc.lang, items[n].resolved ? "alerts.group_item_back" : "alerts.group_item_offline",
			          {{"icon", icon},
			           {"server", server(f)},
			           {"held", items[n].resolved ? held(vc.lang, shown) : lasted(vc, f)}});
		else
			line = tr(
			    vc.lang, items[n].resolved ? "alerts.group_item_resolved" : "alerts.group_item",
			    {{"icon", icon},
			     {"what", what(vc.lang, f)},
			     {"value", f.value ? value(vc.lang, f, *f.value) : ""},
			     {"limit", fmt::format("{} {}", f.above ? "&gt;" : "&lt;", value(vc.lang, f, f.threshold))},
			     {"held", items[n].resolved ? held(vc.lang, shown) : lasted(vc, f)}});
		out.append("\n").append(line);
	}
	if (items.size() > kGroupLines)
		out.append("\n").append(
		    tr(vc.lang, "alerts.group_more", {{"count", std::to_string(items.size() - kGroupLines)}}));
	if (std::any_of(items.begin(), items.end(), [](const GroupItem& i) { return i.firing.quiet_until_ms; }))
		out.append("\n").append(tr(vc.lang, "alerts.quiet_held"));
	if (!shared.tags.empty()) {
		std::string tags;
		for (const std::string& t : shared.tags)
			tags += (tags.empty() ? "#" : " #") + escape_html(t);
		out.append("\n\n").append(tr(vc.lang, "alerts.group_tagged", {{"tags", tags}}));
	} else if (!shared.subnet.empty()) {
		out.append("\n\n").append(
		    tr(vc.lang, "alerts.group_subnet", {{"subnet", agent_text(shared.subnet)}}));
	}
	bool all_resolved =
	    std::all_of(items.begin(), items.end(), [](const GroupItem& i) { return i.resolved; });
	if (all_resolved) {
		int64_t last_ms = 0;
		for (const GroupItem& i : items)
			last_ms = std::max(last_ms, i.resolved->at_ms);
		out.append("\n\n").append(tr(vc.lang, "alerts.group_all_resolved",
		                             {{"time", format_short_time(last_ms, vc.time_zone, vc.now_ms)}}));
	}
	return out;
}

telegram::InlineKeyboard group_keyboard(const ViewContext& vc, const std::vector<GroupItem>& items) {
	if (items.empty() || is_offline(items.front().firing))
		return {};
	return alert_group_keyboard(vc, items.front().firing.server_id, items.front().firing.kind);
}

std::string group_notice_text(const ViewContext& vc, std::vector<AlertMessage> notices) {
	std::stable_sort(notices.begin(), notices.end(), listed_before);
	std::string out;
	for (size_t n = 0; n < notices.size() && n < kGroupLines; ++n)
		out.append(n ? "\n" : "").append(alert_text(vc, notices[n]));
	if (notices.size() > kGroupLines)
		out.append("\n").append(
		    tr(vc.lang, "alerts.group_more", {{"count", std::to_string(notices.size() - kGroupLines)}}));
	return out;
}

std::string top_processes_text(const ViewContext& vc, std::string_view server_name,
                               const store::LatestReport* latest) {
	std::string name = agent_text(server_name);
	std::string out = tr(vc.lang, "alerts.top_title", {{"server", name}});
	bool any = false;
	if (latest) {
		const Report& r = latest->report;
		for (bool by_cpu : {true, false}) {
			const auto& list = by_cpu ? r.top_cpu : r.top_memory;
			auto lines = list ? process_lines(*list, by_cpu, kMaxProcessLines) : std::vector<std::string>{};
			if (lines.empty())
				continue;
			const auto& measured = by_cpu ? latest->top_cpu_ms : latest->top_memory_ms;
			std::string ago = measured ? format_ago(vc.lang, *measured, vc.now_ms) : "";
			out +=
			    fmt::format("\n\n{}", tr(vc.lang, by_cpu ? "status.top_cpu_head" : "status.top_memory_head",
			                             {{"ago", ago}}));
			for (const std::string& l : lines)
				out.append("\n").append(l);
			any = true;
		}
	}
	return any ? out : tr(vc.lang, "alerts.top_none", {{"server", name}});
}

std::string sparkline_title(Lang lang, const AlertMessage& m) {
	const alerts::AlertKind* kind = alerts::find_kind(m.kind);
	std::string w = kind ? std::string(tr(lang, fmt::format("threshold.kind.{}", kind->name))) : m.kind;
	if (!m.device.empty())
		w += fmt::format(" {}", agent_plain_text(m.device, kLabelChars));
	return tr(lang, "alerts.chart_title", {{"what", w}, {"server", agent_plain_text(m.server_name)}});
}

charts::ChartKind chart_kind_of(std::string_view alert_kind) {
	using K = charts::ChartKind;
	if (alert_kind == "ram" || alert_kind == "swap")
		return K::memory;
	if (alert_kind == "disk" || alert_kind == "inodes")
		return K::disk;
	if (alert_kind == "load")
		return K::load;
	if (alert_kind == "net_in" || alert_kind == "net_out")
		return K::network;
	if (alert_kind == "io")
		return K::io;
	if (alert_kind == "temp")
		return K::temp;
	return K::cpu;
}

} // namespace serversan::bot::views
