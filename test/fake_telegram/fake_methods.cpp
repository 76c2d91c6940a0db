// The Bot API methods of the fake that only read and change its state. Error descriptions are
// Telegram's (bots/api and the community-collected wordings in telegram.md section 5.10).
#include <algorithm>
#include <cctype>
#include <regex>

#include "test/fake_telegram/fake_html.h"
#include "test/fake_telegram/fake_state.h"

namespace serversan::fake_telegram {

using nlohmann::json;

namespace {

constexpr size_t kMaxText = 4096;
constexpr size_t kMaxCaption = 1024;
constexpr size_t kMaxPhotoBytes = 10 * 1024 * 1024;

const char* const kNotModified =
    "message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message";

struct Failure {
	Reply reply;
};

// The chat named by chat_id, or a Failure thrown up to handle_stateful_method.
json& chat_of(State& s, const Params& p) {
	bool bad = false;
	auto id = p.integer("chat_id", &bad);
	if (!id && !bad && !p.has("chat_id"))
		throw Failure{bad_request("chat_id is empty")};
	if (!id) {
		// "@username" of a known chat
		auto name = p.text("chat_id");
		for (auto& [cid, chat] : s.chats)
			if (name && name->size() > 1 && (*name)[0] == '@' &&
			    chat.value("username", "") == name->substr(1))
				return chat;
		throw Failure{bad_request("chat not found")};
	}
	auto it = s.chats.find(*id);
	if (it == s.chats.end())
		throw Failure{bad_request("chat not found")};
	return it->second;
}

int64_t message_id_of(const Params& p) {
	bool bad = false;
	auto id = p.integer("message_id", &bad);
	if (!id)
		throw Failure{bad_request(p.has("message_id") ? "message identifier is invalid"
		                                              : "message identifier is not specified")};
	return *id;
}

// Text after parse_mode: the plain text and its entities.
ParsedText formatted(const Params& p, const std::string& field, const std::string& mode_field,
                     const std::string& entities_field) {
	std::string raw = p.text(field).value_or("");
	std::string mode = p.text(mode_field).value_or("");
	std::string lower_mode = mode;
	for (char& c : lower_mode)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	if (lower_mode == "html") {
		ParsedText t = parse_html(raw);
		if (!t.error.empty())
			throw Failure{bad_request("can't parse entities: " + t.error)};
		return t;
	}
	if (!mode.empty() && lower_mode != "markdownv2" && lower_mode != "markdown")
		throw Failure{bad_request("unsupported parse_mode")};
	// MarkdownV2/Markdown are taken as plain text (the bot sends HTML only); explicit entities as given.
	ParsedText t;
	t.text = raw;
	bool bad = false;
	if (auto e = p.object(entities_field, &bad); e && e->is_array())
		t.entities = *e;
	if (bad)
		throw Failure{bad_request("can't parse entities JSON object")};
	return t;
}

bool blank(const std::string& s) {
	return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

// reply_markup validated as an inline keyboard; null when absent.
json reply_markup(const Params& p) {
	bool bad = false;
	auto m = p.object("reply_markup", &bad);
	if (bad || (m && !m->is_object()))
		throw Failure{bad_request("can't parse reply keyboard markup JSON object")};
	if (!m)
		return nullptr;
	if (!m->contains("inline_keyboard"))
		return *m; // reply keyboards, force_reply, remove: kept as given
	const json& rows = (*m)["inline_keyboard"];
	if (!rows.is_array())
		throw Failure{bad_request("field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array")};
	for (const json& row : rows) {
		if (!row.is_array())
			throw Failure{bad_request(
			    "field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array of Arrays")};
		for (const json& b : row) {
			if (!b.is_object() || !b.contains("text") || !b["text"].is_string())
				throw Failure{bad_request("can't find field \"text\"")};
			if (b["text"].get_ref<const std::string&>().empty())
				throw Failure{bad_request("text buttons are unallowed in the inline keyboard")};
			if (b.contains("callback_data")) {
				const json& d = b["callback_data"];
				if (!d.is_string() || d.get_ref<const std::string&>().empty() ||
				    d.get_ref<const std::string&>().size() > 64)
					throw Failure{bad_request("BUTTON_DATA_INVALID")};
			} else if (!b.contains("url") && !b.contains("switch_inline_query") && !b.contains("web_app") &&
			           !b.contains("login_url") && !b.contains("switch_inline_query_current_chat") &&
			           !b.contains("copy_text") && !b.contains("pay") && !b.contains("callback_game")) {
				throw Failure{bad_request("text buttons are unallowed in the inline keyboard")};
			}
		}
	}
	return *m;
}

json* find_message(State& s, int64_t chat_id, int64_t message_id) {
	auto it = s.messages.find({chat_id, message_id});
	return it == s.messages.end() ? nullptr : &it->second;
}

// The fields every message the bot sends has; the caller adds its content.
json new_bot_message(State& s, const json& chat, const Params& p) {
	int64_t chat_id = chat["id"];
	json m{{"message_id", s.take_message_id(chat_id)},
	       {"from", s.bot_user},
	       {"chat", chat},
	       {"date", s.now_s()}};
	bool bad = false;
	if (auto thread = p.integer("message_thread_id", &bad)) {
		m["message_thread_id"] = *thread;
		if (chat.value("is_forum", false))
			m["is_topic_message"] = true;
	}
	if (bad)
		throw Failure{bad_request("message thread not found")};
	std::optional<int64_t> reply_to = p.integer("reply_to_message_id", &bad);
	bool allow_without = p.flag("allow_sending_without_reply");
	if (auto rp = p.object("reply_parameters", &bad); rp && rp->is_object()) {
		if (rp->contains("message_id") && (*rp)["message_id"].is_number_integer())
			reply_to = (*rp)["message_id"].get<int64_t>();
		allow_without = rp->value("allow_sending_without_reply", allow_without);
	}
	if (bad)
		throw Failure{bad_request("can't parse reply parameters JSON object")};
	if (reply_to) {
		if (json* target = find_message(s, chat_id, *reply_to))
			m["reply_to_message"] = *target;
		else if (!allow_without)
			throw Failure{bad_request("message to be replied not found")};
	}
	if (p.flag("disable_notification"))
		m["disable_notification"] = true; // not in Telegram's Message; kept so tests can see it
	return m;
}

// The text of sendMessage/editMessageText: present, not blank after parsing, within 4096 units.
ParsedText message_text(const Params& p) {
	if (!p.text("text") || p.text("text")->empty())
		throw Failure{bad_request("message text is empty")};
	ParsedText t = formatted(p, "text", "parse_mode", "entities");
	if (blank(t.text))
		throw Failure{bad_request("message text is empty")};
	if (utf16_units(t.text) > kMaxText)
		throw Failure{bad_request("message is too long")};
	return t;
}

void store(State& s, const json& m) {
	s.messages[{m["chat"]["id"].get<int64_t>(), m["message_id"].get<int64_t>()}] = m;
}

Reply send_message(State& s, const Params& p) {
	json& chat = chat_of(s, p);
	ParsedText t = message_text(p);
	json markup = reply_markup(p);
	bool bad = false;
	auto preview = p.object("link_preview_options", &bad);
	json m = new_bot_message(s, chat, p);
	m["text"] = t.text;
	if (!t.entities.empty())
		m["entities"] = t.entities;
	if (!markup.is_null() && markup.contains("inline_keyboard"))
		m["reply_markup"] = markup;
	if (preview && preview->is_object())
		m["link_preview_options"] = *preview;
	else if (p.flag("disable_web_page_preview"))
		m["link_preview_options"] = {{"is_disabled", true}};
	store(s, m);
	return ok_reply(m);
}

json& editable_message(State& s, const Params& p) {
	if (!p.has("chat_id") && !p.has("inline_message_id"))
		throw Failure{bad_request("message identifier is not specified")};
	if (p.has("inline_message_id"))
		throw Failure{bad_request("message to edit not found")}; // the fake sends no inline messages
	json& chat = chat_of(s, p);
	json* m = find_message(s, chat["id"].get<int64_t>(), message_id_of(p));
	if (!m)
		throw Failure{bad_request("message to edit not found")};
	if ((*m)["from"]["id"] != s.bot_user["id"])
		throw Failure{bad_request("message can't be edited")};
	return *m;
}

// The end of every edit: the new keyboard (an edit without reply_markup removes it) and the
// edit's time.
void finish_edit(State& s, json& m, const json& markup) {
	if (markup.is_null())
		m.erase("reply_markup");
	else
		m["reply_markup"] = markup;
	m["edit_date"] = s.now_s();
}

Reply edit_text(State& s, const Params& p) {
	json& m = editable_message(s, p);
	if (!m.contains("text"))
		throw Failure{bad_request("there is no text in the message to edit")};
	ParsedText t = message_text(p);
	json markup = reply_markup(p);
	json old_entities = m.value("entities", json::array());
	json old_markup = m.value("reply_markup", json());
	if (m["text"] == t.text && old_entities == t.entities && old_markup == markup)
		throw Failure{bad_request(kNotModified)};
	m["text"] = t.text;
	if (t.entities.empty())
		m.erase("entities");
	else
		m["entities"] = t.entities;
	finish_edit(s, m, markup);
	return ok_reply(m);
}

Reply edit_markup(State& s, const Params& p) {
	json& m = editable_message(s, p);
	json markup = reply_markup(p);
	if (m.value("reply_markup", json()) == markup)
		throw Failure{bad_request(kNotModified)};
	finish_edit(s, m, markup);
	return ok_reply(m);
}

Reply delete_message(State& s, const Params& p) {
	json& chat = chat_of(s, p);
	auto key = std::make_pair(chat["id"].get<int64_t>(), message_id_of(p));
	if (!s.messages.erase(key))
		throw Failure{bad_request("message to delete not found")};
	return ok_reply(true);
}

// An uploaded photo checked as Telegram checks it (size, PNG signature); its PhotoSize array.
json photo_sizes(const State& s, const UploadedFile& f) {
	const std::string& bytes = f.bytes;
	if (bytes.size() > kMaxPhotoBytes)
		throw Failure{error_reply(413, "Request Entity Too Large")};
	static const std::string png_signature("\x89PNG\r\n\x1a\n", 8);
	if (bytes.size() < 24 || bytes.compare(0, 8, png_signature) != 0)
		throw Failure{bad_request("IMAGE_PROCESS_FAILED")};
	auto be32 = [&](size_t at) {
		uint32_t v = 0;
		for (size_t k = 0; k < 4; ++k)
			v = (v << 8) | static_cast<unsigned char>(bytes[at + k]);
		return v;
	};
	std::string file_id = "fake-photo-" + std::to_string(s.photos.size() + 1);
	return json::array({{{"file_id", file_id},
	                     {"file_unique_id", file_id},
	                     {"width", be32(16)},
	                     {"height", be32(20)},
	                     {"file_size", bytes.size()}}});
}

// A caption as Telegram checks it (at most 1024 characters after parsing).
ParsedText checked_caption(const Params& p) {
	ParsedText caption = formatted(p, "caption", "parse_mode", "caption_entities");
	if (utf16_units(caption.text) > kMaxCaption)
		throw Failure{bad_request("message caption is too long")};
	return caption;
}

void set_caption(json& m, const ParsedText& caption) {
	m.erase("caption");
	m.erase("caption_entities");
	if (!caption.text.empty())
		m["caption"] = caption.text;
	if (!caption.entities.empty())
		m["caption_entities"] = caption.entities;
}

// Sets photo, caption and keyboard of a photo message and keeps the upload for assertions.
void put_photo(State& s, json& m, const UploadedFile& f, const Params& caption_params, const json& markup) {
	ParsedText caption = checked_caption(caption_params);
	m["photo"] = photo_sizes(s, f);
	set_caption(m, caption);
	if (!markup.is_null() && markup.contains("inline_keyboard"))
		m["reply_markup"] = markup;
	else
		m.erase("reply_markup");
	s.photos.push_back(Photo{m["chat"]["id"].get<int64_t>(), m["message_id"].get<int64_t>(), f.filename,
	                         f.content_type, f.bytes, caption.text});
}

Reply send_photo(State& s, const Params& p) {
	json& chat = chat_of(s, p);
	auto file = p.files.find("photo");
	if (file == p.files.end()) {
		if (p.text("photo"))
			throw Failure{bad_request("wrong remote file identifier specified: Wrong string length")};
		throw Failure{bad_request("there is no photo in the request")};
	}
	json markup = reply_markup(p);
	photo_sizes(s, file->second); // refuse a bad photo before a message id is taken
	json m = new_bot_message(s, chat, p);
	put_photo(s, m, file->second, p, markup);
	store(s, m);
	return ok_reply(m);
}

// editMessageMedia with a photo uploaded as "attach://<part>" (the only media the bot sends).
Reply edit_media(State& s, const Params& p) {
	json& m = editable_message(s, p);
	bool bad = false;
	auto media = p.object("media", &bad);
	if (!media || !media->is_object())
		throw Failure{bad_request("can't parse InputMedia JSON object")};
	if (media->value("type", "") != "photo")
		throw Failure{bad_request("unsupported InputMedia type (the fake takes photo only)")};
	if (!m.contains("photo"))
		throw Failure{bad_request("there is no media in the message to edit")};
	std::string ref = media->value("media", "");
	auto file = ref.rfind("attach://", 0) == 0 ? p.files.find(ref.substr(9)) : p.files.end();
	if (file == p.files.end())
		throw Failure{bad_request("wrong file identifier/HTTP URL specified")};
	Params caption_params;
	caption_params.values = *media;
	json updated = m;
	put_photo(s, updated, file->second, caption_params, reply_markup(p));
	updated["edit_date"] = s.now_s();
	m = std::move(updated);
	return ok_reply(m);
}

// A photo message's caption and keyboard; a text message has none (Telegram's refusal).
Reply edit_caption(State& s, const Params& p) {
	json& m = editable_message(s, p);
	if (!m.contains("photo"))
		throw Failure{bad_request("there is no caption in the message to edit")};
	ParsedText caption = checked_caption(p);
	json markup = reply_markup(p);
	if (m.value("caption", "") == caption.text &&
	    m.value("caption_entities", json::array()) == caption.entities &&
	    m.value("reply_markup", json()) == markup)
		throw Failure{bad_request(kNotModified)};
	set_caption(m, caption);
	finish_edit(s, m, markup);
	return ok_reply(m);
}

Reply answer_callback(State& s, const Params& p) {
	auto id = p.text("callback_query_id");
	auto it = id ? s.callback_queries.find(*id) : s.callback_queries.end();
	if (it == s.callback_queries.end() || it->second)
		throw Failure{bad_request("query is too old and response timeout expired or query ID is invalid")};
	if (utf16_units(p.text("text").value_or("")) > 200)
		throw Failure{bad_request("MESSAGE_TOO_LONG")};
	it->second = true;
	return ok_reply(true);
}

std::string commands_key(const Params& p) {
	bool bad = false;
	auto scope = p.object("scope", &bad);
	std::string type = scope && scope->is_object() ? scope->value("type", "default") : "default";
	// Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, a false positive) on a + chain.
	if (scope && scope->contains("chat_id")) {
		type += ':';
		type += (*scope)["chat_id"].dump();
	}
	type += '/';
	type += p.text("language_code").value_or("");
	return type;
}

Reply set_commands(State& s, const Params& p) {
	bool bad = false;
	auto commands = p.object("commands", &bad);
	if (!commands || !commands->is_array())
		throw Failure{bad_request("can't parse commands JSON object")};
	if (commands->size() > 100)
		throw Failure{bad_request("BOT_COMMANDS_TOO_MUCH")};
	static const std::regex name_re("[a-z0-9_]{1,32}");
	json clean = json::array();
	for (const json& c : *commands) {
		if (!c.is_object() || !c.contains("command") || !c["command"].is_string() ||
		    !c.contains("description") || !c["description"].is_string())
			throw Failure{bad_request("can't parse BotCommand")};
		const std::string& name = c["command"].get_ref<const std::string&>();
		const std::string& description = c["description"].get_ref<const std::string&>();
		if (!std::regex_match(name, name_re))
			throw Failure{bad_request("BOT_COMMAND_INVALID")};
		size_t len = utf16_units(description);
		if (len < 1 || len > 256)
			throw Failure{bad_request("BOT_COMMAND_DESCRIPTION_INVALID")};
		clean.push_back({{"command", name}, {"description", description}});
	}
	s.commands[commands_key(p)] = clean;
	return ok_reply(true);
}

Reply get_commands(State& s, const Params& p) {
	auto it = s.commands.find(commands_key(p));
	return ok_reply(it == s.commands.end() ? json::array() : it->second);
}

Reply delete_commands(State& s, const Params& p) {
	s.commands.erase(commands_key(p));
	return ok_reply(true);
}

Reply get_me(State& s, const Params&) {
	json me = s.bot_user;
	me["can_join_groups"] = true;
	me["can_read_all_group_messages"] = false;
	me["supports_inline_queries"] = false;
	return ok_reply(me);
}

// A known chat's member: the status set_member_status gave, else "member" (a private chat's own
// user, and anyone in a group the test did not describe).
Reply get_chat_member(State& s, const Params& p) {
	json& chat = chat_of(s, p);
	bool bad = false;
	auto user = p.integer("user_id", &bad);
	if (!user)
		throw Failure{bad_request("invalid user_id specified")};
	int64_t chat_id = chat.value("id", int64_t{0});
	auto it = s.member_status.find({chat_id, *user});
	std::string status = it == s.member_status.end() ? "member" : it->second;
	json u = {{"id", *user}, {"is_bot", false}, {"first_name", "User"}};
	json member = {{"status", status}, {"user", u}};
	if (status == "restricted") // ChatMemberRestricted: still in the chat (muted)
		member["is_member"] = true;
	return ok_reply(member);
}

} // namespace

std::optional<Reply> handle_stateful_method(State& s, const std::string& method, const Params& p) {
	using Handler = Reply (*)(State&, const Params&);
	static const std::map<std::string, Handler> kHandlers = {
	    {"getMe", get_me},
	    {"sendMessage", send_message},
	    {"editMessageText", edit_text},
	    {"editMessageReplyMarkup", edit_markup},
	    {"editMessageMedia", edit_media},
	    {"editMessageCaption", edit_caption},
	    {"deleteMessage", delete_message},
	    {"sendPhoto", send_photo},
	    {"answerCallbackQuery", answer_callback},
	    {"setMyCommands", set_commands},
	    {"getMyCommands", get_commands},
	    {"deleteMyCommands", delete_commands},
	    {"getChatMember", get_chat_member},
	};
	auto it = kHandlers.find(method);
	if (it == kHandlers.end())
		return std::nullopt;
	try {
		return it->second(s, p);
	} catch (const Failure& f) {
		return f.reply;
	} catch (const json::exception& e) {
		return bad_request(std::string("wrong parameter type: ") + e.what());
	}
}

std::string canonical_method(const std::string& name) {
	static const char* const kMethods[] = {
	    "getMe",
	    "getUpdates",
	    "sendMessage",
	    "editMessageText",
	    "editMessageReplyMarkup",
	    "editMessageMedia",
	    "editMessageCaption",
	    "deleteMessage",
	    "sendPhoto",
	    "answerCallbackQuery",
	    "setMyCommands",
	    "getMyCommands",
	    "deleteMyCommands",
	    "getChatMember",
	    "setWebhook",
	    "deleteWebhook",
	    "getWebhookInfo",
	};
	for (const char* m : kMethods) {
		std::string_view sv(m);
		if (sv.size() == name.size() && std::equal(sv.begin(), sv.end(), name.begin(), [](char a, char b) {
			    return std::tolower(static_cast<unsigned char>(a)) ==
			           std::tolower(static_cast<unsigned char>(b));
		    }))
			return m;
	}
	return {};
}

} // namespace serversan::fake_telegram
