#include "serversan/server/alerts/digest.h"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "serversan/core/log.h"
#include "serversan/server/alerts/alert_message.h"
#include "serversan/server/alerts/chat_zone.h"
#include "serversan/server/alerts/offline.h"
#include "serversan/server/alerts/quiet_hours.h"
#include "serversan/server/alerts/rule_catalog.h"
#include "serversan/server/alerts/values.h"
#include "serversan/server/alerts/zone_time.h"

namespace serversan::alerts {

namespace {

constexpr int64_t kStaleMs = 3'600'000; // as the hourly forecast: a silent server is not fitted
constexpr std::string_view kTrendKinds[] = {"cpu", "ram", "swap", "disk"};

bool same(const DigestAlert& a, std::string_view kind, std::string_view device, int64_t started_ms) {
	return a.kind == kind && a.device == device && a.started_ms == started_ms;
}

DigestServer server_state(const store::ServerRecord& rec, const store::LatestReport* latest, int64_t now_ms) {
	DigestServer d;
	d.id = rec.id;
	d.name = rec.name;
	d.last_seen_ms = rec.last_seen_ms;
	int64_t interval_ms = 60'000;
	if (latest && latest->report.interval_s && *latest->report.interval_s > 0)
		interval_ms = static_cast<int64_t>(*latest->report.interval_s * 1000);
	d.online = rec.last_seen_ms && now_ms - *rec.last_seen_ms <= offline_after_ms(interval_ms, 0);
	if (!latest)
		return d;
	std::optional<uint32_t> cores;
	if (rec.host)
		cores = rec.host->cpu_logical;
	std::vector<KindValue> values;
	report_values(latest->report, cores, values);
	for (const KindValue& v : values) {
		if (v.kind->name == "cpu")
			d.cpu = v.value;
		else if (v.kind->name == "ram")
			d.ram = v.value;
		else if (v.kind->name == "disk" && (!d.disk || v.value > *d.disk)) {
			d.disk = v.value;
			d.disk_mount = std::string(v.device);
		}
	}
	return d;
}

// The server's alerts of [from_ms, now): its notices to this chat in that span, and what fires now.
void collect_alerts(store::Store& store, int64_t chat_id, const store::ServerRecord& rec,
                    const std::vector<store::AlertState>& states, std::span<const store::AlertRule> rules,
                    int64_t from_ms, std::vector<DigestAlert>& out) {
	const size_t first = out.size();
	auto entry = [&](std::string_view kind, std::string_view device, int64_t started_ms) -> DigestAlert& {
		for (size_t i = first; i < out.size(); ++i)
			if (same(out[i], kind, device, started_ms))
				return out[i];
		DigestAlert& a = out.emplace_back();
		a.server_id = rec.id;
		a.server_name = rec.name;
		a.kind = std::string(kind);
		a.device = std::string(device);
		a.started_ms = started_ms;
		return a;
	};
	auto rows = store.messages_with_key_prefix(alert_key_prefix(rec.id), from_ms);
	if (!rows.ok())
		log::warn("digest: no alert notices of server {}: {}", rec.id, rows.error().message);
	for (const store::OutboxMessage& row : rows.ok() ? *rows : std::vector<store::OutboxMessage>{}) {
		if (row.chat_id != chat_id || row.kind != kOutboxKindAlert || row.state == "dead")
			continue;
		auto m = decode_alert_message(row.payload);
		if (!m.ok() || m->state == NoticeState::forecast)
			continue;
		DigestAlert& a = entry(m->kind, m->device, m->started_ms);
		a.severity = m->severity;
		a.above = m->above;
		a.threshold = m->threshold;
		if (m->state == NoticeState::firing || !a.value)
			a.value = m->value;
		if (m->state == NoticeState::resolved)
			a.resolved_ms = m->at_ms;
	}
	// Firing through the whole span (its firing notice older than the span): from its state.
	for (const store::AlertState& st : states) {
		const AlertKind* kind = kind_of_metric(st.metric);
		if (!kind || st.state != "firing" || !st.notified_ms)
			continue;
		DigestAlert& a = entry(kind->name, st.device, st.since_ms);
		if (!a.value) {
			store::AlertRule rule = effective_rule(rules, rec.id, *kind, st.device).rule;
			a.value = st.value;
			a.threshold = rule.threshold;
			a.severity = rule.severity;
			a.above = rule.op != "<";
		}
	}
	// A notice without its "resolved" whose alert no longer fires (its rule was turned off): over
	// when the state says it changed, not "still firing".
	for (size_t i = first; i < out.size(); ++i) {
		DigestAlert& a = out[i];
		if (a.resolved_ms)
			continue;
		const AlertKind* kind = find_kind(a.kind);
		for (const store::AlertState& st : states)
			if (kind && st.metric == kind->metric && st.device == a.device && st.state != "firing" &&
			    st.since_ms >= a.started_ms)
				a.resolved_ms = st.since_ms;
	}
}

std::optional<double> day_average(store::Store& store, uint64_t server_id, std::string_view metric,
                                  std::string_view device, int64_t now_ms) {
	store::SeriesQuery q;
	q.server_id = server_id;
	q.metric = std::string(metric);
	q.device = std::string(device);
	q.from_ms = now_ms - kDigestSpanMs;
	q.to_ms = now_ms + 1;
	q.now_ms = now_ms;
	q.tier = store::Tier::m5;
	auto s = store.series(q);
	if (!s.ok() || s->points.empty())
		return std::nullopt;
	double sum = 0;
	for (const store::SeriesPoint& p : s->points)
		sum += p.avg;
	return sum / static_cast<double>(s->points.size());
}

// Disks predicted full, and kinds whose day averaged close under their threshold; not what fires.
void collect_trends(store::Store& store, const store::ServerRecord& rec, const store::LatestReport& latest,
                    const std::vector<store::AlertState>& states, std::span<const store::AlertRule> rules,
                    int64_t now_ms, const ForecastOptions& forecast, std::vector<DigestTrend>& out) {
	auto firing = [&](const AlertKind& kind, std::string_view device) {
		return std::any_of(states.begin(), states.end(), [&](const store::AlertState& st) {
			return st.metric == kind.metric && st.device == device && st.state == "firing";
		});
	};
	auto trend = [&](std::string_view kind, std::string_view device) -> DigestTrend& {
		DigestTrend& t = out.emplace_back();
		t.server_id = rec.id;
		t.server_name = rec.name;
		t.kind = std::string(kind);
		t.device = std::string(device);
		return t;
	};
	const AlertKind& disk = *find_kind("disk");
	std::vector<std::string> forecast_mounts;
	std::vector<std::string> mounts;
	for (const Filesystem& fs : latest.report.filesystems) {
		if (is_pseudo_filesystem(fs.type) || !fs.total || *fs.total == 0)
			continue;
		mounts.push_back(fs.mount);
		if (firing(disk, fs.mount))
			continue;
		if (auto f = forecast_mount(store, rec.id, fs.mount, *fs.total, now_ms, forecast)) {
			DigestTrend& t = trend("disk", fs.mount);
			t.threshold = 100;
			t.full_ms = f->full_ms;
			t.fill_per_s = f->fill_per_s;
			forecast_mounts.push_back(fs.mount);
		}
	}
	for (std::string_view name : kTrendKinds) {
		const AlertKind& kind = *find_kind(name);
		std::vector<std::string> devices = kind.per_device ? mounts : std::vector<std::string>{""};
		for (const std::string& device : devices) {
			if (firing(kind, device) ||
			    std::find(forecast_mounts.begin(), forecast_mounts.end(), device) != forecast_mounts.end())
				continue;
			store::AlertRule rule = effective_rule(rules, rec.id, kind, device).rule;
			if (!rule.enabled || rule.op == "<")
				continue;
			auto avg = day_average(store, rec.id, kind.metric, device, now_ms);
			if (avg && *avg < rule.threshold && *avg >= rule.threshold - kTrendMarginPoints) {
				DigestTrend& t = trend(name, device);
				t.average = avg;
				t.threshold = rule.threshold;
			}
		}
	}
}

} // namespace

std::optional<std::string> digest_day_due(int hour, std::string_view zone, int64_t now_ms) {
	if (hour < 0 || hour > 23)
		return std::nullopt;
	const LocalClock now = local_clock(zone, now_ms);
	if (now_ms < local_instant(zone, now.day, hour * 60))
		return std::nullopt;
	return local_date(now.day);
}

std::string digest_dedupe_key(int64_t chat_id, std::string_view day) {
	return fmt::format("digest:{}:{}", chat_id, day);
}

Result<Digest> build_digest(store::Store& store, int64_t chat_id,
                            const std::vector<store::ServerRecord>& servers, int64_t now_ms,
                            const ForecastOptions& forecast) {
	auto rules = store.list_alert_rules(chat_id);
	if (!rules.ok())
		return rules.error();
	Digest d;
	d.from_ms = now_ms - kDigestSpanMs;
	d.at_ms = now_ms;
	std::vector<store::ServerRecord> sorted = servers;
	std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
	for (const store::ServerRecord& rec : sorted) {
		auto latest = store.latest(rec.id);
		const store::LatestReport* last = latest.ok() && *latest ? &**latest : nullptr;
		d.servers.push_back(server_state(rec, last, now_ms));
		auto states = store.alert_states(rec.id);
		if (!states.ok())
			return states.error();
		collect_alerts(store, chat_id, rec, *states, *rules, d.from_ms, d.alerts);
		if (last && rec.last_seen_ms && *rec.last_seen_ms >= now_ms - kStaleMs)
			collect_trends(store, rec, *last, *states, *rules, now_ms, forecast, d.trends);
	}
	std::stable_sort(d.alerts.begin(), d.alerts.end(),
	                 [](const auto& a, const auto& b) { return a.started_ms < b.started_ms; });
	return d;
}

Result<DigestStats> queue_digests(store::Store& store, int64_t now_ms, const ForecastOptions& forecast) {
	auto servers = store.list_servers();
	if (!servers.ok())
		return servers.error();
	std::map<int64_t, std::vector<store::ServerRecord>> by_chat;
	for (store::ServerRecord& rec : *servers)
		if (rec.owner_chat)
			by_chat[*rec.owner_chat].push_back(std::move(rec));
	DigestStats stats;
	for (const auto& [chat, list] : by_chat) {
		auto settings = store.chat_settings(chat);
		if (!settings.ok()) {
			log::warn("digest: no settings of chat {}: {}", chat, settings.error().message);
			continue;
		}
		if (!settings->notify || !settings->digest_hour)
			continue;
		++stats.chats;
		const std::string zone = chat_zone(store, *settings);
		auto day = digest_day_due(*settings->digest_hour, zone, now_ms);
		if (!day)
			continue;
		const std::string key = digest_dedupe_key(chat, *day);
		if (auto old = store.find_message(key); !old.ok() || *old)
			continue; // sent, queued or given up today (or unknown: the next run asks again)
		auto d = build_digest(store, chat, list, now_ms, forecast);
		if (!d.ok()) {
			log::warn("digest: chat {}: {}", chat, d.error().message);
			continue;
		}
		d->day = *day;
		if (settings->quiet_from_min && settings->quiet_to_min)
			d->silent =
			    quiet_until(*settings->quiet_from_min, *settings->quiet_to_min, zone, now_ms).has_value();
		store::OutboxMessage row;
		row.chat_id = chat;
		row.kind = std::string(kOutboxKindDigest);
		row.payload = encode(*d);
		row.dedupe_key = key;
		row.created_ms = row.next_attempt_ms = now_ms;
		if (auto r = store.record_alerts({}, {row}); !r.ok())
			return r.error();
		++stats.queued;
	}
	return stats;
}

} // namespace serversan::alerts
