#include "serversan/server/bot/bot_runtime.h"

#include <algorithm>

#include <fmt/format.h>

#include "serversan/core/log.h"
#include "serversan/server/bot/dispatcher.h"
#include "serversan/server/bot/event_notices.h"
#include "serversan/server/bot/menu.h"
#include "serversan/server/bot/telegram_chat_admins.h"

namespace serversan::bot {

namespace {

telegram::ClientOptions client_options(const RuntimeOptions& o, const std::atomic<bool>& cancel) {
	telegram::ClientOptions c;
	c.cancel = &cancel;
	c.api_url = o.config.api_url;
	c.token = o.config.token;
	c.proxy = o.config.proxy;
	c.ca_file = o.ca_file;
	return c;
}

std::unique_ptr<telegram::ApiClient> client(const RuntimeOptions& o, const std::atomic<bool>& cancel) {
	return std::make_unique<telegram::ApiClient>(client_options(o, cancel));
}

// Each registered admin's private chat also lists the admin commands in Telegram's menu, in the
// admin's language. Set at start, and again by an admin's /start (someone who became admin since).
void set_admin_menus(telegram::ApiClient& api, store::Store& store) {
	auto users = store.list_users();
	auto roles = store.list_roles();
	if (!users.ok() || !roles.ok()) {
		log::warn("bot: cannot read the admins for their command menu");
		return;
	}
	for (const store::User& u : *users) {
		auto role = std::find_if(roles->begin(), roles->end(),
		                         [&](const store::Role& r) { return r.name == u.role; });
		if (role == roles->end() || !role->allows(store::kPermAdmin))
			continue;
		if (auto r = api.set_my_commands(command_menu(language_for(u.language), true), "", u.telegram_id);
		    !r.ok())
			log::warn("bot: setMyCommands for admin {} failed: {}", u.telegram_id, r.error().message());
	}
}

} // namespace

struct BotRuntime::Parts {
	std::unique_ptr<telegram::ApiClient> poll_api;
	std::unique_ptr<Sender> sender;
	std::unique_ptr<UpdateHandler> handler;
	std::unique_ptr<Poller> poller;
	std::unique_ptr<WebhookReceiver> webhook;
	std::unique_ptr<EventNotices> notices;
	std::mutex notices_mu; // step() on notices_worker, or in flush_outbox()
	WorkerThread notices_worker;
};

BotRuntime::BotRuntime(store::Store& store, const Clock& clock, RuntimeOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {
	telegram::ClientOptions admin_client = client_options(options_, cancel_);
	admin_client.request_timeout = std::chrono::seconds(5); // a user waits for this answer
	admins_ =
	    std::make_unique<TelegramChatAdmins>(std::make_unique<telegram::ApiClient>(admin_client), clock_);
}

fleet::GroupMembership& BotRuntime::membership() {
	return *admins_;
}

BotRuntime::~BotRuntime() {
	stop();
}

Result<void> BotRuntime::start() {
	auto api = client(options_, cancel_);
	auto me = api->get_me();
	if (me.ok())
		return launch(std::move(api), *me);
	const auto& e = me.error();
	if (e.kind == telegram::ApiError::Kind::api && e.error_code == 401)
		return Err("Telegram refused the bot token (401 Unauthorized): check bot.token; the bot is off");
	// Unreachable (network, proxy, 5xx): one line, then quiet retries; the queue waits in the store.
	log::warn("bot: cannot reach Telegram ({}); retrying in the background", e.message());
	retry_.start([this, api = std::shared_ptr<telegram::ApiClient>(std::move(api)),
	              wait =
	                  std::chrono::milliseconds(2500)]() mutable -> std::optional<std::chrono::milliseconds> {
		auto again = api->get_me();
		if (again.ok()) {
			if (auto r =
			        launch(std::make_unique<telegram::ApiClient>(client_options(options_, cancel_)), *again);
			    !r.ok())
				log::error("bot: {}", r.error().message);
			return std::nullopt;
		}
		if (again.error().kind == telegram::ApiError::Kind::api && again.error().error_code == 401) {
			log::error(
			    "bot: Telegram refused the bot token (401 Unauthorized): check bot.token; the bot is off");
			return std::nullopt;
		}
		wait = std::min(wait * 2, std::chrono::milliseconds(300'000));
		return wait;
	});
	return Ok();
}

Result<void> BotRuntime::launch(std::unique_ptr<telegram::ApiClient> api, const telegram::User& me) {
	std::lock_guard lock(mu_);
	if (stopped_)
		return Ok();
	username_ = me.username;
	for (Lang lang : kLanguages) {
		std::string code = lang == Lang::en ? "" : "zh";
		if (auto r = api->set_my_commands(command_menu(lang), code); !r.ok())
			log::warn("bot: setMyCommands ({}) failed: {}", lang == Lang::en ? "default" : code,
			          r.error().message());
	}
	set_admin_menus(*api, store_);
	if (options_.config.webhook) {
		telegram::WebhookOptions w;
		w.url = options_.config.webhook_url;
		w.secret_token = options_.config.webhook_secret;
		w.allowed_updates = allowed_updates();
		if (auto r = api->set_webhook(w); !r.ok())
			return Err(fmt::format("setWebhook failed: {}; the bot is off", r.error().message()));
	} else if (auto r = api->delete_webhook(false); !r.ok()) {
		log::warn("bot: deleteWebhook failed: {}", r.error().message());
	}

	auto p = std::make_unique<Parts>();
	p->poll_api = std::move(api);
	p->sender = std::make_unique<Sender>(store_, client(options_, cancel_), clock_, options_.sender);
	BotSettings settings;
	settings.public_url = options_.public_url;
	settings.login_link_ttl_ms = options_.login_link_ttl_ms;
	settings.admins = options_.config.admins;
	settings.max_servers_per_user = options_.config.max_servers_per_user;
	settings.bot_username = username_;
	// The handler runs on the poller's thread (or, with a webhook, where no poll happens): the
	// poll client is free there. One call, at an admin's /start only.
	settings.admin_menu = [api = p->poll_api.get()](int64_t chat, Lang lang) {
		if (auto r = api->set_my_commands(command_menu(lang, true), "", chat); !r.ok())
			log::warn("bot: setMyCommands for admin {} failed: {}", chat, r.error().message());
	};
	settings.rules_changed = options_.rules_changed;
	p->handler = make_dispatcher(store_, *p->sender, clock_, *admins_, std::move(settings));
	if (options_.config.webhook) {
		p->webhook =
		    std::make_unique<WebhookReceiver>(store_, *p->handler, clock_, options_.config.webhook_secret);
	} else {
		PollerOptions po = options_.poller;
		po.stopping = &cancel_;
		p->poller = std::make_unique<Poller>(store_, *p->poll_api, *p->handler, clock_, po);
	}
	p->notices = std::make_unique<EventNotices>(store_, *p->sender, clock_, options_.unused_after);
	p->sender->start();
	if (p->poller)
		p->poller->start();
	if (p->webhook) {
		p->webhook->start();
		webhook_ = p->webhook.get();
	}
	p->notices_worker.start([n = p->notices.get(), &mu = p->notices_mu] {
		std::lock_guard stepping(mu);
		n->step();
		return std::optional(std::chrono::milliseconds(5000));
	});
	parts_ = std::move(p);
	log::info("Telegram bot @{} is running: https://t.me/{}", username_, username_);
	return Ok();
}

std::string BotRuntime::webhook_path() const {
	const std::string& url = options_.config.webhook_url;
	size_t scheme = url.find("://");
	size_t slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
	if (slash == std::string::npos)
		return "/";
	return url.substr(slash, url.find('?', slash) - slash);
}

int BotRuntime::webhook_receive(std::string_view secret_header, std::string_view body) {
	// Read once: stop() clears it before the receiver goes away, and the listener stops first.
	WebhookReceiver* w = webhook_.load();
	return w ? w->receive(secret_header, body) : 503;
}

void BotRuntime::flush_outbox() {
	std::lock_guard lock(mu_);
	if (!parts_)
		return;
	{
		std::lock_guard notices(parts_->notices_mu);
		parts_->notices->step();
	}
	parts_->sender->drain();
}

void BotRuntime::stop() {
	cancel_ = true; // a long poll in flight ends now instead of after its 25 s
	retry_.stop();
	std::lock_guard lock(mu_);
	stopped_ = true;
	if (!parts_)
		return;
	webhook_ = nullptr;
	parts_->notices_worker.stop();
	if (parts_->poller)
		parts_->poller->stop();
	if (parts_->webhook)
		parts_->webhook->stop();
	parts_->sender->stop();
	parts_.reset();
}

} // namespace serversan::bot
