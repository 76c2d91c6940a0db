// What the bot's dispatcher costs per update, with a real SQLite store and no network (replies
// are counted, not sent): /list for a chat with 100 servers, /help from many users (the front
// layer: throttle, user lookup, role), the first message of a new user, a typed /delete that access refuses,
// and a flooder's dropped updates. Figures, not assertions: updates/s is items_per_second. Run:
// build/release/bench/bench_bot_dispatch   (database in $SERVERSAN_BENCH_DIR, default /tmp)
#include <atomic>
#include <chrono>
#include <filesystem>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "bench/store_bench_data.h"
#include "serversan/core/clock.h"
#include "serversan/server/bot/dispatcher.h"
#include "serversan/server/store/store.h"

using namespace serversan;
using namespace serversan::bot;

namespace {

struct CountingOutgoing final : Outgoing {
	std::atomic<uint64_t> sent{0};
	void send(Reply) override { sent.fetch_add(1, std::memory_order_relaxed); }
};

struct NoAdmins final : ChatAdmins {
	Result<bool> is_admin(int64_t, int64_t) override { return false; }
};

constexpr int64_t kOwner = 5000;    // owns 100 servers in a private chat
constexpr int64_t kStranger = 6000; // owns nothing

struct Env {
	std::filesystem::path dir = bench::bench_dir();
	std::unique_ptr<store::Store> store;
	ManualClock clock;
	CountingOutgoing out;
	NoAdmins admins;
	std::unique_ptr<UpdateHandler> bot;
	int64_t update_id = 1;
	Env() {
		store = store::open_sqlite_store((dir / "bot.db").string()).value();
		for (int i = 0; i < 100; ++i)
			(void)store::enroll_server(*store, kOwner, fmt::format("web{}", i), clock.unix_millis()).value();
		BotSettings s;
		s.public_url = "https://mon.example.com";
		s.bot_username = "SanBot";
		s.max_servers_per_user = 0;
		bot = make_dispatcher(*store, out, clock, admins, s);
		for (int64_t u = 10'000; u < 11'000; ++u) // the /help users, registered beforehand
			say(u, "/start");
		clock.advance(std::chrono::seconds(20));
	}
	~Env() {
		bot.reset();
		store.reset();
		std::filesystem::remove_all(dir);
	}
	void say(int64_t user, const std::string& text) {
		telegram::Update u;
		u.update_id = update_id++;
		u.kind = telegram::Update::Kind::message;
		telegram::Message m;
		m.message_id = u.update_id;
		m.from = telegram::User{user, false, "User", "", "", "en"};
		m.chat.id = user;
		m.chat.type = "private";
		m.text = text;
		u.message = std::move(m);
		bot->handle(u);
	}
};

Env& env() {
	static Env e;
	return e;
}

void run(benchmark::State& state, int64_t first_user, int64_t users, const std::string& text, bool advance) {
	Env& e = env();
	uint64_t sent0 = e.out.sent;
	int64_t i = 0;
	for (auto _ : state) {
		// One second apart per user keeps every user under the throttle, unless we flood.
		if (advance && i % users == 0)
			e.clock.advance(std::chrono::seconds(1));
		e.say(first_user + i % users, text);
		++i;
	}
	state.SetItemsProcessed(state.iterations());
	state.counters["replies/update"] =
	    static_cast<double>(e.out.sent - sent0) / static_cast<double>(std::max<int64_t>(1, i));
}

void BM_List100Servers(benchmark::State& state) {
	run(state, kOwner, 1, "/list", true);
}
void BM_HelpManyUsers(benchmark::State& state) {
	run(state, 10'000, 1000, "/help", true);
}
// Each update from a user never seen before: registration is a write (one fsync).
void BM_FirstMessage(benchmark::State& state) {
	static int64_t next_user = 1'000'000;
	run(state, next_user, 1'000'000'000, "/help", false);
	next_user += state.iterations();
}
void BM_DeleteRefused(benchmark::State& state) {
	run(state, kStranger, 1, "/delete 1", true);
}
void BM_FloodDropped(benchmark::State& state) {
	run(state, 7000, 1, "/help", false);
}

} // namespace

BENCHMARK(BM_List100Servers)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_HelpManyUsers)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FirstMessage)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_DeleteRefused)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_FloodDropped)->Unit(benchmark::kMicrosecond);
