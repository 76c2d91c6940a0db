// /broadcast TEXT: a message from the admins to every user. The text is plain: it is escaped, so
// what the preview shows is exactly what users get. The preview names the number of recipients
// and has Send and Cancel; Send queues one outbox row per user who neither blocked the bot nor is
// banned, each with the dedupe key "broadcast:<n>:<user>", through the one paced sender.
//
// The draft lives in the store's bot_state ("broadcast:<n>", with its state), so Send acts once:
// a second press, or a press after a restart, finds it queued and says so. The rows are queued
// before the state is written; a crash in between leaves them queued, and their dedupe keys keep
// a second Send from doubling them. The rows are spread at 20 a second (not_before_ms), so a
// broadcast never holds up replies and alerts queued after it.
#include <nlohmann/json.hpp>

#include "serversan/core/encoding.h"
#include "serversan/core/log.h"
#include "serversan/server/bot/commands/admin_gate.h"
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/commands/server_pick.h"
#include "serversan/server/bot/html.h"

namespace serversan::bot::commands {

namespace {

using nlohmann::json;

constexpr std::string_view kSend = "bc", kDrop = "bcx";
constexpr const char* kLastKey = "broadcast.last";
// 20 a second: the sender's overall limit is 30, so replies and alerts keep a third of it while a
// broadcast to thousands goes out (10,000 users take about 8 minutes).
constexpr int64_t kSpacingMs = 50;

std::string draft_key(uint64_t n) {
	return "broadcast:" + std::to_string(n);
}

struct Draft {
	uint64_t n = 0;
	std::string html;            // escaped, as it is sent
	std::string state = "draft"; // "draft", "queued", "cancelled"
	uint64_t queued = 0;
};

Result<std::optional<Draft>> load(store::Store& store, std::string_view ref) {
	auto n = parse_u64(ref);
	if (!n)
		return std::optional<Draft>{};
	auto v = store.bot_state(draft_key(*n));
	if (!v.ok())
		return v.error();
	if (!*v)
		return std::optional<Draft>{};
	json j = json::parse(**v, nullptr, false);
	if (!j.is_object() || !j["html"].is_string() || !j["state"].is_string())
		return std::optional<Draft>{};
	return std::optional<Draft>(Draft{*n, j["html"], j["state"], j.value("queued", uint64_t{0})});
}

Result<void> save(store::Store& store, const Draft& d) {
	return store.set_bot_state(draft_key(d.n),
	                           json{{"html", d.html}, {"state", d.state}, {"queued", d.queued}}.dump());
}

// Who gets a broadcast: everyone who has not blocked the bot and is not banned.
Result<std::vector<int64_t>> recipients(store::Store& store) {
	auto users = store.list_users();
	if (!users.ok())
		return users.error();
	std::vector<int64_t> out;
	for (const auto& u : *users)
		if (!u.bot_blocked && u.role != "blocked")
			out.push_back(u.telegram_id);
	return out;
}

Result<void> preview(Context& ctx) {
	if (ctx.rest.empty()) {
		ctx.reply(ctx.t("admin.broadcast_usage"));
		return Ok();
	}
	Draft d;
	d.html = escape_html(ctx.rest);
	if (html_text_length(d.html) > kMaxMessageUnits) {
		ctx.reply(ctx.t("admin.broadcast_too_long", {{"max", std::to_string(kMaxMessageUnits)}}));
		return Ok();
	}
	auto to = recipients(ctx.s.store);
	if (!to.ok())
		return to.error();
	auto last = ctx.s.store.bot_state(kLastKey);
	if (!last.ok())
		return last.error();
	d.n = (*last ? parse_u64(**last).value_or(0) : 0) + 1;
	if (auto r = ctx.s.store.set_bot_state(kLastKey, std::to_string(d.n)); !r.ok())
		return r.error();
	if (auto r = save(ctx.s.store, d); !r.ok())
		return r.error();
	std::string n = std::to_string(to->size());
	telegram::InlineKeyboard kb{{{ctx.t("admin.broadcast_send", {{"n", n}}), button_data(kSend, d.n), {}},
	                             {ctx.t("common.cancel"), button_data(kDrop, d.n), {}}}};
	// The heading makes a text near the limit two messages; the buttons go under the last.
	auto pieces = split_html(ctx.t("admin.broadcast_preview", {{"n", n}}) + "\n\n" + d.html);
	for (size_t i = 0; i < pieces.size(); ++i)
		ctx.reply(std::move(pieces[i]), i + 1 == pieces.size() ? std::optional(kb) : std::nullopt);
	return Ok();
}

Result<void> send(Context& ctx) {
	auto d = load(ctx.s.store, ctx.rest);
	if (!d.ok())
		return d.error();
	if (!*d || (*d)->state == "cancelled") {
		ctx.answer(ctx.t("chat.stale_button"));
		return Ok();
	}
	Draft& draft = **d;
	if (draft.state == "draft") {
		auto to = recipients(ctx.s.store);
		if (!to.ok())
			return to.error();
		for (size_t i = 0; i < to->size(); ++i) {
			Reply r;
			r.chat_id = (*to)[i];
			r.text = draft.html;
			r.dedupe_key = draft_key(draft.n) + ":" + std::to_string(r.chat_id);
			r.not_before_ms = ctx.now_ms() + static_cast<int64_t>(i) * kSpacingMs;
			ctx.s.outgoing.send(std::move(r));
		}
		draft.state = "queued";
		draft.queued = to->size();
		if (auto r = save(ctx.s.store, draft); !r.ok())
			return r.error();
		log::info("bot: broadcast {} by {} queued for {} users", draft.n, ctx.user_id(), draft.queued);
	} else {
		ctx.answer(ctx.t("admin.broadcast_already"));
	}
	// In place of the preview (its last piece, the one with the buttons): the count, no text.
	ctx.show(ctx.t("admin.broadcast_queued", {{"n", std::to_string(draft.queued)}}));
	return Ok();
}

Result<void> drop(Context& ctx) {
	auto d = load(ctx.s.store, ctx.rest);
	if (!d.ok())
		return d.error();
	if (!*d || (*d)->state != "draft") {
		ctx.answer(ctx.t("chat.stale_button"));
		return Ok();
	}
	(*d)->state = "cancelled";
	if (auto r = save(ctx.s.store, **d); !r.ok())
		return r.error();
	ctx.show(ctx.t("chat.cancelled"));
	return Ok();
}

} // namespace

void add_broadcast(Router& r) {
	r.on_command("broadcast", admin_only(store::kPermAdmin, preview));
	r.on_button(std::string(kSend), admin_only(store::kPermAdmin, send));
	r.on_button(std::string(kDrop), admin_only(store::kPermAdmin, drop));
}

} // namespace serversan::bot::commands
