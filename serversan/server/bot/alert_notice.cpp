#include "serversan/server/bot/alert_notice.h"

#include <algorithm>

#include "serversan/core/log.h"
#include "serversan/server/alerts/alert_message.h"
#include "serversan/server/alerts/delivery.h"
#include "serversan/server/alerts/rule_catalog.h"
#include "serversan/server/bot/alert_group.h"
#include "serversan/server/bot/chat_locale.h"
#include "serversan/server/bot/group_shared.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/bot/views/alert_view.h"
#include "serversan/server/bot/views/chart_view.h"
#include "serversan/server/charts/chart.h"
#include "serversan/server/charts/render.h"
#include "serversan/server/store/metrics.h"

namespace serversan::bot {

namespace {

using alerts::AlertMessage;
using alerts::NoticeState;

// decide()'s rule for the sound alone: the gate already chose to send this notice (or to hold
// it until now), so only the chat's silent_warnings and the severity matter here.
bool silent_for(const store::ChatSettings& settings, const AlertMessage& m, int64_t now_ms) {
	store::ChatSettings sound_only;
	sound_only.chat_id = settings.chat_id;
	sound_only.silent_warnings = settings.silent_warnings;
	return alerts::decide(sound_only, m.kind, m.severity == "critical", {}, m.server_id, "UTC", now_ms)
	    .silent;
}

// The last hour with the threshold, or nothing (a kind without a stored series, no data, an error).
std::optional<std::string> sparkline(store::Store& store, const views::ViewContext& vc,
                                     const AlertMessage& m) {
	const alerts::AlertKind* kind = alerts::find_kind(m.kind);
	if (!kind || !store::find_metric(kind->metric))
		return std::nullopt;
	charts::SparklineRequest req;
	req.server_id = m.server_id;
	req.metric = std::string(kind->metric);
	req.device = m.device;
	req.title = views::sparkline_title(vc.lang, m);
	req.threshold = m.threshold;
	req.now_ms = m.at_ms; // the hour that fired, even if the notice was held
	req.words = views::chart_words(vc.lang);
	auto data = charts::load_sparkline(store, req);
	if (!data.ok() || data->empty()) {
		if (!data.ok())
			log::warn("bot: no sparkline for server {} {}: {}", m.server_id, m.kind, data.error().message);
		return std::nullopt;
	}
	auto pic = charts::render_sparkline(*data, charts::Theme::light, charts::kSparklineSize);
	if (!pic.ok()) {
		log::warn("bot: cannot draw the sparkline of server {} {}: {}", m.server_id, m.kind,
		          pic.error().message);
		return std::nullopt;
	}
	return std::move(pic->png);
}

struct Firing {
	std::optional<int64_t> message_id; // its Telegram message, once sent
	std::optional<int64_t> sent_ms;
	std::optional<AlertMessage> notice;
};

Firing find_firing(store::Store& store, const AlertMessage& m) {
	Firing f;
	auto row = firing_row(store, m);
	if (!row || row->state != "sent")
		return f;
	f.message_id = row->telegram_message_id;
	f.sent_ms = row->done_ms;
	if (auto n = alerts::decode_alert_message(row->payload); n.ok())
		f.notice = std::move(*n);
	return f;
}

// The grouped message redrawn: each member's firing notice, and its recovery if it was sent or is
// among the ones going out now.
std::vector<views::GroupItem> group_items(store::Store& store, const std::vector<std::string>& firing_keys,
                                          const std::vector<AlertMessage>& resolving) {
	std::vector<views::GroupItem> items;
	for (const std::string& key : firing_keys) {
		auto row = store.find_message(key);
		if (!row.ok() || !*row)
			continue;
		auto f = alerts::decode_alert_message((*row)->payload);
		if (!f.ok())
			continue;
		views::GroupItem item{std::move(*f), std::nullopt};
		for (const AlertMessage& r : resolving)
			if (r.server_id == item.firing.server_id && r.kind == item.firing.kind &&
			    r.device == item.firing.device && r.started_ms == item.firing.started_ms)
				item.resolved = r;
		const alerts::AlertKind* kind = alerts::find_kind(item.firing.kind);
		if (!item.resolved && kind) {
			const AlertMessage& fired = item.firing;
			auto rr = store.find_message(alerts::alert_dedupe_key(fired.server_id, kind->metric, fired.device,
			                                                      fired.started_ms, "resolved"));
			if (rr.ok() && *rr && (*rr)->state == "sent")
				if (auto n = alerts::decode_alert_message((*rr)->payload); n.ok())
					item.resolved = std::move(*n);
		}
		items.push_back(std::move(item));
	}
	return items;
}

std::vector<std::string> firing_keys(const std::vector<AlertMessage>& notices) {
	std::vector<std::string> keys;
	for (const AlertMessage& m : notices)
		if (const alerts::AlertKind* kind = alerts::find_kind(m.kind))
			keys.push_back(
			    alerts::alert_dedupe_key(m.server_id, kind->metric, m.device, m.started_ms, "firing"));
	return keys;
}

// The recovery the engine queued for a firing notice, if it has one (held with it through quiet
// hours): the firing then goes out as one message that says both.
std::optional<std::pair<store::OutboxMessage, AlertMessage>> queued_recovery(store::Store& store,
                                                                             const AlertMessage& m) {
	const alerts::AlertKind* kind = alerts::find_kind(m.kind);
	if (!kind)
		return std::nullopt;
	auto row = store.find_message(
	    alerts::alert_dedupe_key(m.server_id, kind->metric, m.device, m.started_ms, "resolved"));
	if (!row.ok() || !*row || (*row)->state == "dead")
		return std::nullopt;
	auto n = alerts::decode_alert_message((*row)->payload);
	if (!n.ok())
		return std::nullopt;
	return std::pair{std::move(**row), std::move(*n)};
}

} // namespace

Result<AlertSend> render_alert(store::Store& store, const store::OutboxMessage& row,
                               const std::vector<GroupRow>& mates, int64_t now_ms) {
	auto decoded = alerts::decode_alert_message(row.payload);
	if (!decoded.ok())
		return decoded.error();
	AlertMessage& m = *decoded;
	AlertSend out;
	if (m.state == NoticeState::reminder && m.quiet_until_ms && mates.empty())
		if (auto rec = queued_recovery(store, m); rec && rec->first.state == "queued") {
			// A reminder held through quiet hours whose alert resolved meanwhile: "still firing"
			// would be stale a second before the recovery; the recovery goes out in its place.
			out.covered.push_back(rec->first.id);
			m = std::move(rec->second);
		}
	ChatLocale locale = chat_locale(store, row.chat_id);
	views::ViewContext vc{locale.lang, locale.zone, now_ms};
	std::vector<AlertMessage> all{m};
	for (const GroupRow& g : mates)
		all.push_back(g.notice);

	Reply& r = out.first;
	r.chat_id = row.chat_id;
	// A group rings if any of its alerts would.
	r.silent = std::all_of(all.begin(), all.end(),
	                       [&](const AlertMessage& a) { return silent_for(locale.settings, a, now_ms); });
	if (m.state == NoticeState::firing && !mates.empty()) {
		std::vector<views::GroupItem> items;
		for (const AlertMessage& a : all) {
			views::GroupItem item{a, std::nullopt};
			// Held through quiet hours, some may have resolved meanwhile: listed as such, their
			// recovery rows go with this message (as for one alert, below).
			if (auto rec = a.quiet_until_ms ? queued_recovery(store, a) : std::nullopt) {
				item.resolved = rec->second;
				if (rec->first.state == "queued")
					out.covered.push_back(rec->first.id);
			}
			items.push_back(std::move(item));
		}
		r.text = views::group_firing_text(vc, items, group_shared(store, items));
		if (std::any_of(items.begin(), items.end(), [](const auto& i) { return !i.resolved; }))
			r.keyboard = views::group_keyboard(vc, items);
		else
			r.silent = true; // all over before it could be said: for the record
		out.group = firing_keys(all);
		return out;
	}
	r.text = mates.empty() ? views::alert_text(vc, m) : views::group_notice_text(vc, all);
	if (m.state == NoticeState::forecast) { // a text: the hour's sparkline says nothing of a day's fill
		r.keyboard = views::forecast_keyboard(vc, m.server_id);
		return out;
	}
	std::optional<std::pair<store::OutboxMessage, AlertMessage>> recovery;
	if (m.state == NoticeState::firing && m.quiet_until_ms)
		recovery = queued_recovery(store, m);
	if (recovery) {
		// Fired and resolved while held: one quiet message for the record, nothing to act on (so
		// no sound and only the chart), its chart up to the recovery; the recovery row goes with it.
		const AlertMessage& resolved = recovery->second;
		r.text = views::quiet_resolved_text(vc, m, resolved);
		r.silent = true;
		r.keyboard = views::chart_keyboard(vc, m.server_id, m.kind);
		AlertMessage episode = m;
		episode.at_ms = resolved.at_ms;
		if (html_text_length(r.text) <= kMaxCaptionUnits)
			if (auto png = sparkline(store, vc, episode)) {
				r.kind = Reply::Kind::photo;
				r.png = std::move(*png);
			}
		if (recovery->first.state == "queued")
			out.covered.push_back(recovery->first.id);
		return out;
	}
	if (m.state == NoticeState::firing) {
		r.keyboard = views::alert_keyboard(vc, m.server_id, m.kind);
		if (html_text_length(r.text) <= kMaxCaptionUnits)
			if (auto png = sparkline(store, vc, m)) {
				r.kind = Reply::Kind::photo;
				r.png = std::move(*png);
			}
		return out;
	}
	Firing firing = find_firing(store, m);
	r.reply_to = firing.message_id;
	if (m.state == NoticeState::reminder) {
		if (mates.empty())
			r.keyboard = views::alert_keyboard(vc, m.server_id, m.kind);
		else if (m.kind != alerts::kMetricOffline)
			r.keyboard = views::alert_group_keyboard(vc, m.server_id, m.kind);
		return out;
	}
	if (!firing.message_id || !firing.notice)
		return out;
	Reply edit;
	edit.chat_id = row.chat_id;
	edit.message_id = firing.message_id;
	if (!row.dedupe_key.empty())
		edit.dedupe_key = row.dedupe_key + ":edit";
	views::ViewContext as_sent = vc; // the firing part reads as it did when it went out
	if (firing.sent_ms)
		as_sent.now_ms = *firing.sent_ms;
	if (auto members = group_members(store, row.chat_id, *firing.message_id)) {
		// A grouped message: redrawn with what resolved, its buttons kept while any still fires.
		auto items = group_items(store, *members, all);
		bool open = std::any_of(items.begin(), items.end(), [](const auto& i) { return !i.resolved; });
		edit.kind = Reply::Kind::edit_text;
		edit.text = views::group_firing_text(as_sent, items, group_shared(store, items));
		if (open)
			edit.keyboard = views::group_keyboard(vc, items);
	} else {
		edit.kind = Reply::Kind::edit_caption; // a text message's text if it has no photo
		edit.text = views::resolved_firing_text(as_sent, *firing.notice, m);
	}
	out.then.push_back(std::move(edit));
	return out;
}

} // namespace serversan::bot
