// A bot without a network: a temporary SQLite store, a recording Outgoing, a manual clock and
// fake group admins, with Updates fed straight into the dispatcher. Each call returns the Replies
// that one update produced; transcript() prints them as a chat reads.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "serversan/core/clock.h"
#include "serversan/server/bot/dispatcher.h"
#include "serversan/server/store/store.h"
#include "test/unit/server/test_support.h"

namespace serversan::bot::testing {

class RecordingOutgoing final : public Outgoing {
public:
	void send(Reply r) override {
		std::lock_guard lock(mu_);
		sent_.push_back(std::move(r));
	}
	std::vector<Reply> take() {
		std::lock_guard lock(mu_);
		return std::exchange(sent_, {});
	}

private:
	std::mutex mu_;
	std::vector<Reply> sent_;
};

class FakeChatAdmins final : public ChatAdmins {
public:
	std::set<std::pair<int64_t, int64_t>> admins; // (chat, user)
	bool unreachable = false;
	Result<bool> is_admin(int64_t chat, int64_t user) override {
		if (unreachable)
			return Err("Telegram unreachable");
		return admins.count({chat, user}) > 0;
	}
};

telegram::User tg_user(int64_t id, std::string first_name, std::string language_code = "en");
telegram::Chat private_chat(const telegram::User& u);
telegram::Chat group_chat(int64_t id, std::string title = "Ops");

struct BotHarness {
	serversan::testing::TempDir dir;
	ManualClock clock;
	std::unique_ptr<store::Store> store;
	RecordingOutgoing out;
	FakeChatAdmins admins;
	BotSettings settings;
	std::unique_ptr<UpdateHandler> bot;
	int64_t next_update = 1, next_message = 100;
	// Time that passes before each update: tests that send many updates as one user set it to
	// stay under the throttle.
	std::chrono::milliseconds step{0};

	BotHarness();
	// (Re)creates the dispatcher with the current settings.
	void start();

	std::vector<Reply> say(const telegram::User& from, const telegram::Chat& chat, const std::string& text,
	                       std::optional<int64_t> thread = {});
	std::vector<Reply> press(const telegram::User& from, const telegram::Chat& chat, const std::string& data,
	                         int64_t message_id = 99);
	std::vector<Reply> feed(const telegram::Update& u);

	// The id of chat's server named name (0 if none).
	uint64_t server_id(int64_t chat, const std::string& name);
};

inline bool has(const std::string& text, const std::string& part) {
	return text.find(part) != std::string::npos;
}
// "→ text [buttons: a=data | b=data]" per reply, for eyes and for find().
std::string transcript(const std::vector<Reply>& replies);
// The first button's callback data whose text contains label, "" if none.
std::string button(const Reply& r, const std::string& label);
// The install line's token (the word after "sh -s -- "), "" if none.
std::string token_in(const std::string& text);

} // namespace serversan::bot::testing
