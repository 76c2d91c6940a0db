// Issue 20: what the sender spends turning one alert notice into a message (alert_notice.h), from
// a real SQLite store: the chat's settings and user, the firing row's lookup, and for a firing
// notice the sparkline (an hour of the metric read, drawn and PNG-encoded). Telegram lets a bot
// send about 30 messages a second, so a notice should cost well under 33 ms. Figures, not
// assertions; the store is in $SERVERSAN_BENCH_DIR (default /tmp). Also what grouping adds: the
// look for a notice's mates, and one outage of 100 servers made into one message.
//   bench_alert_render [RUNS=200] [PNG_OUT]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

#include "bench/bench_timing.h"
#include "bench/store_bench_data.h"
#include "serversan/server/alerts/alert_message.h"
#include "serversan/server/bot/alert_group.h"
#include "serversan/server/bot/alert_notice.h"
#include "serversan/server/store/store.h"

using namespace serversan;
using namespace serversan::bot;
using bench::ms_since;
using bench::Steady;

namespace {

constexpr int64_t T0 = 1'764'000'000'000;
constexpr int64_t kChat = 4242;
constexpr int kReports = 120;

} // namespace

int main(int argc, char** argv) {
	int runs = argc > 1 ? std::atoi(argv[1]) : 200;
	auto dir = bench::bench_dir();
	auto store = store::open_sqlite_store((dir / "serversan.db").string()).value();
	store->create_user({kChat, "alice", "Alice", "user", "en", "Europe/Berlin"}).value();
	uint64_t id = store->create_server(kChat, "web-01", SigningKey{}, T0).value();
	store::IngestBatch b{id, {}, T0 + kReports * 60'000, std::nullopt};
	b.batch.stream = "0123456789abcdef";
	b.batch.agent_version = "0.1.0";
	for (int k = 1; k <= kReports; ++k)
		b.batch.reports.push_back(bench::realistic_report(static_cast<uint64_t>(k), T0 + k * 60'000, 0));
	store->append({b}).value();

	alerts::AlertMessage m;
	m.server_id = id;
	m.server_name = "web-01";
	m.kind = "cpu";
	m.value = 96.4;
	m.threshold = 90;
	m.started_ms = T0 + (kReports - 12) * 60'000;
	m.at_ms = T0 + kReports * 60'000;
	m.held_s = 720;
	m.evidence.top = {{4242, "stress", "root", 88.0, 2'000'000}, {812, "nginx", "www-data", 6.5, 90'000'000}};
	m.evidence.top_ms = m.at_ms;
	auto row = [&](alerts::NoticeState state, const char* what) {
		alerts::AlertMessage n = m;
		n.state = state;
		store::OutboxMessage o;
		o.chat_id = kChat;
		o.kind = std::string(alerts::kOutboxKindAlert);
		o.payload = alerts::encode(n);
		o.dedupe_key = alerts::alert_dedupe_key(id, "cpu.busy", "", m.started_ms, what);
		return o;
	};
	// The firing row as sent, so the recovery finds its message.
	store::OutboxMessage firing = row(alerts::NoticeState::firing, "firing");
	if (!store->record_alerts({}, {firing}).ok())
		return 1;
	store->mark_sent(store->find_message(firing.dedupe_key).value()->id, m.at_ms, int64_t{77}).value();
	store::OutboxMessage resolved = row(alerts::NoticeState::resolved, "resolved");

	auto cold = Steady::now();
	std::string png = render_alert(*store, firing, m.at_ms).value().first.png;
	if (argc > 2) // the picture a chat gets, to look at
		std::ofstream(argv[2], std::ios::binary) << png;
	std::printf("first firing notice (cold: fonts, tz database)  %6.2f ms, PNG %zu bytes\n", ms_since(cold),
	            png.size());
	std::vector<double> fire, resolve;
	for (int i = 0; i < runs; ++i) {
		auto t0 = Steady::now();
		auto a = render_alert(*store, firing, m.at_ms).value();
		fire.push_back(ms_since(t0));
		auto t1 = Steady::now();
		auto r = render_alert(*store, resolved, m.at_ms).value();
		resolve.push_back(ms_since(t1));
		if (a.first.png.empty() || r.then.empty())
			return std::fprintf(stderr, "no sparkline or no edit: the bench measures the wrong thing\n"), 1;
	}
	bench::print_times("firing (with sparkline)", fire, 28);
	bench::print_times("resolved (reply + edit)", resolve, 28);

	// Grouping (alert_group.h): the look for mates every notice now pays (nothing else queued),
	// and an outage of 100 servers: the mates read and decoded, and the one message rendered.
	std::vector<double> lone, outage;
	for (int i = 0; i < runs; ++i) {
		auto t0 = Steady::now();
		auto mates = group_mates(*store, firing, m, m.at_ms + kGroupWaitMs, 500);
		lone.push_back(ms_since(t0));
		if (!mates.empty())
			return std::fprintf(stderr, "mates for a lone notice\n"), 1;
	}
	std::vector<store::OutboxMessage> down;
	for (int k = 0; k < 100; ++k) {
		uint64_t sid = store->create_server(kChat, "rack-" + std::to_string(k), SigningKey{}, T0).value();
		alerts::AlertMessage n = m;
		n.server_id = sid;
		n.server_name = "rack-" + std::to_string(k);
		n.kind = "offline";
		n.evidence = {};
		store::OutboxMessage o;
		o.chat_id = kChat;
		o.kind = std::string(alerts::kOutboxKindAlert);
		o.payload = alerts::encode(n);
		o.dedupe_key = alerts::alert_dedupe_key(sid, "offline", "", n.started_ms, "firing");
		o.created_ms = o.next_attempt_ms = m.at_ms;
		down.push_back(o);
	}
	if (!store->record_alerts({}, down).ok())
		return 1;
	store::OutboxMessage lead = store->due_messages(m.at_ms, 1).value().at(0);
	auto lead_notice = alerts::decode_alert_message(lead.payload).value();
	for (int i = 0; i < runs; ++i) {
		auto t0 = Steady::now();
		auto mates = group_mates(*store, lead, lead_notice, m.at_ms + kGroupWaitMs, 500);
		auto a = render_alert(*store, lead, mates, m.at_ms).value();
		outage.push_back(ms_since(t0));
		if (mates.size() != 99 || a.group.size() != 100)
			return std::fprintf(stderr, "the outage is not one group of 100\n"), 1;
	}
	bench::print_times("mates of a lone notice", lone, 28);
	bench::print_times("outage of 100 (mates + message)", outage, 28);
	std::filesystem::remove_all(dir);
	return 0;
}
