#include "serversan/agent/agent.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <memory>
#include <random>

#include "serversan/agent/http_client.h"
#include "serversan/agent/report_collector.h"
#include "serversan/agent/sender.h"
#include "serversan/agent/spool.h"
#include "serversan/agent/state.h"
#include "serversan/core/clock.h"
#include "serversan/core/crypto.h"
#include "serversan/core/log.h"
#include "serversan/core/report_encode.h"

namespace serversan::agent {

namespace {

using Steady = std::chrono::steady_clock;

constexpr int kExitOk = 0;
constexpr int kExitUndelivered = 1;
constexpr int kExitStartup = 2;
// The state file is rewritten every this many reports (the spool carries the numbers between),
// so that even a spool directory wiped by hand costs at most this many reused numbers.
constexpr uint64_t kStateSaveEvery = 64;

// Before the agent sleeps until its next round: return the heap pages that this round's
// temporaries (report, JSON, HTTP request and response) freed. glibc only gives back the top of
// the heap by itself; the freed blocks in between would stay resident through the whole sleep.
// It costs a walk of the free lists and, next round, a page fault per page touched again: a few
// tens of microseconds once per interval.
void release_free_memory() {
#if defined(__GLIBC__)
	::malloc_trim(0);
#endif
}

Steady::duration seconds(double s) {
	return std::chrono::duration_cast<Steady::duration>(std::chrono::duration<double>(s));
}

// Where the next report is due: the first tick of the cadence that is still in the future.
Steady::time_point next_tick(Steady::time_point start, double interval_s, Steady::time_point now) {
	double elapsed = std::chrono::duration<double>(now - start).count();
	double k = std::floor(elapsed / interval_s) + 1;
	return start + seconds(k * interval_s);
}

bool write_stdout(const std::string& text) {
	return std::fwrite(text.data(), 1, text.size(), stdout) == text.size() && std::fflush(stdout) == 0;
}

ReportCollector::Options collector_options(const AgentSettings& s, bool read_only) {
	ReportCollector::Options o;
	o.slow_interval_s = s.slow_interval_s;
	o.counters_path = ReportCollector::counters_path_for(s.state_file);
	o.counters_read_only = read_only;
	return o;
}

// The connection to the server and what signs for it: rebuilt when SIGHUP changes the URL, the
// TLS settings, the timeout or the token.
struct Link {
	Url url;
	AgentToken token;
	std::unique_ptr<HttpClient> client;
	std::unique_ptr<Sender> sender;
};

Result<std::unique_ptr<Link>> make_link(const AgentSettings& s, const StopSignal& stop, Spool& spool,
                                        const Clock& clock) {
	if (s.server_url.empty())
		return Err("no server to report to: set server.url in the config file or pass --server "
		           "https://HOST[:PORT]/ (or --print to only show reports)");
	auto url = parse_url(s.server_url);
	if (!url)
		return url.error();
	auto token = load_token_file(s.token_file);
	if (!token)
		return token.error();
	HttpClient::Options http;
	http.timeout = std::chrono::milliseconds(static_cast<int64_t>(s.timeout_s * 1000));
	http.cancel_fd = stop.fd();
	http.user_agent = "serversan-agent/" SERVERSAN_VERSION;
	http.tls = s.tls;
	auto client = HttpClient::create(*url, http);
	if (!client)
		return client.error();
	auto link = std::make_unique<Link>();
	link->url = *url;
	link->token = std::move(*token);
	link->client = std::move(*client);
	SenderOptions so;
	so.base_path = url->base_path;
	link->sender = std::make_unique<Sender>(*link->client, link->token, spool, clock, so);
	return link;
}

int run_print(const AgentSettings& settings, const StopSignal& stop) {
	const Clock& clock = SystemClock::instance();
	ReportCollector collector(settings.paths, clock, collector_options(settings, true));
	// Print mode sends nothing, so it needs no token and must not consume sequence numbers: it
	// shows the stream's next numbers without reserving them.
	std::string stream = "0000000000000000";
	uint64_t seq = 1;
	if (auto peeked = AgentState::peek(settings.state_file)) {
		stream = peeked->stream();
		seq = peeked->next_seq();
	}
	const uint64_t limit = settings.once ? 1 : settings.count.value_or(0);
	collector.prime();
	if (stop.wait_for(std::chrono::duration<double>(kPrimingSampleS)))
		return kExitOk;
	Steady::time_point start = Steady::now();
	for (uint64_t rounds = 1;; ++rounds) {
		Report report = collector.collect();
		report.seq = seq++;
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
		if (limit != 0 && rounds >= limit)
			return kExitOk;
		for (;;) {
			Steady::time_point now = Steady::now(), due = next_tick(start, settings.interval_s, now);
			if (stop.wait_for(due - now))
				return kExitOk;
			if (Steady::now() >= due)
				break;
		}
	}
}

class Daemon {
public:
	Daemon(AgentSettings settings, StopSignal& stop, const Reloader& reload)
	    : settings_(std::move(settings)), stop_(stop), reload_(reload), clock_(SystemClock::instance()),
	      interval_s_(settings_.interval_s) {
		uint64_t seed = 0;
		crypto::random_bytes({reinterpret_cast<uint8_t*>(&seed), sizeof seed});
		jitter_rng_.seed(static_cast<std::minstd_rand::result_type>(seed % 2147483646 + 1));
	}

	int run();

private:
	Result<void> start();
	void collect_and_spool();
	// Sends until the spool is empty, a failure backs off, or `until` (if given) passes.
	FlushResult deliver(std::optional<Steady::time_point> until);
	void follow_instructions();
	bool wait_until(Steady::time_point due); // false: stop requested
	void apply_reload();
	int finish(int status);
	Steady::time_point due_after(Steady::time_point now);

	AgentSettings settings_;
	StopSignal& stop_;
	const Reloader& reload_;
	const Clock& clock_;
	int lock_fd_ = -1;
	std::optional<AgentState> state_;
	std::unique_ptr<Spool> spool_;
	std::unique_ptr<ReportCollector> collector_;
	std::unique_ptr<Link> link_;
	double interval_s_;
	Steady::time_point start_{};
	std::minstd_rand jitter_rng_;
	uint64_t rounds_ = 0;
	uint64_t rejected_ = 0, undelivered_ = 0;
	std::string json_;
	LogOnce log_;
};

Result<void> Daemon::start() {
	// Lock first: two agents on one state file and spool would hand out the same numbers. The
	// lock sits beside the state file, whose directory may not exist yet on a first run.
	if (size_t slash = settings_.state_file.rfind('/'); slash != std::string::npos && slash > 0)
		(void)make_directories(settings_.state_file.substr(0, slash));
	auto lock = lock_instance(settings_.state_file + ".lock");
	if (!lock)
		return lock.error();
	lock_fd_ = *lock; // held (open) until the process exits
	auto opened = AgentState::open(settings_.state_file);
	if (!opened)
		return opened.error();
	state_ = std::move(*opened);
	spool_ = Spool::open(settings_.spool, state_->stream(), clock_);
	// Numbers spooled after the state file was last written come back from the spool.
	if (auto raised = state_->raise_to(spool_->next_seq_floor()); !raised)
		return raised.error();
	spool_->begin();
	auto link = make_link(settings_, stop_, *spool_, clock_);
	if (!link)
		return link.error();
	link_ = std::move(*link);
	collector_ =
	    std::make_unique<ReportCollector>(settings_.paths, clock_, collector_options(settings_, false));
	std::string trust = link_->client->tls_context() ? ", " + link_->client->tls_context()->describe() : "";
	log::info(
	    "serversan-agent {} reporting to {} as server {} (stream {}, next seq {}, every {} s{}; spool {})",
	    SERVERSAN_VERSION, link_->url.to_string(), link_->token.server_id, state_->stream(),
	    state_->next_seq(), interval_s_, trust, spool_->settings().dir);
	return Ok();
}

void Daemon::collect_and_spool() {
	Report report = collector_->collect();
	uint64_t seq = state_->take_seq();
	report.seq = seq;
	report.spool_dropped = spool_->dropped();
	json_.clear();
	encode_report(report, json_);
	if (spool_->append(seq, report.time_ms, json_)) {
		if (seq % kStateSaveEvery == 0) {
			if (auto saved = state_->save(); !saved)
				log_.log(log::Level::warn, "state", saved.error().message);
			else
				log_.recovered("state");
		}
		return;
	}
	// Held in memory only: its number must be made durable the other way before it is sent.
	if (auto saved = state_->save(); !saved) {
		log_.log(log::Level::error, "seq", fmt::format("{}; this report is not sent", saved.error().message));
		spool_->forget_newest_in_memory();
		++undelivered_;
		collector_->resend_host();
	} else {
		log_.recovered("seq", "state file writable again");
	}
}

FlushResult Daemon::deliver(std::optional<Steady::time_point> until) {
	uint64_t dropped_before = spool_->dropped();
	FlushResult r = link_->sender->flush(until);
	rejected_ += r.rejected;
	// Host facts travel once; if the report that had them never arrives, send them again.
	if (r.rejected > 0 || spool_->dropped() != dropped_before)
		collector_->resend_host();
	follow_instructions();
	return r;
}

void Daemon::follow_instructions() {
	Sender& sender = *link_->sender;
	if (auto suggested = sender.server_interval(); suggested && !settings_.interval_given) {
		double adopted = std::clamp(*suggested, kMinIntervalS, kMaxIntervalS);
		if (adopted != interval_s_) {
			log::info("server asks for a report every {} s (was {} s)", adopted, interval_s_);
			interval_s_ = adopted;
			start_ = Steady::now();
		}
	}
	std::vector<std::string> sections = sender.take_collect_request();
	if (!sections.empty()) {
		bool top = std::find(sections.begin(), sections.end(), "top_processes") != sections.end();
		bool tcp = std::find(sections.begin(), sections.end(), "tcp_states") != sections.end();
		log::debug("server asks for the slow sections now (top processes: {}, TCP states: {})", top, tcp);
		// ISSUE-11 HOOK (collectors): the one place the server's `collect` instruction reaches the
		// collector; the next report carries the requested sections.
		collector_->request_slow_sections(top, tcp);
	}
}

Steady::time_point Daemon::due_after(Steady::time_point now) {
	Steady::time_point tick = next_tick(start_, interval_s_, now);
	double jitter = std::min(settings_.jitter_s, interval_s_ / 2);
	if (jitter > 0)
		tick += seconds(std::uniform_real_distribution<double>(0, jitter)(jitter_rng_));
	return tick;
}

bool Daemon::wait_until(Steady::time_point due) {
	for (;;) {
		Steady::time_point now = Steady::now();
		if (now >= due)
			return true;
		// Wake early when a back-off ends, to catch up with a server that came back.
		Steady::time_point wake = due;
		if (auto retry = link_->sender->retry_at(); retry && spool_->pending() > 0)
			wake = std::min(wake, std::max(*retry, now));
		if (stop_.wait_for(wake - now))
			return false;
		if (stop_.take_reload())
			apply_reload();
		now = Steady::now();
		if (auto retry = link_->sender->retry_at();
		    spool_->pending() > 0 && (!retry || now >= *retry) && now < due)
			deliver(due);
	}
}

void Daemon::apply_reload() {
	if (!reload_) {
		log::info("SIGHUP: nothing to reload");
		return;
	}
	auto fresh = reload_();
	if (!fresh) {
		log::error("configuration reload failed, keeping the running configuration: {}",
		           fresh.error().message);
		return;
	}
	AgentSettings next = std::move(*fresh);
	for (auto [changed, what] : {std::pair{next.state_file != settings_.state_file, "state_file"},
	                             std::pair{next.spool.dir != settings_.spool.dir, "spool.dir"},
	                             std::pair{next.host_root != settings_.host_root, "host_root"}})
		if (changed)
			log::warn("{} changed: this takes effect at the next restart", what);
	next.state_file = settings_.state_file;
	next.spool.dir = settings_.spool.dir;
	next.host_root = settings_.host_root;
	next.paths = settings_.paths;
	next.once = settings_.once;
	next.print = settings_.print;
	next.count = settings_.count;

	auto link = make_link(next, stop_, *spool_, clock_);
	if (!link) {
		log::error("configuration reload failed, keeping the running configuration: {}",
		           link.error().message);
		return;
	}
	link_ = std::move(*link);
	log::set_level(next.log_level);
	spool_->set_limits(next.spool.max_bytes, next.spool.max_age_s);
	if (next.interval_s != settings_.interval_s && !settings_.interval_given) {
		interval_s_ = next.interval_s;
		start_ = Steady::now();
	}
	next.interval_given = settings_.interval_given;
	if (next.slow_interval_s != settings_.slow_interval_s)
		log::warn("slow_interval changed: this takes effect at the next restart");
	settings_ = std::move(next);
	log::info("configuration reloaded{}: reporting to {} every {} s",
	          settings_.config_file.empty() ? "" : " from " + settings_.config_file, link_->url.to_string(),
	          interval_s_);
}

int Daemon::finish(int status) {
	if (auto saved = state_->save(); !saved)
		log::warn("{}", saved.error().message);
	if (auto saved = collector_->save(); !saved)
		log::warn("cannot save the network counters: {}", saved.error().message);
	return status;
}

int Daemon::run() {
	if (auto started = start(); !started) {
		log::error("{}", started.error().message);
		return kExitStartup;
	}
	const uint64_t limit = settings_.once ? 1 : settings_.count.value_or(0); // 0: until stopped
	collector_->prime();
	if (stop_.wait_for(std::chrono::duration<double>(kPrimingSampleS)))
		return finish(kExitOk);
	start_ = Steady::now();

	for (;;) {
		collect_and_spool();
		++rounds_;
		bool last = limit != 0 && rounds_ >= limit;
		// The next collection waits for no catch-up batch; the last round sends everything.
		Steady::time_point due = due_after(Steady::now());
		deliver(last ? std::nullopt : std::optional(due));
		if (last)
			break;
		release_free_memory();
		if (!wait_until(due)) {
			size_t left = spool_->pending();
			log::info("stopping{}", left ? fmt::format("; {} unsent reports stay in the spool", left) : "");
			return finish(kExitOk);
		}
	}

	size_t left = spool_->pending();
	if (left > 0 || rejected_ > 0 || undelivered_ > 0) {
		log::error("{} report{} not delivered{}{}", left + rejected_ + undelivered_,
		           left + rejected_ + undelivered_ == 1 ? "" : "s",
		           left ? fmt::format(" ({} stay in the spool for the next run)", left) : "",
		           rejected_ ? fmt::format(" ({} refused by the server)", rejected_) : "");
		return finish(kExitUndelivered);
	}
	log::info("all {} report{} delivered", rounds_, rounds_ == 1 ? "" : "s");
	return finish(kExitOk);
}

} // namespace

int run_agent(const AgentSettings& settings, StopSignal& stop, const Reloader& reload) {
	if (settings.print)
		return run_print(settings, stop);
	Daemon daemon(settings, stop, reload);
	return daemon.run();
}

} // namespace serversan::agent
