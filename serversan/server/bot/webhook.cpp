#include "serversan/server/bot/webhook.h"

#include <nlohmann/json.hpp>

#include "serversan/core/crypto.h"
#include "serversan/core/log.h"
#include "serversan/server/bot/telegram/parse.h"

namespace serversan::bot {

namespace {

std::span<const uint8_t> bytes(std::string_view s) {
	return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

} // namespace

WebhookReceiver::WebhookReceiver(store::Store& store, UpdateHandler& handler, const Clock& clock,
                                 std::string secret, size_t max_queue)
    : sink_(store, handler, clock), secret_(std::move(secret)), max_queue_(max_queue) {}

WebhookReceiver::~WebhookReceiver() {
	stop();
}

int WebhookReceiver::receive(std::string_view secret_header, std::string_view body) {
	// Lengths differ: unequal, and the secret's length is no secret worth hiding.
	if (secret_.empty() || !crypto::constant_time_equal(bytes(secret_header), bytes(secret_)))
		return 401;
	telegram::Update u;
	try {
		u = telegram::parse_update(nlohmann::json::parse(body));
	} catch (const nlohmann::json::exception&) {
		return 400;
	}
	{
		std::lock_guard lock(mu_);
		if (queue_.size() >= max_queue_)
			return 503;
		queue_.push_back(std::move(u));
	}
	worker_.wake();
	return 200;
}

size_t WebhookReceiver::step() {
	size_t n = 0;
	while (true) {
		telegram::Update u;
		{
			std::lock_guard lock(mu_);
			if (queue_.empty())
				return n;
			u = std::move(queue_.front());
			queue_.pop_front();
		}
		(void)sink_.handle(u);
		++n;
	}
}

void WebhookReceiver::start() {
	worker_.start([this] {
		step();
		return std::optional(std::chrono::milliseconds(1000));
	});
}

void WebhookReceiver::stop() {
	worker_.stop();
}

} // namespace serversan::bot
