#include "serversan/server/bot/context.h"

#include <algorithm>

#include "serversan/server/alerts/chat_zone.h"

namespace serversan::bot {

Context::Context(Services& services, int64_t chat, bool is_private, std::optional<int64_t> thread,
                 store::User u)
    : s(services), chat_id(chat), private_chat(is_private), thread_id(thread), user(std::move(u)),
      lang(language_for(user.language)) {
	// A group that chose a language (/language by its admins) is answered in it, whoever asks: a
	// failed read keeps the user's.
	if (!private_chat)
		if (auto settings = s.store.chat_settings(chat_id); settings.ok() && !settings->language.empty())
			lang = language_for(settings->language);
}

Result<store::Role> find_role(store::Store& store, std::string_view name) {
	auto roles = store.list_roles();
	if (!roles.ok())
		return roles.error();
	auto it =
	    std::find_if(roles->begin(), roles->end(), [&](const store::Role& r) { return r.name == name; });
	return it != roles->end() ? *it : store::Role{std::string(name), {}};
}

Result<std::string> Context::zone() {
	auto settings = s.store.chat_settings(chat_id);
	if (!settings.ok())
		return settings.error();
	return alerts::chat_zone(*settings, private_chat ? &user : nullptr);
}

Result<store::Role> Context::role() {
	if (!role_) {
		auto r = find_role(s.store, user.role);
		if (!r.ok())
			return r.error();
		role_ = std::move(*r);
	}
	return *role_;
}

void Context::reply(std::string html, std::optional<telegram::InlineKeyboard> keyboard, bool no_preview) {
	text_out(Reply::Kind::send, std::move(html), std::move(keyboard), no_preview);
}

void Context::show(std::string html, std::optional<telegram::InlineKeyboard> keyboard, bool no_preview) {
	text_out(message_id ? Reply::Kind::edit_text : Reply::Kind::send, std::move(html), std::move(keyboard),
	         no_preview);
}

void Context::text_out(Reply::Kind kind, std::string html, std::optional<telegram::InlineKeyboard> keyboard,
                       bool no_preview) {
	Reply r;
	r.kind = kind;
	r.chat_id = chat_id;
	if (kind == Reply::Kind::send)
		r.thread_id = thread_id;
	else
		r.message_id = message_id;
	r.text = std::move(html);
	r.keyboard = std::move(keyboard);
	r.disable_link_preview = no_preview;
	s.outgoing.send(std::move(r));
}

void Context::photo(std::string png, std::string caption_html,
                    std::optional<telegram::InlineKeyboard> keyboard, bool in_place) {
	Reply r;
	r.chat_id = chat_id;
	if (in_place && message_id) {
		r.kind = Reply::Kind::edit_photo;
		r.message_id = message_id;
	} else {
		r.kind = Reply::Kind::photo;
		r.thread_id = thread_id;
	}
	r.png = std::move(png);
	r.text = std::move(caption_html);
	r.keyboard = std::move(keyboard);
	s.outgoing.send(std::move(r));
}

void Context::answer(std::string toast, bool alert) {
	if (callback_id.empty() || answered_)
		return;
	answered_ = true;
	Reply r;
	r.kind = Reply::Kind::answer_callback;
	r.chat_id = chat_id;
	r.callback_query_id = callback_id;
	r.text = std::move(toast);
	r.show_alert = alert;
	s.outgoing.send(std::move(r));
}

void Context::notice(std::string html) {
	if (is_callback())
		answer(std::move(html), true);
	else
		reply(std::move(html));
}

} // namespace serversan::bot
