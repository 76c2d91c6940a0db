#include "serversan/server/bot/telegram/parse.h"

namespace serversan::bot::telegram {

using nlohmann::json;

namespace {

std::string optional_string(const json& j, const char* key) {
	auto it = j.find(key);
	return it == j.end() || it->is_null() ? std::string() : it->get<std::string>();
}

std::optional<int64_t> optional_int(const json& j, const char* key) {
	auto it = j.find(key);
	if (it == j.end() || it->is_null())
		return std::nullopt;
	return it->get<int64_t>();
}

bool optional_bool(const json& j, const char* key) {
	auto it = j.find(key);
	return it != j.end() && !it->is_null() && it->get<bool>();
}

} // namespace

User parse_user(const json& j) {
	User u;
	u.id = j.at("id").get<int64_t>();
	u.is_bot = optional_bool(j, "is_bot");
	u.first_name = j.at("first_name").get<std::string>();
	u.last_name = optional_string(j, "last_name");
	u.username = optional_string(j, "username");
	u.language_code = optional_string(j, "language_code");
	return u;
}

Chat parse_chat(const json& j) {
	Chat c;
	c.id = j.at("id").get<int64_t>();
	c.type = j.at("type").get<std::string>();
	c.title = optional_string(j, "title");
	c.username = optional_string(j, "username");
	c.first_name = optional_string(j, "first_name");
	c.is_forum = optional_bool(j, "is_forum");
	return c;
}

Message parse_message(const json& j) {
	Message m;
	m.message_id = j.at("message_id").get<int64_t>();
	m.chat = parse_chat(j.at("chat"));
	m.date = j.at("date").get<int64_t>();
	m.message_thread_id = optional_int(j, "message_thread_id");
	m.is_topic_message = optional_bool(j, "is_topic_message");
	if (auto it = j.find("from"); it != j.end() && !it->is_null())
		m.from = parse_user(*it);
	m.text = optional_string(j, "text");
	m.caption = optional_string(j, "caption");
	m.edit_date = optional_int(j, "edit_date");
	auto photo = j.find("photo");
	m.has_photo = photo != j.end() && photo->is_array() && !photo->empty();
	const char* entities_key = m.text.empty() ? "caption_entities" : "entities";
	if (auto it = j.find(entities_key); it != j.end() && !it->is_null())
		for (const json& e : it->get_ref<const json::array_t&>())
			m.entities.push_back({e.at("type").get<std::string>(), e.at("offset").get<int64_t>(),
			                      e.at("length").get<int64_t>()});
	return m;
}

CallbackQuery parse_callback_query(const json& j) {
	CallbackQuery q;
	q.id = j.at("id").get<std::string>();
	q.from = parse_user(j.at("from"));
	q.chat_instance = optional_string(j, "chat_instance");
	q.data = optional_string(j, "data");
	if (auto it = j.find("message"); it != j.end() && !it->is_null())
		q.message = parse_message(*it);
	return q;
}

ChatMemberUpdated parse_chat_member_updated(const json& j) {
	ChatMemberUpdated u;
	u.chat = parse_chat(j.at("chat"));
	u.from = parse_user(j.at("from"));
	u.date = j.at("date").get<int64_t>();
	u.old_status = j.at("old_chat_member").at("status").get<std::string>();
	u.new_status = j.at("new_chat_member").at("status").get<std::string>();
	return u;
}

Update parse_update(const json& j) {
	Update u;
	u.update_id = j.at("update_id").get<int64_t>();
	try {
		if (auto it = j.find("message"); it != j.end()) {
			u.kind = Update::Kind::message;
			u.message = parse_message(*it);
		} else if (it = j.find("edited_message"); it != j.end()) {
			u.kind = Update::Kind::edited_message;
			u.message = parse_message(*it);
		} else if (it = j.find("callback_query"); it != j.end()) {
			u.kind = Update::Kind::callback_query;
			u.callback_query = parse_callback_query(*it);
		} else if (it = j.find("my_chat_member"); it != j.end()) {
			u.kind = Update::Kind::my_chat_member;
			u.my_chat_member = parse_chat_member_updated(*it);
		}
	} catch (const json::exception&) {
		Update bad;
		bad.update_id = u.update_id;
		bad.kind = Update::Kind::malformed;
		return bad;
	}
	return u;
}

WebhookInfo parse_webhook_info(const json& j) {
	WebhookInfo w;
	w.url = j.at("url").get<std::string>();
	w.has_custom_certificate = optional_bool(j, "has_custom_certificate");
	w.pending_update_count = j.at("pending_update_count").get<int64_t>();
	w.last_error_date = optional_int(j, "last_error_date");
	w.last_error_message = optional_string(j, "last_error_message");
	w.max_connections = optional_int(j, "max_connections");
	if (auto it = j.find("allowed_updates"); it != j.end() && !it->is_null())
		w.allowed_updates = it->get<std::vector<std::string>>();
	return w;
}

json keyboard_json(const InlineKeyboard& keyboard) {
	json rows = json::array();
	for (const auto& row : keyboard) {
		json r = json::array();
		for (const InlineButton& b : row) {
			json button{{"text", b.text}};
			if (!b.url.empty())
				button["url"] = b.url;
			else if (!b.web_app.empty())
				button["web_app"] = {{"url", b.web_app}};
			else
				button["callback_data"] = b.callback_data;
			r.push_back(std::move(button));
		}
		rows.push_back(std::move(r));
	}
	return json{{"inline_keyboard", std::move(rows)}};
}

} // namespace serversan::bot::telegram
