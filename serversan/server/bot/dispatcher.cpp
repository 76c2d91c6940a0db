#include "serversan/server/bot/dispatcher.h"

#include <exception>

#include "serversan/core/log.h"
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/context.h"
#include "serversan/server/bot/group_members.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/bot/registration.h"
#include "serversan/server/bot/router.h"
#include "serversan/server/bot/seen_updates.h"
#include "serversan/server/bot/throttle.h"

namespace serversan::bot {

namespace {

// Telegram sends at most 4096 characters; a longer text is not from Telegram and is refused before
// any parsing or store work.
constexpr size_t kMaxTextBytes = 4 * kMaxMessageUnits;

class Dispatcher final : public UpdateHandler {
public:
	Dispatcher(store::Store& store, Outgoing& outgoing, const Clock& clock, ChatAdmins& admins,
	           BotSettings settings)
	    : settings_(std::move(settings)), services_{store, outgoing, clock, admins, settings_, dialogs_},
	      members_(store) {
		commands::add_all(router_);
	}

	void handle(const telegram::Update& u) override {
		if (!seen_.first_time(u.update_id)) {
			log::debug("bot: update {} delivered again, skipped", u.update_id);
			return;
		}
		try {
			switch (u.kind) {
			case telegram::Update::Kind::message:
				if (u.message)
					on_message(*u.message);
				return;
			case telegram::Update::Kind::callback_query:
				if (u.callback_query)
					on_button(*u.callback_query);
				return;
			case telegram::Update::Kind::my_chat_member:
				if (u.my_chat_member)
					on_member_change(*u.my_chat_member);
				return;
			default:
				// Edits are not re-run (an edited "/delete" must not act twice); unknown and
				// malformed kinds are confirmed and skipped.
				log::debug("bot: update {} skipped (not a message or button)", u.update_id);
			}
		} catch (const std::exception& e) {
			log::error("bot: update {} failed: {}", u.update_id, e.what());
		}
	}

private:
	// A lone reply for whoever sent the update, before a Context exists.
	void say(int64_t chat, std::optional<int64_t> thread, Lang lang, std::string_view key) {
		Reply r;
		r.chat_id = chat;
		r.thread_id = thread;
		r.text = std::string(tr(lang, key));
		services_.outgoing.send(std::move(r));
	}
	void toast(const telegram::CallbackQuery& q, Lang lang, std::string_view key) {
		Reply r;
		r.kind = Reply::Kind::answer_callback;
		r.chat_id = q.message ? q.message->chat.id : q.from.id;
		r.callback_query_id = q.id;
		r.text = std::string(tr(lang, key));
		services_.outgoing.send(std::move(r));
	}

	// The front layer shared by messages and buttons: throttle, register, drop the banned.
	// Returns the user, or nothing when the update ends here.
	std::optional<store::User> admit(const telegram::User& from, bool refresh,
	                                 const std::function<void(Lang, std::string_view)>& tell) {
		Lang lang = language_for(from.language_code);
		switch (throttle_.take(from.id, services_.clock.unix_millis())) {
		case Throttle::Verdict::pass:
			break;
		case Throttle::Verdict::notice:
			log::info("bot: user {} throttled", from.id);
			tell(lang, "chat.slow_down");
			return std::nullopt;
		case Throttle::Verdict::drop:
			return std::nullopt;
		}
		auto user =
		    register_user(services_.store, settings_.admins, from, refresh, services_.clock.unix_millis());
		if (!user.ok()) {
			log::warn("bot: registering user {} failed: {}", from.id, user.error().message);
			tell(lang, "common.error");
			return std::nullopt;
		}
		if (user->role == "blocked")
			return std::nullopt; // banned users get nothing, not even a refusal
		return std::move(*user);
	}

	void on_message(const telegram::Message& m) {
		if (!m.from || m.from->is_bot || m.chat.type == "channel")
			return;
		std::optional<int64_t> thread = m.chat.is_forum ? m.message_thread_id : std::nullopt;
		std::optional<ParsedCommand> cmd;
		if (m.text.size() <= kMaxTextBytes) {
			cmd = parse_command(m.text, settings_.bot_username);
			if (cmd && !cmd->for_us)
				return; // "/cmd@otherbot": another bot's command
		}
		// A group that chose a language hears the front layer's notices in it too, as every reply
		// (context.cpp); read only when a notice goes out, so a throttled flood costs no store reads.
		auto user = admit(*m.from, cmd && cmd->name == "start", [&](Lang l, std::string_view key) {
			if (m.chat.type != "private")
				if (auto s = services_.store.chat_settings(m.chat.id); s.ok() && !s->language.empty())
					l = language_for(s->language);
			say(m.chat.id, thread, l, key);
		});
		if (!user)
			return;
		Context ctx(services_, m.chat.id, m.chat.type == "private", thread, std::move(*user));
		if (m.text.size() > kMaxTextBytes) {
			ctx.reply(ctx.t("chat.too_long"));
			return;
		}
		const Handler* h = nullptr;
		std::string what;
		if (cmd) {
			// A new command ends the open dialog; the handler may open its own.
			ctx.dialog_ended = dialogs_.end(ctx.chat_id, ctx.user_id(), ctx.now_ms());
			ctx.rest = cmd->rest;
			ctx.args = split_args(cmd->rest);
			ctx.named = cmd->named;
			h = router_.command(cmd->name);
			what = "/" + cmd->name;
			// A command for us in a group: the web may now ask Telegram about this user there.
			if (!ctx.private_chat && (h || cmd->named))
				members_.note(m.chat.id, m.from->id, m.chat.title, ctx.now_ms());
			if (!h) {
				// In a group a bare "/cmd" we do not know is likely another bot's.
				if (ctx.private_chat || cmd->named)
					ctx.reply(ctx.t("chat.unknown_command"));
				return;
			}
		} else if (auto d = dialogs_.get(ctx.chat_id, ctx.user_id(), ctx.now_ms()); d && !m.text.empty()) {
			ctx.rest = m.text;
			ctx.args = split_args(m.text);
			ctx.dialog_server = d->server_id;
			h = router_.dialog(d->step);
			what = "dialog " + d->step;
		}
		if (!h) {
			// Free text without a dialog: a hint in private; silence in groups, where people talk.
			if (ctx.private_chat)
				ctx.reply(ctx.t("chat.hint"));
			return;
		}
		run(ctx, *h, what);
	}

	void on_button(const telegram::CallbackQuery& q) {
		if (!q.message) {
			// An inline-mode message: the bot sends none, so this button is not ours.
			toast(q, language_for(q.from.language_code), "chat.stale_button");
			return;
		}
		const telegram::Message& m = *q.message;
		auto user = admit(q.from, false, [&](Lang l, std::string_view key) { toast(q, l, key); });
		if (!user)
			return;
		Context ctx(services_, m.chat.id, m.chat.type == "private",
		            m.chat.is_forum ? m.message_thread_id : std::nullopt, std::move(*user));
		ctx.callback_id = q.id;
		ctx.message_id = m.message_id;
		if (!ctx.private_chat)
			members_.note(m.chat.id, q.from.id, m.chat.title, ctx.now_ms());
		auto [prefix, payload] = split_callback(q.data);
		const Handler* h = router_.button(prefix);
		if (!h) {
			ctx.answer(ctx.t("chat.stale_button"));
			return;
		}
		ctx.rest = std::string(payload);
		run(ctx, *h, "button " + std::string(prefix));
		ctx.answer(); // exactly once: a no-op if the handler answered
	}

	// A user who blocks the bot in their private chat ("kicked") is not sent anything until they
	// unblock it ("member"); the sender learns the same from a 403, this just learns it sooner.
	void on_member_change(const telegram::ChatMemberUpdated& c) {
		if (c.chat.type != "private" || (c.new_status != "kicked" && c.new_status != "member"))
			return;
		auto user = services_.store.find_user(c.from.id);
		if (!user.ok()) {
			log::warn("bot: reading user {} failed: {}", c.from.id, user.error().message);
			return;
		}
		bool blocked = c.new_status == "kicked";
		if (!*user || (*user)->bot_blocked == blocked)
			return;
		(*user)->bot_blocked = blocked;
		if (auto r = services_.store.update_user(**user); !r.ok())
			log::warn("bot: marking user {} failed: {}", c.from.id, r.error().message);
	}

	void run(Context& ctx, const Handler& h, const std::string& what) {
		auto r = h(ctx);
		if (r.ok())
			return;
		log::warn("bot: {} failed in chat {}: {}", what, ctx.chat_id, r.error().message);
		if (ctx.is_callback() && !ctx.answered())
			ctx.answer(ctx.t("common.error"), true);
		else
			ctx.reply(ctx.t("common.error"));
	}

	BotSettings settings_;
	Dialogs dialogs_;
	Services services_;
	Router router_;
	Throttle throttle_;
	SeenUpdates seen_;
	GroupMembers members_;
};

} // namespace

std::unique_ptr<UpdateHandler> make_dispatcher(store::Store& store, Outgoing& outgoing, const Clock& clock,
                                               ChatAdmins& admins, BotSettings settings) {
	return std::make_unique<Dispatcher>(store, outgoing, clock, admins, std::move(settings));
}

} // namespace serversan::bot
