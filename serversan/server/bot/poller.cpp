#include "serversan/server/bot/poller.h"

#include <random>

#include "serversan/core/encoding.h"
#include "serversan/core/log.h"

namespace serversan::bot {

using namespace std::chrono;

const std::vector<std::string>& allowed_updates() {
	static const std::vector<std::string> kinds = {"message", "callback_query", "my_chat_member"};
	return kinds;
}

int64_t UpdateSink::last_handled() {
	if (last_ >= 0)
		return last_;
	auto v = store_.bot_state(kLastUpdateKey);
	auto at = store_.bot_state(kLastUpdateTimeKey);
	if (!v.ok() || !at.ok()) {
		log::warn("bot: cannot read the last update id: {}", (!v.ok() ? v : at).error().message);
		return 0; // not cached: read again next time
	}
	last_ = *v ? parse_i64(**v).value_or(0) : 0;
	last_ms_ = *at ? parse_i64(**at).value_or(0) : 0;
	return last_;
}

bool UpdateSink::repeat(int64_t update_id) {
	if (last_handled() <= 0 || update_id > last_)
		return false;
	// An old store without the time: its last update may be from long ago, so only ids close
	// below it count as repeats (Telegram's random restart lands there rarely).
	if (last_ms_ <= 0)
		return last_ - update_id < 1000;
	return clock_.unix_millis() - last_ms_ < kSequenceGapMs;
}

bool UpdateSink::handle(const telegram::Update& u) {
	if (repeat(u.update_id))
		return true; // redelivered (a webhook retry, an offset not confirmed in time)
	handler_.handle(u);
	int64_t now = clock_.unix_millis();
	// The time first: a crash between the two writes leaves the old id with a newer time, which
	// at worst treats this update's redelivery as new for the old id's range, never drops one.
	auto r = store_.set_bot_state(kLastUpdateTimeKey, std::to_string(now));
	if (r.ok())
		r = store_.set_bot_state(kLastUpdateKey, std::to_string(u.update_id));
	if (!r.ok()) {
		log::warn("bot: cannot persist update id {}: {}", u.update_id, r.error().message);
		return false;
	}
	last_ = u.update_id;
	last_ms_ = now;
	return true;
}

Poller::Poller(store::Store& store, telegram::ApiClient& api, UpdateHandler& handler, const Clock& clock,
               PollerOptions options)
    : api_(api), sink_(store, handler, clock), options_(options) {}

Poller::~Poller() {
	stop();
}

Poller::Next Poller::poll_once(milliseconds* wait) {
	auto started = steady_clock::now();
	auto got =
	    api_.get_updates(sink_.last_handled() + 1, options_.limit, options_.timeout, allowed_updates());
	if (!got.ok()) {
		if (options_.stopping && options_.stopping->load())
			return Next::stop;
		const auto& e = got.error();
		if (e.kind == telegram::ApiError::Kind::api && e.error_code == 401) {
			log::error("bot: Telegram refused the bot token (401 Unauthorized): the bot stops; fix bot.token "
			           "and restart");
			dead_ = true;
			return Next::stop;
		}
		if (e.kind == telegram::ApiError::Kind::api && e.error_code == 409) {
			if (!logged_conflict_)
				log::warn("bot: {} (another instance polls, or a webhook is set)", e.message());
			logged_conflict_ = true;
		} else {
			log::warn("bot: polling failed: {}", e.message());
		}
		++errors_;
		int64_t b = std::min<int64_t>(options_.max_backoff.count(), options_.first_backoff.count()
		                                                                << std::min(errors_ - 1, 16));
		thread_local std::mt19937_64 rng{std::random_device{}()};
		*wait = milliseconds(b / 2 + static_cast<int64_t>(rng() % static_cast<uint64_t>(b / 2 + 1)));
		if (e.retry_after)
			*wait = std::max(*wait, milliseconds(*e.retry_after * 1000LL));
		return Next::poll;
	}
	errors_ = 0;
	logged_conflict_ = false;
	for (const auto& u : *got)
		if (!sink_.handle(u))
			break; // not persisted: the next poll asks for it again
	*wait = milliseconds(0);
	if (got->empty()) {
		auto took = duration_cast<milliseconds>(steady_clock::now() - started);
		if (took < options_.min_interval)
			*wait = options_.min_interval - took;
	}
	return Next::poll;
}

void Poller::start() {
	worker_.start([this]() -> std::optional<milliseconds> {
		milliseconds wait{0};
		if (poll_once(&wait) == Next::stop)
			return std::nullopt;
		return wait;
	});
}

void Poller::stop() {
	worker_.stop();
}

} // namespace serversan::bot
