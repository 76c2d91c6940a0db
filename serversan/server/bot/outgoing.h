// Outgoing: what the bot's handlers hand over to be sent. Handlers never call the Bot API
// themselves: every message, edit and callback answer goes through one Outgoing, whose
// implementation (the sender) queues it durably where that matters, paces it under Telegram's
// limits (about 1/s per chat, 20/min per group, 30/s overall), obeys 429 retry_after, retries
// network errors and 5xx, and stops sending to a user who blocked the bot. Tests record Replies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "serversan/server/bot/telegram/types.h"

namespace serversan::bot {

struct Reply {
	enum class Kind {
		send,            // a new message: chat_id, text, keyboard...
		edit_text,       // replace message_id's text (and keyboard: none given removes it)
		edit_keyboard,   // replace message_id's keyboard only
		answer_callback, // stop the button's spinner: callback_query_id, text as a toast
		photo,           // a new photo message: png, text as caption
		edit_photo,      // replace message_id's photo, caption and keyboard
		edit_caption,    // replace message_id's caption and keyboard; a text message's text instead
	};
	Kind kind = Kind::send;
	int64_t chat_id = 0;
	std::optional<int64_t> thread_id;  // forum topic the command came from
	std::optional<int64_t> message_id; // the edits
	std::string text;                  // HTML, everything from users or servers already escaped
	std::optional<telegram::InlineKeyboard> keyboard;
	bool disable_link_preview = false; // install lines and links
	bool silent = false;               // disable_notification (a per-chat setting for warnings)
	std::optional<int64_t> reply_to;
	std::string callback_query_id; // answer_callback
	bool show_alert = false;       // answer_callback: a dialog instead of a toast
	std::string png;               // photo, edit_photo
	// Non-empty: a second Reply with the same key while the first is still queued is dropped
	// (alerts and jobs events use it so that a restart never sends one twice).
	std::string dedupe_key;
	// Set: queueing this Reply marks the event handled in the same store transaction (the
	// event notices: never lost, never sent twice across a crash).
	std::optional<uint64_t> handled_event;
	// Queued now, sent no earlier than this (Unix ms): spreads a broadcast so that replies and
	// alerts keep part of the overall rate.
	std::optional<int64_t> not_before_ms;
};

class Outgoing {
public:
	virtual ~Outgoing() = default;
	// Queues r; returns at once. Never fails for the caller: a reply that cannot be queued is
	// logged (without its text) by the implementation.
	virtual void send(Reply r) = 0;
};

} // namespace serversan::bot
