#include "serversan/server/bot/sender.h"

#include <algorithm>
#include <random>
#include <thread>

#include <fmt/format.h>

#include "serversan/core/log.h"
#include "serversan/server/alerts/alert_message.h"
#include "serversan/server/alerts/digest_message.h"
#include "serversan/server/bot/alert_group.h"
#include "serversan/server/bot/alert_notice.h"
#include "serversan/server/bot/digest_notice.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/bot/reply_codec.h"

namespace serversan::bot {

using telegram::ApiError;

Sender::Sender(store::Store& store, std::unique_ptr<telegram::ApiClient> api, const Clock& clock,
               SenderOptions options)
    : store_(store), api_(std::move(api)), clock_(clock),
      pace_clock_(options.pace_clock ? *options.pace_clock : clock), options_(options),
      pacer_(options.limits) {}

Sender::~Sender() {
	stop();
}

void Sender::enqueue(const Reply& r, int64_t now_ms) {
	store::OutboxMessage m;
	m.chat_id = r.chat_id;
	m.kind = kOutboxReply;
	m.payload = encode_reply(r);
	m.dedupe_key = r.dedupe_key;
	m.handled_event = r.handled_event;
	m.created_ms = now_ms;
	m.next_attempt_ms = std::max(now_ms, r.not_before_ms.value_or(now_ms));
	if (auto id = store_.enqueue_message(m); !id.ok())
		log::error("bot: cannot queue a message to chat {}: {}", r.chat_id, id.error().message);
}

void Sender::send(Reply r) {
	int64_t now = clock_.unix_millis();
	if (r.kind == Reply::Kind::answer_callback) {
		std::lock_guard lock(mu_);
		callbacks_.push_back(std::move(r));
	} else if ((r.kind == Reply::Kind::send || r.kind == Reply::Kind::edit_text) &&
	           html_text_length(r.text) > kMaxMessageUnits) {
		// Each piece its own row: a failure later on never resends the pieces already delivered.
		auto pieces = split_html(r.text);
		for (size_t i = 0; i < pieces.size(); ++i) {
			Reply piece = r;
			piece.text = std::move(pieces[i]);
			if (i > 0)
				piece.kind = Reply::Kind::send;
			if (i + 1 < pieces.size()) {
				piece.keyboard.reset();
				piece.handled_event.reset(); // the event is handled once its last piece is queued
			}
			if (!r.dedupe_key.empty()) {
				piece.dedupe_key = r.dedupe_key;
				piece.dedupe_key += ':';
				piece.dedupe_key += std::to_string(i);
			}
			enqueue(piece, now);
		}
	} else {
		enqueue(r, now);
	}
	worker_.wake();
}

void Sender::answer_callbacks() {
	while (pacer_.global_wait_ms(pace_ms()) == 0) {
		Reply r;
		{
			std::lock_guard lock(mu_);
			if (callbacks_.empty())
				return;
			r = std::move(callbacks_.front());
			callbacks_.pop_front();
		}
		pacer_.sent_global(pace_ms());
		// A spinner that stops late is harmless, a failed answer cannot be retried usefully.
		if (auto a = api_->answer_callback_query(r.callback_query_id, r.text, r.show_alert); !a.ok())
			log::debug("bot: callback answer failed: {}", a.error().message());
	}
}

bool Sender::user_blocked(int64_t chat_id) {
	if (chat_id <= 0)
		return false;
	auto u = store_.find_user(chat_id);
	// Banned ("blocked" role): their servers keep reporting, but nothing reaches them.
	return u.ok() && *u && ((*u)->bot_blocked || (*u)->role == "blocked");
}

void Sender::mark_blocked(int64_t chat_id) {
	auto u = store_.find_user(chat_id);
	if (!u.ok() || !*u || (*u)->bot_blocked)
		return;
	store::User user = **u;
	user.bot_blocked = true;
	if (auto r = store_.update_user(user); !r.ok())
		log::warn("bot: cannot mark user {} as having blocked the bot: {}", chat_id, r.error().message);
	else
		log::info("bot: user {} blocked the bot; nothing more is sent until /start", chat_id);
}

void Sender::drain() {
	// The pace may be real seconds (pace_clock): then this waits for it, a few seconds at most.
	const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
	while (std::chrono::steady_clock::now() < give_up) {
		auto wait = step();
		// Left due: a follow-up queued by this pass (an edit after its alert), or rows held by the pace.
		auto due = store_.due_messages(clock_.unix_millis(), 1);
		if (!due.ok() || due->empty())
			return;
		std::this_thread::sleep_for(std::min(wait, std::chrono::milliseconds(100)));
	}
	log::warn("bot: the outbox still has messages due after 30 s of draining");
}

std::chrono::milliseconds Sender::step() {
	std::lock_guard stepping(step_mu_);
	int64_t now = clock_.unix_millis();
	answer_callbacks();
	int64_t next = options_.idle_wait.count();
	if (int64_t g = pacer_.global_wait_ms(pace_ms()); g > 0)
		return std::chrono::milliseconds(std::min(next, g));
	auto due = store_.due_messages(now, options_.batch);
	if (!due.ok()) {
		log::warn("bot: cannot read the outbox: {}", due.error().message);
		return options_.idle_wait;
	}
	// Oldest first by id, not by next attempt: a retried message must not fall behind the ones
	// queued after it (its chat is paused exactly as long as it waits, so they are due together).
	std::sort(due->begin(), due->end(), [](const auto& a, const auto& b) { return a.id < b.id; });
	std::set<int64_t> held;   // a chat whose message waits: its later ones wait too (order)
	std::set<uint64_t> taken; // rows sent in an earlier row's group message
	for (const auto& m : *due) {
		if (held.contains(m.chat_id) || taken.contains(m.id))
			continue;
		if (int64_t w = pacer_.wait_ms(m.chat_id, pace_ms()); w > 0) {
			held.insert(m.chat_id);
			next = std::min(next, w);
			continue;
		}
		if (user_blocked(m.chat_id)) {
			(void)store_.mark_dead(m.id, now, "the user blocked the bot or is banned");
			continue;
		}
		std::vector<Reply> then;     // an alert's follow-ups, queued once it is sent
		std::vector<GroupRow> mates; // alert rows that go out in this one's message
		std::vector<std::string> group;
		std::vector<uint64_t> covered; // rows said by this one's message (a recovery held with it)
		std::string group_key;
		Result<Reply> r = Err("unknown outbox kind " + m.kind);
		if (m.kind == kOutboxMessage)
			r = Reply{.chat_id = m.chat_id, .text = m.payload};
		else if (m.kind == kOutboxReply)
			r = decode_reply(m.payload);
		else if (m.kind == alerts::kOutboxKindDigest)
			r = render_digest(store_, m, now);
		else if (m.kind == alerts::kOutboxKindAlert) {
			if (auto n = alerts::decode_alert_message(m.payload); n.ok()) {
				if (n->state == alerts::NoticeState::firing) {
					// At most one firing message per group every group interval: a later alert
					// waits and goes out with whatever else fired by then.
					group_key = fmt::format("{}/{}", m.chat_id, alert_group_key(*n));
					auto last = last_group_ms_.find(group_key);
					if (last != last_group_ms_.end() && now < last->second + kGroupIntervalMs) {
						(void)store_.mark_retry(m.id, last->second + kGroupIntervalMs,
						                        "waits for its group's next message");
						continue;
					}
				}
				mates = group_mates(store_, m, *n, now + kGroupWaitMs, options_.batch);
			}
			auto a = render_alert(store_, m, mates, now);
			if (a.ok()) {
				r = std::move(a->first);
				then = std::move(a->then);
				group = std::move(a->group);
				covered = std::move(a->covered);
			} else {
				r = a.error();
			}
		}
		if (!r.ok()) {
			log::error("bot: outbox message {} ({}) given up: {}", m.id, m.kind, r.error().message);
			(void)store_.mark_dead(m.id, now, r.error().message);
			continue;
		}
		if (deliver(m, *r, now) != Outcome::sent) {
			held.insert(m.chat_id);
		} else {
			for (const Reply& follow : then)
				enqueue(follow, now);
			// The group's other rows share its message: their recoveries reply to it.
			for (const GroupRow& g : mates) {
				(void)store_.mark_sent(g.row.id, now, last_message_id_);
				taken.insert(g.row.id);
			}
			for (uint64_t id : covered) {
				(void)store_.mark_sent(id, now, last_message_id_);
				taken.insert(id);
			}
			if (!group.empty() && last_message_id_)
				remember_group(store_, m.chat_id, *last_message_id_, group);
			if (!group_key.empty()) {
				// Only groups inside their interval matter: the others are forgotten now and then.
				if (last_group_ms_.size() > 1024)
					std::erase_if(last_group_ms_,
					              [&](const auto& g) { return g.second + kGroupIntervalMs <= now; });
				last_group_ms_[group_key] = now;
			}
		}
		now = clock_.unix_millis();
	}
	if (int64_t g = pacer_.global_wait_ms(pace_ms()); g > 0)
		next = std::min<int64_t>(next, g);
	return std::chrono::milliseconds(std::max<int64_t>(next, 1));
}

Sender::Outcome Sender::deliver(const store::OutboxMessage& m, const Reply& r, int64_t now_ms) {
	pacer_.sent(r.chat_id, pace_ms());
	telegram::ApiResult<telegram::Message> res = ApiError{};
	switch (r.kind) {
	case Reply::Kind::send: {
		telegram::SendOptions o;
		o.message_thread_id = r.thread_id;
		o.keyboard = r.keyboard;
		o.disable_link_preview = r.disable_link_preview;
		o.disable_notification = r.silent;
		o.reply_to_message_id = r.reply_to;
		res = api_->send_message(r.chat_id, r.text, o);
		break;
	}
	case Reply::Kind::edit_text:
		res = api_->edit_message_text(r.chat_id, r.message_id.value_or(0), r.text, r.keyboard, true,
		                              r.disable_link_preview);
		break;
	case Reply::Kind::edit_caption:
		res = api_->edit_message_caption(r.chat_id, r.message_id.value_or(0), r.text, r.keyboard);
		// A message sent as text (its chart could not be drawn) has no caption: its text then.
		if (!res.ok() && res.error().kind == ApiError::Kind::api &&
		    res.error().description.find("no caption") != std::string::npos)
			res = api_->edit_message_text(r.chat_id, r.message_id.value_or(0), r.text, r.keyboard);
		break;
	case Reply::Kind::edit_keyboard:
		res = api_->edit_message_reply_markup(r.chat_id, r.message_id.value_or(0), r.keyboard);
		break;
	case Reply::Kind::photo:
	case Reply::Kind::edit_photo: {
		telegram::PhotoOptions o;
		o.caption = r.text;
		o.keyboard = r.keyboard;
		o.message_thread_id = r.thread_id;
		o.disable_notification = r.silent;
		res = r.kind == Reply::Kind::photo
		          ? api_->send_photo(r.chat_id, r.png, o)
		          : api_->edit_message_photo(r.chat_id, r.message_id.value_or(0), r.png, o);
		break;
	}
	case Reply::Kind::answer_callback:
		res = ApiError{ApiError::Kind::invalid, "answerCallbackQuery", "a callback answer in the outbox"};
		break;
	}
	last_message_id_.reset();
	if (res.ok()) {
		last_message_id_ = res->message_id;
		(void)store_.mark_sent(m.id, now_ms, res->message_id);
		return Outcome::sent;
	}
	if (res.error().not_modified()) {
		(void)store_.mark_sent(m.id, now_ms, r.message_id);
		return Outcome::sent;
	}
	return on_error(m, res.error(), now_ms);
}

Sender::Outcome Sender::on_error(const store::OutboxMessage& m, const ApiError& e, int64_t now_ms) {
	std::string what = e.message();
	if (e.migrate_to_chat_id && *e.migrate_to_chat_id != m.chat_id) {
		// The group became a supergroup: the same message goes to its new id, once.
		store::OutboxMessage moved = m;
		moved.chat_id = *e.migrate_to_chat_id;
		if (m.kind == kOutboxReply) {
			auto r = decode_reply(m.payload);
			if (r.ok()) {
				r->chat_id = moved.chat_id;
				moved.payload = encode_reply(*r);
			}
		}
		moved.created_ms = moved.next_attempt_ms = now_ms;
		log::info("bot: chat {} moved to {}; its queued message follows", m.chat_id, moved.chat_id);
		if (auto id = store_.enqueue_message(moved); id.ok()) {
			(void)store_.mark_dead(m.id, now_ms, what);
			return Outcome::dead;
		}
	}
	if (e.kind == ApiError::Kind::api && e.error_code == 429) {
		int64_t wait = 1000LL * e.retry_after.value_or(1);
		const int64_t pace_now = pace_ms();
		pacer_.pause_chat(m.chat_id, pace_now + wait);
		// A second 429 soon after the first: the limit is the bot's, not one chat's.
		if (last_429_ms_ >= 0 && pace_now - last_429_ms_ < 10'000)
			pacer_.pause_all(pace_now + wait);
		last_429_ms_ = pace_now;
		log::warn("bot: Telegram asks to slow down (chat {}): waiting {} s", m.chat_id, wait / 1000);
		(void)store_.mark_retry(m.id, now_ms + wait, what);
		return Outcome::retry;
	}
	if (e.retryable() || e.kind == ApiError::Kind::malformed) {
		if (m.attempts + 1 >= options_.max_attempts) {
			log::warn("bot: message {} to chat {} given up after {} attempts: {}", m.id, m.chat_id,
			          m.attempts + 1, what);
			(void)store_.mark_dead(m.id, now_ms, what);
			return Outcome::dead;
		}
		int64_t backoff = std::min<int64_t>(options_.max_backoff.count(), 1000LL << std::min(m.attempts, 20));
		thread_local std::mt19937_64 rng{std::random_device{}()};
		backoff += static_cast<int64_t>(rng() % static_cast<uint64_t>(backoff / 4 + 1));
		pacer_.pause_chat(m.chat_id, pace_ms() + backoff);
		if (e.kind == ApiError::Kind::network) // Telegram unreachable: everything else would fail too
			pacer_.pause_all(pace_ms() + std::min<int64_t>(backoff, 5000));
		log::warn("bot: sending to chat {} failed, retrying in {} ms: {}", m.chat_id, backoff, what);
		(void)store_.mark_retry(m.id, now_ms + backoff, what);
		return Outcome::retry;
	}
	if (e.kind == ApiError::Kind::api && e.error_code == 403 &&
	    e.description.find("blocked") != std::string::npos)
		mark_blocked(m.chat_id);
	else if (logged_dead_chats_.insert(m.chat_id).second)
		log::warn("bot: giving up messages to chat {}: {}", m.chat_id, what);
	(void)store_.mark_dead(m.id, now_ms, what);
	return Outcome::dead;
}

void Sender::start() {
	worker_.start([this] { return std::optional(step()); });
}

void Sender::stop() {
	worker_.stop();
}

} // namespace serversan::bot
