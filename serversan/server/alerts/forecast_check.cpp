#include "serversan/server/alerts/forecast_check.h"

#include <algorithm>

#include "serversan/core/log.h"
#include "serversan/server/alerts/rule_catalog.h"
#include "serversan/server/alerts/values.h"

namespace serversan::alerts {

namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kStaleMs = 3'600'000; // a server silent this long is the offline alert's news
constexpr std::string_view kUsedMetric = "fs.used";

int64_t day_of(int64_t ms) {
	return (ms >= 0 ? ms : ms - kDayMs + 1) / kDayMs;
}

// The newest forecast notice of this mount whose predicted day is still ahead, if any: the
// predicted days a notice made within the horizon could name are few, one key lookup each.
std::optional<AlertMessage> last_notified(store::Store& store, uint64_t server_id, std::string_view mount,
                                          int64_t now_ms, int64_t horizon_ms) {
	std::optional<AlertMessage> best;
	for (int64_t d = day_of(now_ms); d <= day_of(now_ms + horizon_ms) + 1; ++d) {
		auto row = store.find_message(forecast_dedupe_key(server_id, mount, d * kDayMs));
		if (!row.ok() || !*row || (*row)->state == "dead")
			continue;
		auto m = decode_alert_message((*row)->payload);
		if (!m.ok() || !m->evidence.full_ms || *m->evidence.full_ms < now_ms)
			continue;
		if (!best || m->at_ms > best->at_ms)
			best = std::move(*m);
	}
	return best;
}

std::vector<UsedPoint> used_points(store::Store& store, uint64_t server_id, const std::string& mount,
                                   int64_t now_ms, int64_t window_ms) {
	store::SeriesQuery q;
	q.server_id = server_id;
	q.metric = std::string(kUsedMetric);
	q.device = mount;
	q.from_ms = now_ms - window_ms;
	q.to_ms = now_ms + 1;
	q.now_ms = now_ms;
	q.tier = store::Tier::m5;
	std::vector<UsedPoint> out;
	auto s = store.series(q);
	if (!s.ok()) {
		log::warn("alerts: no fs.used series for server {} {}: {}", server_id, mount, s.error().message);
		return out;
	}
	out.reserve(s->points.size());
	for (const store::SeriesPoint& p : s->points)
		out.push_back({p.ts_ms, p.avg});
	return out;
}

// The mounts whose disk alert fires on this server (read only for a server with a prediction).
std::vector<std::string> firing_disks(store::Store& store, uint64_t server_id) {
	std::vector<std::string> out;
	static const std::string_view metric = find_kind("disk")->metric;
	if (auto states = store.alert_states(server_id); states.ok())
		for (const store::AlertState& st : *states)
			if (st.metric == metric && st.state == "firing")
				out.push_back(st.device);
	return out;
}

} // namespace

std::optional<DiskForecast> forecast_mount(store::Store& store, uint64_t server_id, const std::string& mount,
                                           uint64_t total, int64_t now_ms, const ForecastOptions& options) {
	return forecast_full(used_points(store, server_id, mount, now_ms, options.window_ms),
	                     static_cast<double>(total), options.horizon_ms);
}

bool moved_much_closer(int64_t old_full_ms, int64_t old_at_ms, int64_t new_full_ms) {
	int64_t needed = std::max(kDayMs, (old_full_ms - old_at_ms) / 2);
	return new_full_ms <= old_full_ms - needed;
}

std::string forecast_dedupe_key(uint64_t server_id, std::string_view mount, int64_t full_ms) {
	return alert_dedupe_key(server_id, kUsedMetric, mount, day_of(full_ms) * kDayMs, "forecast");
}

Result<ForecastStats> check_disk_forecasts(store::Store& store, const DeliveryGate& gate, int64_t now_ms,
                                           const ForecastOptions& options) {
	auto servers = store.list_servers();
	if (!servers.ok())
		return servers.error();
	ForecastStats stats;
	std::vector<store::OutboxMessage> out;
	for (const store::ServerRecord& s : *servers) {
		if (!s.owner_chat || !s.last_seen_ms || *s.last_seen_ms < now_ms - kStaleMs)
			continue;
		auto latest = store.latest(s.id);
		if (!latest.ok() || !*latest)
			continue;
		std::optional<std::vector<std::string>> firing; // read once, at the first prediction
		for (const Filesystem& fs : (*latest)->report.filesystems) {
			if (is_pseudo_filesystem(fs.type) || !fs.total || *fs.total == 0)
				continue;
			++stats.filesystems;
			auto f = forecast_mount(store, s.id, fs.mount, *fs.total, now_ms, options);
			if (!f)
				continue;
			++stats.predicted;
			if (!firing)
				firing = firing_disks(store, s.id);
			if (std::find(firing->begin(), firing->end(), fs.mount) != firing->end()) {
				++stats.firing;
				continue;
			}
			if (auto old = last_notified(store, s.id, fs.mount, now_ms, options.horizon_ms);
			    old && !moved_much_closer(*old->evidence.full_ms, old->at_ms, f->full_ms))
				continue;
			AlertMessage m;
			m.server_id = s.id;
			m.server_name = s.name;
			m.kind = "disk";
			m.device = fs.mount;
			m.state = NoticeState::forecast;
			m.value = 100.0 * f->used / static_cast<double>(*fs.total);
			m.threshold = 100;
			m.clear = 100;
			m.for_s = options.window_ms / 1000;
			m.started_ms = f->from_ms;
			m.at_ms = now_ms;
			m.held_s = (now_ms - f->from_ms) / 1000;
			m.evidence.bytes_left = static_cast<uint64_t>(f->left);
			m.evidence.total = *fs.total;
			m.evidence.fill_per_s = f->fill_per_s;
			m.evidence.full_ms = f->full_ms;
			DeliveryVerdict v = gate ? gate(*s.owner_chat, m, now_ms) : DeliveryVerdict{};
			if (!v.send)
				continue;
			m.silent = v.silent;
			store::OutboxMessage row;
			row.chat_id = *s.owner_chat;
			row.kind = std::string(kOutboxKindAlert);
			row.payload = encode(m);
			row.dedupe_key = forecast_dedupe_key(s.id, fs.mount, f->full_ms);
			row.created_ms = now_ms;
			row.next_attempt_ms = std::max(v.at_ms, now_ms);
			out.push_back(std::move(row));
			++stats.notices;
		}
	}
	if (!out.empty())
		if (auto r = store.record_alerts({}, out); !r.ok())
			return r.error();
	return stats;
}

} // namespace serversan::alerts
