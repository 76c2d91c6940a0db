// FakeBotApi: routing, fault injection, the call log, getUpdates long polling, the webhook
// methods and delivery, and the /sim/* API. The methods that only change state are in
// fake_methods.cpp, the HTTP front in http_server.cpp.
#include "test/fake_telegram/fake_bot_api.h"

#include <condition_variable>
#include <mutex>
#include <regex>
#include <thread>

#include "test/fake_telegram/fake_html.h"
#include "test/fake_telegram/fake_state.h"
#include "test/fake_telegram/http_server.h"

namespace serversan::fake_telegram {

using nlohmann::json;
using steady = std::chrono::steady_clock;

Reply ok_reply(json result, const std::string& description) {
	json e{{"ok", true}, {"result", std::move(result)}};
	if (!description.empty())
		e["description"] = description;
	return {200, std::move(e)};
}

Reply error_reply(int code, const std::string& description, json parameters) {
	json e{{"ok", false}, {"error_code", code}, {"description", description}};
	if (!parameters.is_null())
		e["parameters"] = std::move(parameters);
	return {code, std::move(e)};
}

int64_t State::now_s() const {
	const Clock& c = options.clock ? *options.clock : SystemClock::instance();
	return c.unix_seconds();
}

void State::clear() {
	next_update_id = options.first_update_id;
	updates.clear();
	allowed_updates = json::array();
	chats.clear();
	next_message_id.clear();
	messages.clear();
	callback_queries.clear();
	next_callback_id = 1;
	photos.clear();
	commands.clear();
	member_status.clear();
	webhook_url.clear();
	webhook_secret.clear();
	webhook_max_connections = 40;
	webhook_last_error_date = 0;
	webhook_last_error.clear();
}

int64_t State::queue_update(json update) {
	std::string kind;
	for (auto& [k, v] : update.items())
		if (k != "update_id") {
			kind = k;
			break;
		}
	bool allowed;
	if (allowed_updates.empty())
		allowed = kind != "chat_member" && kind != "message_reaction" && kind != "message_reaction_count";
	else
		allowed = std::find(allowed_updates.begin(), allowed_updates.end(), kind) != allowed_updates.end();
	if (!allowed)
		return 0;
	int64_t id = next_update_id++;
	update["update_id"] = id;
	updates.push_back(std::move(update));
	return id;
}

json State::remember_chat(const SimChat& chat) {
	json c{{"id", chat.id}, {"type", chat.type}};
	if (!chat.title.empty())
		c["title"] = chat.title;
	if (chat.is_forum)
		c["is_forum"] = true;
	chats[chat.id] = c;
	return c;
}

int64_t State::take_message_id(int64_t chat_id) {
	auto [it, added] = next_message_id.try_emplace(chat_id, 1);
	return it->second++;
}

Fault Fault::too_many_requests(std::string method, int retry_after) {
	Fault f;
	f.method = std::move(method);
	f.error_code = 429;
	f.description = "Too Many Requests: retry after " + std::to_string(retry_after);
	f.retry_after = retry_after;
	return f;
}

Fault Fault::blocked_by(int64_t chat_id) {
	Fault f;
	f.chat_id = chat_id;
	f.error_code = 403;
	f.description = "Forbidden: bot was blocked by the user";
	return f;
}

Fault Fault::chat_not_found(int64_t chat_id) {
	Fault f;
	f.chat_id = chat_id;
	f.description = "Bad Request: chat not found";
	return f;
}

Fault Fault::server_error(std::string method, int code) {
	Fault f;
	f.method = std::move(method);
	f.error_code = code;
	f.description = code == 502 ? "Bad Gateway" : "Internal Server Error";
	return f;
}

Fault Fault::malformed(std::string method, Kind kind) {
	Fault f;
	f.method = std::move(method);
	f.kind = kind;
	return f;
}

namespace {

json user_json(const SimUser& u) {
	json j{{"id", u.id}, {"is_bot", false}, {"first_name", u.first_name}};
	if (!u.username.empty())
		j["username"] = u.username;
	if (!u.language_code.empty())
		j["language_code"] = u.language_code;
	return j;
}

HttpAnswer json_answer(int status, const json& body) {
	return {status, "application/json", body.dump()};
}

HttpAnswer fault_answer(const Fault& f) {
	switch (f.kind) {
	case Fault::Kind::api_error: {
		json parameters;
		if (f.retry_after)
			parameters["retry_after"] = *f.retry_after;
		if (f.migrate_to_chat_id)
			parameters["migrate_to_chat_id"] = *f.migrate_to_chat_id;
		Reply r = error_reply(f.error_code, f.description, parameters);
		return json_answer(r.status, r.envelope);
	}
	case Fault::Kind::html_page:
		if (!f.body.empty())
			return {502, "text/html", f.body};
		return {502, "text/html",
		        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad "
		        "Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"};
	case Fault::Kind::no_json_500:
		return {500, "text/plain", "Internal Server Error"};
	case Fault::Kind::truncated_json:
		return {200, "application/json", R"({"ok":true,"result":{"message_id":17,"from":{"id":1)"};
	case Fault::Kind::null_result:
		return {200, "application/json", R"({"ok":true,"result":null})"};
	case Fault::Kind::missing_result:
		return {200, "application/json", R"({"ok":true})"};
	case Fault::Kind::wrong_types:
		return {200, "application/json",
		        R"({"ok":true,"result":{"message_id":"seventeen","id":"x","update_id":"u","chat":"nowhere",)"
		        R"("date":"today","is_bot":"maybe","first_name":7,"url":5,"pending_update_count":"many"}})"};
	case Fault::Kind::drop_connection: {
		HttpAnswer a;
		a.drop = true;
		return a;
	}
	case Fault::Kind::delay:
		break;
	}
	return {500, "text/plain", "unreachable"};
}

// Path and query of a request target. The absolute form ("http://host/path", what a client sends
// to an HTTP proxy) is accepted as HTTP/1.1 requires, so a test can name the fake as its proxy.
std::pair<std::string, std::string> split_target(std::string target) {
	if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0) {
		size_t path = target.find('/', target.find("//") + 2);
		target = path == std::string::npos ? "/" : target.substr(path);
	}
	size_t q = target.find('?');
	if (q == std::string::npos)
		return {target, ""};
	return {target.substr(0, q), target.substr(q + 1)};
}

} // namespace

struct FakeBotApi::Impl {
	FakeBotApi* self = nullptr;
	mutable std::mutex mu;
	mutable std::condition_variable cv; // any change: an update, a call, a webhook, stopping
	State state;
	std::vector<Fault> faults;
	std::vector<Call> calls;
	uint64_t poll_generation = 0;
	size_t waiting_polls = 0;
	bool stopping = false;
	steady::time_point webhook_next_try{};
	std::thread webhook_thread;
	std::unique_ptr<HttpServer> server;

	HttpAnswer handle(const HttpRequest& req);
	HttpAnswer bot_call(const std::string& method, const HttpRequest& req, const std::string& query);
	HttpAnswer sim(const std::string& path, const std::string& query, const HttpRequest& req);
	std::optional<Fault> take_fault(const std::string& method, const Params& p);
	void record(const std::string& method, const Params& p, const HttpAnswer& a);
	Reply get_updates(std::unique_lock<std::mutex>& lock, const Params& p);
	Reply webhook_method(const std::string& method, const Params& p);
	void deliver_webhooks();
};

HttpAnswer FakeBotApi::Impl::handle(const HttpRequest& req) {
	auto [path, query] = split_target(req.target);
	if (path.rfind("/sim/", 0) == 0)
		return sim(path, query, req);
	if (path.rfind("/bot", 0) == 0) {
		size_t slash = path.find('/', 4);
		std::string token = path.substr(4, slash == std::string::npos ? std::string::npos : slash - 4);
		if (token != state.options.token)
			return json_answer(401, error_reply(401, "Unauthorized").envelope);
		std::string method = slash == std::string::npos ? "" : canonical_method(path.substr(slash + 1));
		if (!method.empty())
			return bot_call(method, req, query);
	}
	return json_answer(404, error_reply(404, "Not Found").envelope);
}

HttpAnswer FakeBotApi::Impl::bot_call(const std::string& method, const HttpRequest& req,
                                      const std::string& query) {
	std::string error;
	auto params = parse_params(query, req.content_type, req.body, &error);
	if (!params)
		return json_answer(400, bad_request(error).envelope);
	if (auto f = take_fault(method, *params)) {
		if (f->kind != Fault::Kind::delay) {
			HttpAnswer a = fault_answer(*f);
			record(method, *params, a);
			return a;
		}
		std::unique_lock lock(mu);
		cv.wait_for(lock, f->delay, [&] { return stopping; });
	}
	std::unique_lock lock(mu);
	Reply r;
	if (method == "getUpdates")
		r = get_updates(lock, *params);
	else if (method == "setWebhook" || method == "deleteWebhook" || method == "getWebhookInfo")
		r = webhook_method(method, *params);
	else
		r = handle_stateful_method(state, method, *params).value_or(error_reply(404, "Not Found"));
	lock.unlock();
	HttpAnswer a = json_answer(r.status, r.envelope);
	record(method, *params, a);
	return a;
}

std::optional<Fault> FakeBotApi::Impl::take_fault(const std::string& method, const Params& p) {
	std::lock_guard lock(mu);
	bool bad = false;
	auto chat = p.integer("chat_id", &bad);
	for (size_t i = 0; i < faults.size(); ++i) {
		Fault& f = faults[i];
		if (!f.method.empty() && f.method != method)
			continue;
		if (f.chat_id && f.chat_id != chat)
			continue;
		Fault hit = f;
		if (f.times > 0 && --f.times == 0)
			faults.erase(faults.begin() + static_cast<std::ptrdiff_t>(i));
		return hit;
	}
	return std::nullopt;
}

void FakeBotApi::Impl::record(const std::string& method, const Params& p, const HttpAnswer& a) {
	Call c{method, p.to_json(), a.drop ? 0 : a.status, json::parse(a.body, nullptr, false)};
	if (c.answer.is_discarded())
		c.answer = nullptr;
	std::lock_guard lock(mu);
	calls.push_back(std::move(c));
	cv.notify_all();
}

Reply FakeBotApi::Impl::get_updates(std::unique_lock<std::mutex>& lock, const Params& p) {
	if (!state.webhook_url.empty())
		return error_reply(
		    409,
		    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the "
		    "webhook first");
	bool bad = false;
	int64_t offset = p.integer("offset", &bad).value_or(0);
	int64_t limit = std::clamp<int64_t>(p.integer("limit", &bad).value_or(100), 1, 100);
	int64_t timeout = std::clamp<int64_t>(p.integer("timeout", &bad).value_or(0), 0, 3600);
	auto allowed = p.object("allowed_updates", &bad);
	if (bad)
		return bad_request("wrong parameter type");
	if (allowed && allowed->is_array())
		state.allowed_updates = *allowed;
	auto confirm = [&] {
		if (offset > 0) {
			while (!state.updates.empty() && state.updates.front()["update_id"].get<int64_t>() < offset)
				state.updates.pop_front();
		} else if (offset < 0) {
			while (static_cast<int64_t>(state.updates.size()) > -offset)
				state.updates.pop_front();
		}
	};
	confirm();
	uint64_t generation = ++poll_generation;
	cv.notify_all(); // an older poll still waiting ends with 409
	auto deadline = steady::now() + std::chrono::seconds(timeout);
	++waiting_polls;
	while (state.updates.empty() && !stopping && generation == poll_generation && state.webhook_url.empty()) {
		if (cv.wait_until(lock, deadline) == std::cv_status::timeout)
			break;
		confirm();
	}
	--waiting_polls;
	if (generation != poll_generation)
		return error_reply(409, "Conflict: terminated by other getUpdates request; make sure that only one "
		                        "bot instance is running");
	json result = json::array();
	for (const json& u : state.updates) {
		if (static_cast<int64_t>(result.size()) >= limit)
			break;
		result.push_back(u);
	}
	return ok_reply(result);
}

Reply FakeBotApi::Impl::webhook_method(const std::string& method, const Params& p) {
	bool bad = false;
	if (method == "getWebhookInfo") {
		json info{{"url", state.webhook_url},
		          {"has_custom_certificate", false},
		          {"pending_update_count", state.updates.size()}};
		if (!state.webhook_url.empty())
			info["max_connections"] = state.webhook_max_connections;
		if (state.webhook_last_error_date) {
			info["last_error_date"] = state.webhook_last_error_date;
			info["last_error_message"] = state.webhook_last_error;
		}
		if (!state.allowed_updates.empty())
			info["allowed_updates"] = state.allowed_updates;
		return ok_reply(info);
	}
	std::string url = method == "setWebhook" ? p.text("url").value_or("") : "";
	if (p.flag("drop_pending_updates"))
		state.updates.clear();
	if (url.empty()) {
		bool had = !state.webhook_url.empty();
		state.webhook_url.clear();
		state.webhook_secret.clear();
		cv.notify_all();
		return ok_reply(true, had ? "Webhook was deleted" : "Webhook is already deleted");
	}
	// Telegram wants https; like the local Bot API server in --local mode, plain http is accepted
	// so that tests can receive deliveries without a certificate.
	if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
		return bad_request("bad webhook: An HTTPS URL must be provided for webhook");
	std::string secret = p.text("secret_token").value_or("");
	static const std::regex secret_re("[A-Za-z0-9_-]{1,256}");
	if (!secret.empty() && !std::regex_match(secret, secret_re))
		return bad_request("secret token contains unallowed characters");
	int64_t max_connections = p.integer("max_connections", &bad).value_or(40);
	if (bad || max_connections < 1 || max_connections > 100)
		return bad_request("bad webhook: max_connections must be between 1 and 100");
	if (auto allowed = p.object("allowed_updates", &bad); allowed && allowed->is_array())
		state.allowed_updates = *allowed;
	state.webhook_url = url;
	state.webhook_secret = secret;
	state.webhook_max_connections = static_cast<int>(max_connections);
	state.webhook_last_error_date = 0;
	state.webhook_last_error.clear();
	webhook_next_try = {};
	cv.notify_all();
	return ok_reply(true, "Webhook was set");
}

void FakeBotApi::Impl::deliver_webhooks() {
	std::unique_lock lock(mu);
	while (!stopping) {
		if (state.webhook_url.empty() || state.updates.empty()) {
			cv.wait(lock);
			continue;
		}
		if (steady::now() < webhook_next_try) {
			cv.wait_until(lock, webhook_next_try);
			continue;
		}
		json update = state.updates.front();
		std::string url = state.webhook_url;
		std::vector<std::string> headers;
		if (!state.webhook_secret.empty())
			headers.push_back("X-Telegram-Bot-Api-Secret-Token: " + state.webhook_secret);
		lock.unlock();
		std::string error;
		int status = post_json(url, headers, update.dump(), std::chrono::seconds(5), &error);
		lock.lock();
		if (status >= 200 && status < 300) {
			if (!state.updates.empty() && state.updates.front()["update_id"] == update["update_id"])
				state.updates.pop_front();
		} else {
			state.webhook_last_error_date = state.now_s();
			state.webhook_last_error =
			    status < 0 ? error : "Wrong response from the webhook: " + std::to_string(status);
			webhook_next_try = steady::now() + state.options.webhook_retry;
		}
		cv.notify_all();
	}
}

HttpAnswer FakeBotApi::Impl::sim(const std::string& path, const std::string& query, const HttpRequest& req) {
	auto answer = [](json result) {
		return json_answer(200, json{{"ok", true}, {"result", std::move(result)}});
	};
	std::string error;
	auto q = parse_params(query, "", "", &error);
	json body = req.body.empty() ? json::object() : json::parse(req.body, nullptr, false);
	if (body.is_discarded() || !body.is_object())
		return json_answer(400, json{{"ok", false}, {"description", "body must be a JSON object"}});
	auto user = [&] {
		SimUser u;
		const json& j = body.value("user", json::object());
		u.id = j.value("id", u.id);
		u.first_name = j.value("first_name", u.first_name);
		u.username = j.value("username", u.username);
		u.language_code = j.value("language_code", u.language_code);
		return u;
	};
	auto chat = [&](const SimUser& u) {
		SimChat c;
		c.id = u.id;
		const json& j = body.value("chat", json::object());
		c.id = j.value("id", c.id);
		c.type = j.value("type", c.type);
		c.title = j.value("title", c.title);
		c.is_forum = j.value("is_forum", c.is_forum);
		return c;
	};
	std::optional<int64_t> thread;
	if (body.contains("message_thread_id") && body["message_thread_id"].is_number_integer())
		thread = body["message_thread_id"].get<int64_t>();
	try {
		if (path == "/sim/message" || path == "/sim/command") {
			SimUser u = user();
			return answer({{"update_id", self->inject_message(u, chat(u), body.value("text", ""), thread)}});
		}
		if (path == "/sim/callback") {
			SimUser u = user();
			std::string id;
			int64_t update = self->press_button(u, chat(u), body.value("message_id", int64_t{0}),
			                                    body.value("data", ""), &id);
			return answer({{"update_id", update}, {"callback_query_id", id}});
		}
		if (path == "/sim/update")
			return answer({{"update_id", self->inject_update(body.value("update", json::object()))}});
		if (path == "/sim/chat") {
			SimChat c = chat(user());
			self->add_chat(c);
			return answer(true);
		}
		if (path == "/sim/member") {
			// What getChatMember answers for the user in the chat: "administrator", "creator"...
			SimUser u = user();
			SimChat c = chat(u);
			self->add_chat(c);
			self->set_member_status(c.id, u.id, body.value("status", "member"));
			return answer(true);
		}
		if (path == "/sim/fail") {
			static const std::map<std::string, Fault::Kind> kinds = {
			    {"api_error", Fault::Kind::api_error},
			    {"html_page", Fault::Kind::html_page},
			    {"no_json_500", Fault::Kind::no_json_500},
			    {"truncated_json", Fault::Kind::truncated_json},
			    {"null_result", Fault::Kind::null_result},
			    {"missing_result", Fault::Kind::missing_result},
			    {"wrong_types", Fault::Kind::wrong_types},
			    {"drop_connection", Fault::Kind::drop_connection},
			    {"delay", Fault::Kind::delay}};
			Fault f;
			auto kind = kinds.find(body.value("kind", "api_error"));
			if (kind == kinds.end())
				return json_answer(400, json{{"ok", false}, {"description", "unknown fault kind"}});
			f.kind = kind->second;
			f.method = body.value("method", "");
			if (body.contains("chat_id"))
				f.chat_id = body["chat_id"].get<int64_t>();
			f.error_code = body.value("error_code", f.error_code);
			f.description = body.value("description", f.description);
			if (body.contains("retry_after"))
				f.retry_after = body["retry_after"].get<int>();
			if (body.contains("migrate_to_chat_id"))
				f.migrate_to_chat_id = body["migrate_to_chat_id"].get<int64_t>();
			f.delay = std::chrono::milliseconds(body.value("delay_ms", 0));
			f.times = body.value("times", 1);
			self->fail(f);
			return answer(true);
		}
		if (path == "/sim/clear_faults") {
			self->clear_faults();
			return answer(true);
		}
		if (path == "/sim/reset") {
			self->reset();
			return answer(true);
		}
		if (path == "/sim/calls") {
			json out = json::array();
			for (const Call& c : self->calls(q ? q->text("method").value_or("") : ""))
				out.push_back(
				    {{"method", c.method}, {"params", c.params}, {"status", c.status}, {"answer", c.answer}});
			return answer(out);
		}
		if (path == "/sim/messages") {
			bool bad = false;
			auto id = q ? q->integer("chat_id", &bad) : std::nullopt;
			return answer(self->messages(id.value_or(0)));
		}
		if (path == "/sim/photos") {
			json out = json::array();
			for (const Photo& p : self->photos())
				out.push_back({{"chat_id", p.chat_id},
				               {"message_id", p.message_id},
				               {"filename", p.filename},
				               {"content_type", p.content_type},
				               {"size", p.bytes.size()},
				               {"caption", p.caption}});
			return answer(out);
		}
		if (path == "/sim/wait") {
			bool got = self->wait_for_call(body.value("method", ""), body.value("count", 1),
			                               std::chrono::milliseconds(body.value("timeout_ms", 5000)));
			return answer(got);
		}
		if (path == "/sim/state") {
			std::lock_guard lock(mu);
			return answer({{"pending_updates", state.updates.size()},
			               {"webhook_url", state.webhook_url},
			               {"connections", server ? server->connections_accepted() : 0}});
		}
	} catch (const json::exception& e) {
		return json_answer(400, json{{"ok", false}, {"description", e.what()}});
	}
	return json_answer(404, json{{"ok", false}, {"description", "unknown /sim/ endpoint"}});
}

FakeBotApi::FakeBotApi() : FakeBotApi(Options{}) {}

FakeBotApi::FakeBotApi(Options options) : impl_(std::make_unique<Impl>()) {
	impl_->self = this;
	impl_->state.options = std::move(options);
	impl_->state.bot_user = {{"id", bot_id()},
	                         {"is_bot", true},
	                         {"first_name", impl_->state.options.bot_first_name},
	                         {"username", impl_->state.options.bot_username}};
	impl_->state.clear();
	const Options& o = impl_->state.options;
	impl_->server = std::make_unique<HttpServer>(
	    o.port, [this](const HttpRequest& r) { return impl_->handle(r); },
	    HttpServer::Tls{o.tls_cert_file, o.tls_key_file});
	impl_->webhook_thread = std::thread([this] { impl_->deliver_webhooks(); });
}

FakeBotApi::~FakeBotApi() {
	{
		std::lock_guard lock(impl_->mu);
		impl_->stopping = true;
		impl_->cv.notify_all();
	}
	impl_->server.reset();
	impl_->webhook_thread.join();
}

std::string FakeBotApi::base_url() const {
	std::string scheme = impl_->state.options.tls_cert_file.empty() ? "http" : "https";
	return scheme + "://127.0.0.1:" + std::to_string(port());
}

uint16_t FakeBotApi::port() const {
	return impl_->server->port();
}

const std::string& FakeBotApi::token() const {
	return impl_->state.options.token;
}

int64_t FakeBotApi::bot_id() const {
	const std::string& t = impl_->state.options.token;
	return std::stoll(t.substr(0, t.find(':')));
}

size_t FakeBotApi::connections_accepted() const {
	return impl_->server->connections_accepted();
}

void FakeBotApi::reset() {
	std::lock_guard lock(impl_->mu);
	impl_->state.clear();
	impl_->faults.clear();
	impl_->calls.clear();
	impl_->cv.notify_all();
}

int64_t FakeBotApi::inject_message(const SimUser& from, const SimChat& chat, const std::string& text,
                                   std::optional<int64_t> message_thread_id) {
	std::lock_guard lock(impl_->mu);
	State& s = impl_->state;
	json c = s.remember_chat(chat);
	json m{{"message_id", s.take_message_id(chat.id)},
	       {"from", user_json(from)},
	       {"chat", c},
	       {"date", s.now_s()},
	       {"text", text}};
	if (message_thread_id) {
		m["message_thread_id"] = *message_thread_id;
		if (chat.is_forum)
			m["is_topic_message"] = true;
	}
	if (!text.empty() && text[0] == '/') {
		size_t end = text.find_first_of(" \n");
		m["entities"] = json::array(
		    {{{"type", "bot_command"}, {"offset", 0}, {"length", utf16_units(text.substr(0, end))}}});
	}
	s.messages[{chat.id, m["message_id"].get<int64_t>()}] = m;
	int64_t id = s.queue_update({{"message", m}});
	impl_->cv.notify_all();
	return id;
}

int64_t FakeBotApi::inject_command(const SimUser& from, const SimChat& chat, const std::string& command_line,
                                   std::optional<int64_t> message_thread_id) {
	return inject_message(from, chat, command_line.rfind('/', 0) == 0 ? command_line : "/" + command_line,
	                      message_thread_id);
}

int64_t FakeBotApi::press_button(const SimUser& from, const SimChat& chat, int64_t message_id,
                                 const std::string& data, std::string* query_id) {
	std::lock_guard lock(impl_->mu);
	State& s = impl_->state;
	json c = s.remember_chat(chat);
	auto it = s.messages.find({chat.id, message_id});
	// A message the fake does not have is an InaccessibleMessage: chat, id and date 0.
	json m = it != s.messages.end() ? it->second : json{{"chat", c}, {"message_id", message_id}, {"date", 0}};
	std::string id = std::to_string(4'000'000'000'000 + s.next_callback_id++);
	s.callback_queries[id] = false;
	if (query_id)
		*query_id = id;
	int64_t update = s.queue_update({{"callback_query",
	                                  {{"id", id},
	                                   {"from", user_json(from)},
	                                   {"message", m},
	                                   {"chat_instance", std::to_string(chat.id * 31 + 7)},
	                                   {"data", data}}}});
	impl_->cv.notify_all();
	return update;
}

int64_t FakeBotApi::inject_update(json update) {
	std::lock_guard lock(impl_->mu);
	int64_t id = impl_->state.queue_update(std::move(update));
	impl_->cv.notify_all();
	return id;
}

void FakeBotApi::add_chat(const SimChat& chat) {
	std::lock_guard lock(impl_->mu);
	impl_->state.remember_chat(chat);
}

void FakeBotApi::set_member_status(int64_t chat_id, int64_t user_id, const std::string& status) {
	std::lock_guard lock(impl_->mu);
	impl_->state.member_status[{chat_id, user_id}] = status;
}

void FakeBotApi::fail(Fault fault) {
	if (!fault.method.empty())
		fault.method = canonical_method(fault.method);
	std::lock_guard lock(impl_->mu);
	impl_->faults.push_back(std::move(fault));
}

void FakeBotApi::clear_faults() {
	std::lock_guard lock(impl_->mu);
	impl_->faults.clear();
}

bool FakeBotApi::wait_for_call(const std::string& method, size_t n, std::chrono::milliseconds timeout) const {
	std::string m = canonical_method(method);
	std::unique_lock lock(impl_->mu);
	return impl_->cv.wait_for(lock, timeout, [&] {
		size_t count = 0;
		for (const Call& c : impl_->calls)
			count += c.method == m;
		return count >= n;
	});
}

std::vector<Call> FakeBotApi::calls(const std::string& method) const {
	std::string m = method.empty() ? "" : canonical_method(method);
	std::lock_guard lock(impl_->mu);
	std::vector<Call> out;
	for (const Call& c : impl_->calls)
		if (m.empty() || c.method == m)
			out.push_back(c);
	return out;
}

std::vector<json> FakeBotApi::messages(int64_t chat_id) const {
	std::lock_guard lock(impl_->mu);
	std::vector<json> out;
	for (auto it = impl_->state.messages.lower_bound({chat_id, INT64_MIN});
	     it != impl_->state.messages.end() && it->first.first == chat_id; ++it)
		out.push_back(it->second);
	return out;
}

std::vector<Photo> FakeBotApi::photos() const {
	std::lock_guard lock(impl_->mu);
	return impl_->state.photos;
}

size_t FakeBotApi::waiting_polls() const {
	std::lock_guard lock(impl_->mu);
	return impl_->waiting_polls;
}

size_t FakeBotApi::pending_updates() const {
	std::lock_guard lock(impl_->mu);
	return impl_->state.updates.size();
}

} // namespace serversan::fake_telegram
