#include "serversan/server/bot/alert_group.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "serversan/core/log.h"
#include "serversan/server/alerts/rule_catalog.h"

namespace serversan::bot {

namespace {

std::string group_state_key(int64_t chat_id, int64_t message_id) {
	return fmt::format("alert_group:{}:{}", chat_id, message_id);
}

} // namespace

std::string alert_group_key(const alerts::AlertMessage& m) {
	return m.kind == alerts::kMetricOffline ? "offline" : fmt::format("server:{}", m.server_id);
}

std::optional<store::OutboxMessage> firing_row(store::Store& store, const alerts::AlertMessage& m) {
	const alerts::AlertKind* kind = alerts::find_kind(m.kind);
	if (!kind)
		return std::nullopt;
	auto row = store.find_message(
	    alerts::alert_dedupe_key(m.server_id, kind->metric, m.device, m.started_ms, "firing"));
	if (!row.ok()) {
		log::warn("bot: cannot read the firing notice of server {} {}: {}", m.server_id, m.kind,
		          row.error().message);
		return std::nullopt;
	}
	return *row;
}

std::vector<GroupRow> group_mates(store::Store& store, const store::OutboxMessage& lead,
                                  const alerts::AlertMessage& notice, int64_t until_ms, size_t limit) {
	if (notice.state == alerts::NoticeState::forecast) // one disk's day: nothing to group with
		return {};
	std::optional<int64_t> reply_to;
	if (notice.state != alerts::NoticeState::firing) {
		auto f = firing_row(store, notice);
		if (!f || f->state != "sent" || !f->telegram_message_id)
			return {};
		reply_to = f->telegram_message_id;
	}
	auto due = store.due_messages(until_ms, limit);
	if (!due.ok()) {
		log::warn("bot: cannot read the outbox for alert groups: {}", due.error().message);
		return {};
	}
	std::string key = alert_group_key(notice);
	std::vector<GroupRow> out;
	for (auto& row : *due) {
		if (row.id == lead.id || row.chat_id != lead.chat_id || row.kind != alerts::kOutboxKindAlert)
			continue;
		auto m = alerts::decode_alert_message(row.payload);
		if (!m.ok() || m->state != notice.state || alert_group_key(*m) != key)
			continue;
		if (reply_to) {
			auto f = firing_row(store, *m);
			if (!f || f->telegram_message_id != reply_to)
				continue;
		}
		out.push_back({std::move(row), std::move(*m)});
	}
	// Oldest first, as the sender would have sent them one by one.
	std::sort(out.begin(), out.end(),
	          [](const GroupRow& a, const GroupRow& b) { return a.row.id < b.row.id; });
	return out;
}

void remember_group(store::Store& store, int64_t chat_id, int64_t message_id,
                    const std::vector<std::string>& firing_keys) {
	if (auto r =
	        store.set_bot_state(group_state_key(chat_id, message_id), nlohmann::json(firing_keys).dump());
	    !r.ok())
		log::warn("bot: cannot keep the alert group of message {}: {}", message_id, r.error().message);
}

std::optional<std::vector<std::string>> group_members(store::Store& store, int64_t chat_id,
                                                      int64_t message_id) {
	auto s = store.bot_state(group_state_key(chat_id, message_id));
	if (!s.ok() || !*s)
		return std::nullopt;
	auto j = nlohmann::json::parse(**s, nullptr, false);
	if (!j.is_array())
		return std::nullopt;
	std::vector<std::string> out;
	for (const auto& k : j)
		if (k.is_string())
			out.push_back(k.get<std::string>());
	return out;
}

} // namespace serversan::bot
