#include "serversan/server/bot/alert_notice.h"

#include "serversan/core/log.h"
#include "serversan/server/alerts/alert_message.h"
#include "serversan/server/alerts/delivery.h"
#include "serversan/server/alerts/rule_catalog.h"
#include "serversan/server/bot/chat_locale.h"
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
	std::optional<AlertMessage> notice;
};

Firing find_firing(store::Store& store, const AlertMessage& m) {
	Firing f;
	const alerts::AlertKind* kind = alerts::find_kind(m.kind);
	if (!kind)
		return f;
	auto row = store.find_message(
	    alerts::alert_dedupe_key(m.server_id, kind->metric, m.device, m.started_ms, "firing"));
	if (!row.ok()) {
		log::warn("bot: cannot read the firing notice of server {} {}: {}", m.server_id, m.kind,
		          row.error().message);
		return f;
	}
	if (!*row || (*row)->state != "sent")
		return f;
	f.message_id = (*row)->telegram_message_id;
	if (auto n = alerts::decode_alert_message((*row)->payload); n.ok())
		f.notice = std::move(*n);
	return f;
}

} // namespace

Result<AlertSend> render_alert(store::Store& store, const store::OutboxMessage& row, int64_t now_ms) {
	auto decoded = alerts::decode_alert_message(row.payload);
	if (!decoded.ok())
		return decoded.error();
	const AlertMessage& m = *decoded;
	ChatLocale locale = chat_locale(store, row.chat_id);
	views::ViewContext vc{locale.lang, locale.zone, now_ms};

	AlertSend out;
	Reply& r = out.first;
	r.chat_id = row.chat_id;
	r.text = views::alert_text(vc, m);
	r.silent = silent_for(locale.settings, m, now_ms);
	if (m.state == NoticeState::forecast) { // a text: the hour's sparkline says nothing of a day's fill
		r.keyboard = views::forecast_keyboard(vc, m.server_id);
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
		r.keyboard = views::alert_keyboard(vc, m.server_id, m.kind);
		return out;
	}
	if (firing.message_id && firing.notice) {
		Reply edit;
		edit.kind = Reply::Kind::edit_caption; // a text message's text if it has no photo
		edit.chat_id = row.chat_id;
		edit.message_id = firing.message_id;
		edit.text = views::resolved_firing_text(vc, *firing.notice, m);
		if (!row.dedupe_key.empty())
			edit.dedupe_key = row.dedupe_key + ":edit";
		out.then.push_back(std::move(edit));
	}
	return out;
}

} // namespace serversan::bot
