#include "serversan/server/bot/telegram/api_client.h"

#include <nlohmann/json.hpp>

#include "serversan/server/bot/html.h"
#include "serversan/server/bot/telegram/http_transport.h"
#include "serversan/server/bot/telegram/parse.h"

namespace serversan::bot::telegram {

using nlohmann::json;

namespace {

ApiError error_of(ApiError::Kind kind, const std::string& method, std::string detail, long status = 0) {
	ApiError e;
	e.kind = kind;
	e.method = method;
	e.detail = std::move(detail);
	e.http_status = status;
	return e;
}

// A short, printable excerpt of a body that is not the envelope, for the error's context. Scrub
// the token before cutting: a cut could leave a prefix of it that the scrub no longer finds.
std::string excerpt(const std::string& body) {
	std::string s = sanitize_utf8(body.substr(0, 120));
	for (char& c : s)
		if (c == '\n' || c == '\r' || c == '\t')
			c = ' ';
	return body.size() > 120 ? s + "..." : s;
}

std::optional<std::string> keyboard_problem(const std::optional<InlineKeyboard>& keyboard) {
	if (!keyboard)
		return std::nullopt;
	for (const auto& row : *keyboard)
		for (const InlineButton& b : row)
			if (b.url.empty() && b.web_app.empty() && !callback_data_fits(b.callback_data))
				return "callback_data of button \"" + b.text + "\" is " +
				       std::to_string(b.callback_data.size()) + " bytes (1-64 allowed)";
	return std::nullopt;
}

} // namespace

struct ApiClient::Impl {
	ClientOptions options;
	HttpTransport http;

	explicit Impl(ClientOptions o)
	    : options(std::move(o)),
	      http(HttpOptions{options.proxy, options.ca_file, options.connect_timeout, options.cancel},
	           options.token) {
		while (!options.api_url.empty() && options.api_url.back() == '/')
			options.api_url.pop_back();
	}

	std::string url(const std::string& method) const {
		return options.api_url + "/bot" + options.token + "/" + method;
	}

	// The envelope of an answer: its result, or the error it stands for.
	ApiResult<json> envelope(const std::string& method, Result<HttpReply> reply) {
		if (!reply)
			return error_of(ApiError::Kind::network, method, reply.error().message);
		const HttpReply& r = *reply;
		json j = json::parse(r.body, nullptr, false);
		bool is_envelope = !j.is_discarded() && j.is_object() && j.contains("ok") && j["ok"].is_boolean();
		if (!is_envelope) {
			if (r.status < 200 || r.status >= 300)
				return error_of(ApiError::Kind::http_status, method,
				                (r.content_type.empty() ? "" : r.content_type + ": ") +
				                    excerpt(http.scrub(r.body)),
				                r.status);
			return error_of(ApiError::Kind::malformed, method,
			                (j.is_discarded() ? "not JSON: " : "not the Bot API envelope: ") +
			                    excerpt(http.scrub(r.body)),
			                r.status);
		}
		if (!j["ok"].get<bool>()) {
			ApiError e = error_of(ApiError::Kind::api, method, "", r.status);
			auto code = j.find("error_code");
			e.error_code =
			    code != j.end() && code->is_number_integer() ? code->get<int>() : static_cast<int>(r.status);
			auto description = j.find("description");
			e.description = http.scrub(
			    description != j.end() && description->is_string() ? description->get<std::string>() : "");
			if (auto p = j.find("parameters"); p != j.end() && p->is_object()) {
				if (auto ra = p->find("retry_after"); ra != p->end() && ra->is_number_integer())
					e.retry_after = ra->get<int>();
				if (auto mc = p->find("migrate_to_chat_id"); mc != p->end() && mc->is_number_integer())
					e.migrate_to_chat_id = mc->get<int64_t>();
			}
			return e;
		}
		auto result = j.find("result");
		if (result == j.end() || result->is_null())
			return error_of(ApiError::Kind::malformed, method,
			                result == j.end() ? "ok without a result" : "null result", r.status);
		return std::move(*result);
	}

	// Calls `method` with a JSON body and converts its result with `parse`; a parse that throws
	// (missing field, wrong type) becomes a malformed-answer error.
	template <typename T, typename Parse>
	ApiResult<T> call(const std::string& method, const json& params, Parse parse,
	                  std::optional<std::chrono::milliseconds> timeout = std::nullopt) {
		auto result = envelope(
		    method, http.post_json(url(method), params.dump(-1, ' ', false, json::error_handler_t::replace),
		                           timeout.value_or(options.request_timeout)));
		return convert<T>(method, std::move(result), parse);
	}

	// A multipart call that answers a Message (sendPhoto, editMessageMedia).
	ApiResult<Message> upload(const std::string& method, std::vector<FormField> fields,
	                          const std::optional<InlineKeyboard>& keyboard) {
		if (auto problem = keyboard_problem(keyboard))
			return error_of(ApiError::Kind::invalid, method, *problem);
		if (keyboard)
			fields.push_back({"reply_markup", keyboard_json(*keyboard).dump(), "", ""});
		auto result = envelope(method, http.post_form(url(method), fields, options.request_timeout));
		return convert<Message>(method, std::move(result), parse_message);
	}

	template <typename T, typename Parse>
	ApiResult<T> convert(const std::string& method, ApiResult<json> result, Parse parse) {
		if (!result)
			return result.error();
		try {
			return parse(result.value());
		} catch (const json::exception& e) {
			return error_of(ApiError::Kind::malformed, method, std::string("unexpected result: ") + e.what(),
			                200);
		}
	}
};

namespace {

bool parse_true(const json& j) {
	return j.get<bool>();
}

void add_common(json& p, const std::optional<int64_t>& thread, bool disable_notification) {
	if (thread)
		p["message_thread_id"] = *thread;
	if (disable_notification)
		p["disable_notification"] = true;
}

} // namespace

ApiClient::ApiClient(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
ApiClient::~ApiClient() = default;

ApiResult<User> ApiClient::get_me() {
	return impl_->call<User>("getMe", json::object(), parse_user);
}

ApiResult<std::vector<Update>> ApiClient::get_updates(int64_t offset, int limit, std::chrono::seconds timeout,
                                                      const std::vector<std::string>& allowed_updates) {
	json p{{"offset", offset},
	       {"limit", limit},
	       {"timeout", timeout.count()},
	       {"allowed_updates", allowed_updates}};
	auto total = std::chrono::duration_cast<std::chrono::milliseconds>(timeout) + impl_->options.poll_margin;
	return impl_->call<std::vector<Update>>(
	    "getUpdates", p,
	    [](const json& j) {
		    std::vector<Update> out;
		    for (const json& u : j.get_ref<const json::array_t&>())
			    out.push_back(parse_update(u));
		    return out;
	    },
	    total);
}

ApiResult<Message> ApiClient::send_message(int64_t chat_id, const std::string& text, const SendOptions& o) {
	if (auto problem = keyboard_problem(o.keyboard))
		return error_of(ApiError::Kind::invalid, "sendMessage", *problem);
	json p{{"chat_id", chat_id}, {"text", text}};
	if (o.html)
		p["parse_mode"] = "HTML";
	if (o.keyboard)
		p["reply_markup"] = keyboard_json(*o.keyboard);
	if (o.disable_link_preview)
		p["link_preview_options"] = {{"is_disabled", true}};
	if (o.reply_to_message_id)
		p["reply_parameters"] = {{"message_id", *o.reply_to_message_id},
		                         {"allow_sending_without_reply", true}};
	add_common(p, o.message_thread_id, o.disable_notification);
	return impl_->call<Message>("sendMessage", p, parse_message);
}

ApiResult<Message> ApiClient::edit_message_text(int64_t chat_id, int64_t message_id, const std::string& text,
                                                const std::optional<InlineKeyboard>& keyboard, bool html,
                                                bool disable_link_preview) {
	if (auto problem = keyboard_problem(keyboard))
		return error_of(ApiError::Kind::invalid, "editMessageText", *problem);
	json p{{"chat_id", chat_id}, {"message_id", message_id}, {"text", text}};
	if (html)
		p["parse_mode"] = "HTML";
	if (keyboard)
		p["reply_markup"] = keyboard_json(*keyboard);
	if (disable_link_preview)
		p["link_preview_options"] = {{"is_disabled", true}};
	return impl_->call<Message>("editMessageText", p, parse_message);
}

ApiResult<Message> ApiClient::edit_message_caption(int64_t chat_id, int64_t message_id,
                                                   const std::string& caption,
                                                   const std::optional<InlineKeyboard>& keyboard) {
	if (auto problem = keyboard_problem(keyboard))
		return error_of(ApiError::Kind::invalid, "editMessageCaption", *problem);
	json p{{"chat_id", chat_id}, {"message_id", message_id}, {"caption", caption}, {"parse_mode", "HTML"}};
	if (keyboard)
		p["reply_markup"] = keyboard_json(*keyboard);
	return impl_->call<Message>("editMessageCaption", p, parse_message);
}

ApiResult<Message> ApiClient::edit_message_reply_markup(int64_t chat_id, int64_t message_id,
                                                        const std::optional<InlineKeyboard>& keyboard) {
	if (auto problem = keyboard_problem(keyboard))
		return error_of(ApiError::Kind::invalid, "editMessageReplyMarkup", *problem);
	json p{{"chat_id", chat_id}, {"message_id", message_id}};
	if (keyboard)
		p["reply_markup"] = keyboard_json(*keyboard);
	return impl_->call<Message>("editMessageReplyMarkup", p, parse_message);
}

ApiResult<bool> ApiClient::answer_callback_query(const std::string& callback_query_id,
                                                 const std::string& text, bool show_alert) {
	json p{{"callback_query_id", callback_query_id}};
	if (!text.empty())
		p["text"] = text;
	if (show_alert)
		p["show_alert"] = true;
	return impl_->call<bool>("answerCallbackQuery", p, parse_true);
}

ApiResult<bool> ApiClient::delete_message(int64_t chat_id, int64_t message_id) {
	return impl_->call<bool>("deleteMessage", json{{"chat_id", chat_id}, {"message_id", message_id}},
	                         parse_true);
}

ApiResult<Message> ApiClient::send_photo(int64_t chat_id, const std::string& png, const PhotoOptions& o) {
	std::vector<FormField> fields{{"chat_id", std::to_string(chat_id), "", ""}};
	if (!o.caption.empty()) {
		fields.push_back({"caption", o.caption, "", ""});
		if (o.html)
			fields.push_back({"parse_mode", "HTML", "", ""});
	}
	if (o.message_thread_id)
		fields.push_back({"message_thread_id", std::to_string(*o.message_thread_id), "", ""});
	if (o.disable_notification)
		fields.push_back({"disable_notification", "true", "", ""});
	fields.push_back({"photo", png, o.filename, "image/png"});
	return impl_->upload("sendPhoto", std::move(fields), o.keyboard);
}

ApiResult<Message> ApiClient::edit_message_photo(int64_t chat_id, int64_t message_id, const std::string& png,
                                                 const PhotoOptions& o) {
	json media{{"type", "photo"}, {"media", "attach://photo"}};
	if (!o.caption.empty()) {
		media["caption"] = o.caption;
		if (o.html)
			media["parse_mode"] = "HTML";
	}
	std::vector<FormField> fields{{"chat_id", std::to_string(chat_id), "", ""},
	                              {"message_id", std::to_string(message_id), "", ""},
	                              {"media", media.dump(), "", ""},
	                              {"photo", png, o.filename, "image/png"}};
	return impl_->upload("editMessageMedia", std::move(fields), o.keyboard);
}

ApiResult<bool> ApiClient::set_my_commands(const std::vector<BotCommand>& commands,
                                           const std::string& language_code,
                                           std::optional<int64_t> scope_chat) {
	json list = json::array();
	for (const BotCommand& c : commands)
		list.push_back({{"command", c.command}, {"description", c.description}});
	json p{{"commands", list}};
	if (!language_code.empty())
		p["language_code"] = language_code;
	if (scope_chat)
		p["scope"] = {{"type", "chat"}, {"chat_id", *scope_chat}};
	return impl_->call<bool>("setMyCommands", p, parse_true);
}

ApiResult<ChatMember> ApiClient::get_chat_member(int64_t chat_id, int64_t user_id) {
	return impl_->call<ChatMember>(
	    "getChatMember", json{{"chat_id", chat_id}, {"user_id", user_id}}, [](const json& j) {
		    ChatMember m{j.at("status").get<std::string>()};
		    // Only ChatMemberRestricted carries is_member. A status Telegram adds later is not a
		    // member until we know what it means (never allow on doubt).
		    m.is_member = m.status == "restricted"
		                      ? j.value("is_member", false)
		                      : m.status == "member" || m.status == "administrator" || m.status == "creator";
		    return m;
	    });
}

ApiResult<bool> ApiClient::set_webhook(const WebhookOptions& o) {
	json p{{"url", o.url},
	       {"allowed_updates", o.allowed_updates},
	       {"drop_pending_updates", o.drop_pending_updates},
	       {"max_connections", o.max_connections}};
	if (!o.secret_token.empty())
		p["secret_token"] = o.secret_token;
	return impl_->call<bool>("setWebhook", p, parse_true);
}

ApiResult<bool> ApiClient::delete_webhook(bool drop_pending_updates) {
	return impl_->call<bool>("deleteWebhook", json{{"drop_pending_updates", drop_pending_updates}},
	                         parse_true);
}

ApiResult<WebhookInfo> ApiClient::get_webhook_info() {
	return impl_->call<WebhookInfo>("getWebhookInfo", json::object(), parse_webhook_info);
}

} // namespace serversan::bot::telegram
