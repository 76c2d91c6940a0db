#include "serversan/agent/agent.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "serversan/agent/http_client.h"
#include "serversan/agent/report_collector.h"
#include "serversan/agent/sender.h"
#include "serversan/agent/state.h"
#include "serversan/core/clock.h"
#include "serversan/core/log.h"
#include "serversan/core/report_encode.h"

namespace serversan::agent {

namespace {

using Steady = std::chrono::steady_clock;

constexpr int kExitOk = 0;
constexpr int kExitUndelivered = 1;
constexpr int kExitStartup = 2;

// Where the next report is due: the first tick of the cadence that is still in the future.
Steady::time_point next_tick(Steady::time_point start, double interval_s, Steady::time_point now) {
	double elapsed = std::chrono::duration<double>(now - start).count();
	double k = std::floor(elapsed / interval_s) + 1;
	return start +
	       std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(k * interval_s));
}

bool write_stdout(const std::string& text) {
	return std::fwrite(text.data(), 1, text.size(), stdout) == text.size() && std::fflush(stdout) == 0;
}

} // namespace

int run_agent(const AgentSettings& settings, const StopSignal& stop) {
	const Clock& clock = SystemClock::instance();
	ReportCollector collector(settings.paths, clock);

	// Print mode sends nothing, so it needs no token and must not consume sequence numbers: it
	// shows the stream's next numbers without reserving them.
	std::string stream = "0000000000000000";
	uint64_t print_seq = 1;
	std::optional<AgentState> state;
	std::unique_ptr<HttpClient> client;
	std::unique_ptr<Sender> sender;
	if (settings.print) {
		if (auto peeked = AgentState::peek(settings.state_file)) {
			stream = peeked->stream();
			print_seq = peeked->next_seq();
		}
	} else {
		if (settings.server_url.empty()) {
			log::error(
			    "no server to report to: pass --server http://HOST:PORT/ (or --print to only show reports)");
			return kExitStartup;
		}
		auto url = parse_url(settings.server_url);
		if (!url) {
			log::error("{}", url.error().message);
			return kExitStartup;
		}
		auto token = load_token_file(settings.token_file);
		if (!token) {
			log::error("{}", token.error().message);
			return kExitStartup;
		}
		auto opened = AgentState::open(settings.state_file);
		if (!opened) {
			log::error("{}", opened.error().message);
			return kExitStartup;
		}
		state = std::move(*opened);
		stream = state->stream();
		HttpClient::Options http_options;
		http_options.timeout = std::chrono::milliseconds(static_cast<int64_t>(settings.timeout_s * 1000));
		http_options.cancel_fd = stop.fd();
		http_options.user_agent = "serversan-agent/" SERVERSAN_VERSION;
		client = std::make_unique<HttpClient>(*url, http_options);
		SenderOptions sender_options;
		sender_options.base_path = url->base_path;
		sender = std::make_unique<Sender>(*client, *token, stream, clock, sender_options);
		log::info("serversan-agent {} reporting to {} as server {} (stream {}, next seq {}, every {} s)",
		          SERVERSAN_VERSION, url->to_string(), token->server_id, stream, state->next_seq(),
		          settings.interval_s);
	}

	const uint64_t limit = settings.once ? 1 : settings.count.value_or(0); // 0: until stopped
	double interval_s = settings.interval_s;
	uint64_t rounds = 0, undelivered = 0;
	uint64_t overflow_seen = 0;
	LogOnce log_once;

	collector.prime();
	if (stop.wait_for(std::chrono::duration<double>(kPrimingSampleS)))
		return kExitOk;
	Steady::time_point start = Steady::now();

	for (;;) {
		Report report = collector.collect();
		if (settings.print) {
			report.seq = print_seq++;
			ReportBatch batch;
			batch.stream = stream;
			batch.agent_version = SERVERSAN_VERSION;
			batch.reports.push_back(std::move(report));
			std::string json = encode_batch(batch);
			json.push_back('\n');
			if (!write_stdout(json)) {
				log::error("cannot write to stdout");
				return kExitUndelivered;
			}
		} else {
			auto seq = state->reserve_seq();
			if (seq) {
				log_once.recovered("seq", "state file writable again");
				report.seq = *seq;
				report.spool_dropped = sender->dropped_overflow();
				sender->enqueue(std::move(report));
			} else {
				// Sending without a reserved number could reuse one after a restart.
				log_once.log(log::Level::error, "seq",
				             fmt::format("{}; this report is not sent", seq.error().message));
				++undelivered;
				collector.resend_host();
			}
			FlushResult flushed = sender->flush();
			undelivered += flushed.rejected;
			// The facts travel once; if the report that had them never arrives, send them again.
			if (flushed.rejected > 0 || sender->dropped_overflow() != overflow_seen) {
				overflow_seen = sender->dropped_overflow();
				collector.resend_host();
			}
			if (auto suggested = sender->server_interval(); suggested && !settings.interval_given) {
				double adopted = std::clamp(*suggested, kMinIntervalS, kMaxIntervalS);
				if (adopted != interval_s) {
					log::info("server asks for a report every {} s (was {} s)", adopted, interval_s);
					interval_s = adopted;
					start = Steady::now();
				}
			}
		}

		if (limit != 0 && ++rounds >= limit)
			break;
		Steady::time_point now = Steady::now();
		if (stop.wait_for(next_tick(start, interval_s, now) - now)) {
			log::info("stopping");
			if (sender && sender->queued() > 0)
				log::warn("{} undelivered reports are lost on exit (there is no disk spool yet)",
				          sender->queued());
			return kExitOk;
		}
	}

	if (sender) {
		undelivered += sender->queued() + sender->dropped_overflow();
		if (undelivered > 0) {
			log::error("{} of {} reports were not delivered", undelivered, rounds);
			return kExitUndelivered;
		}
		log::info("all {} reports delivered", rounds);
	}
	return kExitOk;
}

} // namespace serversan::agent
