// The poller against the in-process fake: offsets across a restart, no hot spinning, 401, and the
// token never in what it logs.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "serversan/core/log.h"
#include "serversan/server/bot/poller.h"
#include "test/fake_telegram/fake_bot_api.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::bot;
using namespace serversan::fake_telegram;
using namespace std::chrono_literals;

namespace {

struct Recorder final : UpdateHandler {
	std::vector<std::string> texts;
	void handle(const telegram::Update& u) override {
		if (u.message)
			texts.push_back(u.message->text);
	}
};

struct PollerTest : ::testing::Test {
	serversan::testing::TempDir dir;
	std::unique_ptr<store::Store> store = store::open_sqlite_store(dir.file("s.db")).value();
	FakeBotApi fake;
	SimUser alice;
	SimChat chat;
	Recorder handler;
	ManualClock clock;

	telegram::ClientOptions client_options() {
		telegram::ClientOptions o;
		o.api_url = fake.base_url();
		o.token = fake.token();
		o.request_timeout = 5s;
		o.poll_margin = 5s;
		return o;
	}
	PollerOptions fast() {
		PollerOptions p;
		p.timeout = 0s;
		p.min_interval = 0ms;
		return p;
	}
};

} // namespace

TEST_F(PollerTest, OffsetsSurviveARestartWithoutLossOrRepeat) {
	fake.inject_message(alice, chat, "one");
	fake.inject_message(alice, chat, "two");
	{
		telegram::ApiClient api(client_options());
		Poller p(*store, api, handler, clock, fast());
		std::chrono::milliseconds wait;
		ASSERT_EQ(p.poll_once(&wait), Poller::Next::poll);
	}
	EXPECT_EQ(handler.texts, (std::vector<std::string>{"one", "two"}));
	fake.inject_message(alice, chat, "three");
	// A new process: a new store handle and a new client. Telegram still holds "one" and "two"
	// (never confirmed by a later offset), yet they are not handled again.
	store.reset();
	store = store::open_sqlite_store(dir.file("s.db")).value();
	telegram::ApiClient api(client_options());
	Poller p(*store, api, handler, clock, fast());
	std::chrono::milliseconds wait;
	ASSERT_EQ(p.poll_once(&wait), Poller::Next::poll);
	ASSERT_EQ(p.poll_once(&wait), Poller::Next::poll);
	EXPECT_EQ(handler.texts, (std::vector<std::string>{"one", "two", "three"}));
	auto polls = fake.calls("getUpdates");
	ASSERT_GE(polls.size(), 2u);
	EXPECT_EQ(polls[1].params.value("offset", int64_t{0}), 3); // confirmed up to "two"
	EXPECT_EQ(polls[1].params["allowed_updates"],
	          nlohmann::json::array({"message", "callback_query", "my_chat_member"}));
}

TEST_F(PollerTest, NeverSpinsAgainstAnApiThatAnswersALongPollAtOnce) {
	telegram::ApiClient api(client_options());
	PollerOptions o;
	o.timeout = 0s; // the fake answers at once: what a broken long poll looks like
	o.min_interval = 500ms;
	Poller p(*store, api, handler, clock, o);
	p.start();
	std::this_thread::sleep_for(1s);
	p.stop();
	EXPECT_LE(fake.calls("getUpdates").size(), 3u);
	EXPECT_GE(fake.calls("getUpdates").size(), 1u);
}

TEST_F(PollerTest, ErrorsBackOff) {
	Fault f = Fault::server_error("getUpdates", 502);
	f.times = -1;
	fake.fail(f);
	telegram::ApiClient api(client_options());
	PollerOptions o = fast();
	o.first_backoff = 200ms;
	Poller p(*store, api, handler, clock, o);
	p.start();
	std::this_thread::sleep_for(1s);
	p.stop();
	EXPECT_LE(fake.calls("getUpdates").size(), 4u); // 0.1-0.2, 0.2-0.4, 0.4-0.8 s
}

TEST_F(PollerTest, UnauthorizedStopsThePollerForGood) {
	Fault f;
	f.method = "getUpdates";
	f.error_code = 401;
	f.description = "Unauthorized";
	fake.fail(f);
	telegram::ApiClient api(client_options());
	Poller p(*store, api, handler, clock, fast());
	std::chrono::milliseconds wait;
	EXPECT_EQ(p.poll_once(&wait), Poller::Next::stop);
	EXPECT_TRUE(p.stopped_for_good());
}

TEST_F(PollerTest, TheTokenIsNeverInTheLog) {
	log::set_level(log::Level::debug);
	::testing::internal::CaptureStderr();
	{
		Fault page = Fault::server_error("getUpdates", 502);
		page.kind = Fault::Kind::html_page;
		page.body = "<html>bad gateway for /bot" + fake.token() + "/getUpdates</html>";
		fake.fail(page);
		telegram::ApiClient api(client_options());
		Poller p(*store, api, handler, clock, fast());
		std::chrono::milliseconds wait;
		(void)p.poll_once(&wait);
		telegram::ClientOptions closed = client_options();
		closed.api_url = "http://127.0.0.1:1";
		telegram::ApiClient nowhere(closed);
		Poller q(*store, nowhere, handler, clock, fast());
		(void)q.poll_once(&wait);
	}
	std::string logged = ::testing::internal::GetCapturedStderr();
	log::set_level(log::Level::info);
	EXPECT_NE(logged.find("polling failed"), std::string::npos) << logged;
	EXPECT_EQ(logged.find(fake.token()), std::string::npos) << logged;
	EXPECT_EQ(logged.find(fake.token().substr(0, fake.token().find(':'))), std::string::npos) << logged;
}

TEST_F(PollerTest, AConflictIsLoggedOnceAndBackedOff) {
	Fault f;
	f.method = "getUpdates";
	f.error_code = 409;
	f.description =
	    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running";
	f.times = 3;
	fake.fail(f);
	telegram::ApiClient api(client_options());
	Poller p(*store, api, handler, clock, fast());
	::testing::internal::CaptureStderr();
	std::chrono::milliseconds wait{0}, previous{0};
	for (int i = 0; i < 3; ++i) {
		ASSERT_EQ(p.poll_once(&wait), Poller::Next::poll);
		EXPECT_GE(wait.count(), 500);
		EXPECT_GE(wait.count(), previous.count() / 2); // grows, jitter aside
		previous = wait;
	}
	std::string logged = ::testing::internal::GetCapturedStderr();
	size_t lines = 0;
	for (size_t at = 0; (at = logged.find("Conflict", at)) != std::string::npos; ++at)
		++lines;
	EXPECT_EQ(lines, 1u) << logged;
	fake.inject_message(alice, chat, "after");
	ASSERT_EQ(p.poll_once(&wait), Poller::Next::poll);
	EXPECT_EQ(handler.texts, std::vector<std::string>{"after"});
}
