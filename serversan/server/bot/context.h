// Context: what a handler gets for one update, after the dispatcher's front layer has registered
// the user, dropped banned users and throttled floods. Handlers reply only through it, so thread
// ids, the callback answer (exactly once) and the language are right everywhere without each
// handler repeating them.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "serversan/core/clock.h"
#include "serversan/server/bot/chat_admins.h"
#include "serversan/server/bot/dialogs.h"
#include "serversan/server/bot/dispatcher.h"
#include "serversan/server/bot/i18n.h"
#include "serversan/server/bot/outgoing.h"
#include "serversan/server/store/store.h"

namespace serversan::bot {

// The dispatcher's long-lived parts, shared by every Context.
struct Services {
	store::Store& store;
	Outgoing& outgoing;
	const Clock& clock;
	ChatAdmins& admins;
	const BotSettings& settings;
	Dialogs& dialogs;
};

// The role called name with its permissions; a role missing from the table has none.
Result<store::Role> find_role(store::Store& store, std::string_view name);

class Context {
public:
	Context(Services& services, int64_t chat_id, bool private_chat, std::optional<int64_t> thread_id,
	        store::User user);

	Services& s;
	const int64_t chat_id;
	const bool private_chat;
	const std::optional<int64_t> thread_id;
	store::User user; // as stored; handlers that change it update the store and this copy
	Lang lang;

	// The request: a command's arguments, a button's data after "prefix:", or dialog text.
	std::string rest;                  // everything after the command, trimmed; the dialog's text
	std::vector<std::string> args;     // rest split at white space
	std::optional<int64_t> message_id; // the message whose button was pressed
	std::string callback_id;           // non-empty for a button press
	bool dialog_ended = false;         // this command ended an open dialog (/cancel reports it)
	bool named = false;                // the command named the bot ("/cmd@ourbot")
	uint64_t dialog_server = 0;        // the open dialog's server (free text), to re-check

	bool is_callback() const { return !callback_id.empty(); }
	int64_t now_ms() const { return s.clock.unix_millis(); }
	int64_t user_id() const { return user.telegram_id; }
	// The user's role with its permissions (read once per update); a role missing from the table
	// is a role with no permissions.
	Result<store::Role> role();
	// The time zone for times shown in this chat: the one rule of alerts/chat_zone.h (the chat's
	// own, a private chat's user's, else UTC), so replies, charts and alerts agree.
	Result<std::string> zone();

	std::string t(std::string_view key) const { return std::string(tr(lang, key)); }
	std::string t(std::string_view key,
	              std::initializer_list<std::pair<std::string_view, std::string_view>> values) const {
		return tr(lang, key, values);
	}

	// A new message in this chat (and topic).
	void reply(std::string html, std::optional<telegram::InlineKeyboard> keyboard = {},
	           bool no_preview = false);
	// A button press replaces its own message; anything else sends a new one.
	void show(std::string html, std::optional<telegram::InlineKeyboard> keyboard = {},
	          bool no_preview = false);
	// A photo (PNG bytes) with an HTML caption: in_place replaces the pressed button's photo
	// message (editMessageMedia), otherwise a new photo message in this chat (and topic).
	void photo(std::string png, std::string caption_html, std::optional<telegram::InlineKeyboard> keyboard,
	           bool in_place);
	// Stops the button's spinner, at most once per press; later calls do nothing.
	void answer(std::string toast = {}, bool alert = false);
	bool answered() const { return answered_; }
	// A refusal or short notice: a toast for a button, a message otherwise.
	void notice(std::string html);

private:
	void text_out(Reply::Kind kind, std::string html, std::optional<telegram::InlineKeyboard> keyboard,
	              bool no_preview);
	std::optional<store::Role> role_;
	bool answered_ = false;
};

} // namespace serversan::bot
