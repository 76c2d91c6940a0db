// Sender against a scripted transport and a real spool in a temporary directory: what each
// answer does to the spooled reports, back-off (counted on a moved clock, never slept), clock
// offset, instructions, and that every attempt is a correctly signed, fresh request.
#include <deque>
#include <filesystem>
#include <unistd.h>

#include <gtest/gtest.h>

#include "serversan/agent/sender.h"
#include "serversan/core/crypto.h"
#include "serversan/core/report_encode.h"
#include "serversan/core/signing.h"

using namespace serversan;
using namespace serversan::agent;

namespace {

class ScriptedTransport : public HttpTransport {
public:
	std::deque<Result<HttpResponse>> answers;
	std::vector<HttpRequest> requests;
	bool reused = false;

	Result<HttpResponse> send(const HttpRequest& request) override {
		requests.push_back(request);
		if (answers.empty())
			return Err("no scripted answer");
		Result<HttpResponse> a = std::move(answers.front());
		answers.pop_front();
		return a;
	}
	bool last_send_reused_connection() const override { return reused; }

	void answer(int status, std::string body = {}, std::string retry_after = {}, std::string date = {},
	            std::string server_time = {}) {
		HttpResponse r;
		r.status = status;
		r.body = std::move(body);
		r.retry_after = std::move(retry_after);
		r.date = std::move(date);
		r.server_time = std::move(server_time);
		answers.push_back(std::move(r));
	}
	void fail(std::string message) { answers.push_back(Err(std::move(message))); }
};

std::string header(const HttpRequest& r, std::string_view name) {
	for (const auto& [n, v] : r.headers)
		if (n == name)
			return v;
	return {};
}

Authorization auth_of(const HttpRequest& r) {
	auto a = parse_authorization(header(r, "Authorization"));
	EXPECT_TRUE(a.ok()) << a.error().message;
	return a.ok() ? *a : Authorization{};
}

Report report(uint64_t seq) {
	Report r;
	r.seq = seq;
	r.time_ms = 1'764'000'000'000 + static_cast<int64_t>(seq) * 60'000;
	r.memory.total = 1024;
	return r;
}

std::string fresh_dir() {
	std::string dir = ::testing::TempDir() + "/ss-sender-" +
	                  ::testing::UnitTest::GetInstance()->current_test_info()->name() + "-" +
	                  std::to_string(::getpid());
	std::filesystem::remove_all(dir);
	return dir;
}

std::unique_ptr<Spool> make_spool(const std::string& dir, const Clock& clock) {
	SpoolSettings settings;
	settings.dir = dir;
	settings.max_age_s = 0;
	auto spool = Spool::open(settings, "0123456789abcdef", clock);
	spool->begin();
	return spool;
}

struct SenderTest : ::testing::Test {
	ManualClock clock;
	AgentToken token = generate_token(7);
	ScriptedTransport transport;
	std::string dir = fresh_dir();
	std::unique_ptr<Spool> spool = make_spool(dir, clock);
	Sender sender{transport, token, *spool, clock, SenderOptions{"", 100, kMaxBodyBytes, "0.1.0"}};
	std::chrono::steady_clock::time_point mono{};

	void SetUp() override {
		sender.monotonic = [this] { return mono; };
	}
	void TearDown() override { std::filesystem::remove_all(dir); }
	// Past any back-off (at most 5 minutes, or an hour of Retry-After).
	void wait_out_backoff() { mono += std::chrono::hours(2); }
	void enqueue(const Report& r) {
		std::string json;
		encode_report(r, json);
		ASSERT_TRUE(spool->append(r.seq, r.time_ms, json).ok());
	}
};

} // namespace

TEST_F(SenderTest, AcceptedReportsLeaveTheQueueAndRequestsAreSigned) {
	enqueue(report(1));
	enqueue(report(2));
	transport.answer(200,
	                 R"({"status":"ok","accepted":2,"duplicates":0,"stale":0,"server_time_ms":1764000000000,)"
	                 R"("instructions":{"interval_s":30,"collect":["tcp_states"]}})");
	FlushResult r = sender.flush();
	EXPECT_EQ(r.accepted, 2u);
	EXPECT_FALSE(r.deferred);
	EXPECT_EQ(spool->pending(), 0u);
	EXPECT_EQ(sender.server_interval(), 30.0);

	ASSERT_EQ(transport.requests.size(), 1u);
	const HttpRequest& req = transport.requests[0];
	EXPECT_EQ(req.method, "POST");
	EXPECT_EQ(req.target, "/api/v1/reports");
	EXPECT_EQ(header(req, "Content-Type"), "application/json");
	EXPECT_NE(req.body.find("\"stream\":\"0123456789abcdef\""), std::string::npos);
	EXPECT_NE(req.body.find("\"seq\":1,"), std::string::npos);
	EXPECT_NE(req.body.find("\"seq\":2,"), std::string::npos);

	// The server's side: rebuild and verify.
	Authorization auth = auth_of(req);
	EXPECT_EQ(auth.server_id, 7u);
	EXPECT_EQ(auth.timestamp, clock.unix_seconds());
	SignedRequest signed_request{"POST", "/api/v1/reports",      "", "application/json",
	                             "",     crypto::bytes(req.body)};
	EXPECT_EQ(verify_request(derive_signing_key(token), auth, signed_request, clock.unix_seconds()),
	          Verdict::ok);
}

TEST_F(SenderTest, EveryAttemptHasAFreshNonceAndTheCurrentTime) {
	enqueue(report(1));
	transport.answer(503);
	EXPECT_TRUE(sender.flush().deferred);
	clock.advance(std::chrono::seconds(60));
	wait_out_backoff();
	transport.answer(200, R"({"accepted":1,"duplicates":0})");
	EXPECT_EQ(sender.flush().accepted, 1u);
	ASSERT_EQ(transport.requests.size(), 2u);
	Authorization a = auth_of(transport.requests[0]), b = auth_of(transport.requests[1]);
	EXPECT_NE(a.nonce, b.nonce);
	EXPECT_EQ(b.timestamp - a.timestamp, 60);
	EXPECT_EQ(transport.requests[0].body, transport.requests[1].body);
}

TEST_F(SenderTest, BasePathPrefixesTheSignedPath) {
	Sender prefixed{transport, token, *spool, clock, SenderOptions{"/monitor", 10, kMaxBodyBytes, "0.1.0"}};
	enqueue(report(1));
	transport.answer(200, R"({"accepted":1})");
	EXPECT_EQ(prefixed.flush().accepted, 1u);
	EXPECT_EQ(transport.requests[0].target, "/monitor/api/v1/reports");
	SignedRequest sr{"POST", "/monitor/api/v1/reports",
	                 "",     "application/json",
	                 "",     crypto::bytes(transport.requests[0].body)};
	EXPECT_TRUE(signature_matches(derive_signing_key(token), auth_of(transport.requests[0]), sr));
}

TEST_F(SenderTest, PermanentRejectionsDropTheBatch) {
	for (int status : {400, 404, 405, 411, 415}) {
		enqueue(report(static_cast<uint64_t>(status)));
		transport.answer(status, R"({"error":"malformed","reason":"reports[0].seq: missing"})");
		FlushResult r = sender.flush();
		EXPECT_EQ(r.rejected, 1u) << status;
		EXPECT_EQ(r.accepted, 0u);
		EXPECT_FALSE(r.deferred);
		EXPECT_EQ(spool->pending(), 0u);
	}
}

TEST_F(SenderTest, TooLargeBatchesAreHalvedThenSingleReportsDropped) {
	for (uint64_t s = 1; s <= 4; ++s)
		enqueue(report(s));
	transport.answer(413);                      // 4 -> halve
	transport.answer(200, R"({"accepted":2})"); // seq 1,2
	transport.answer(413);                      // seq 3,4 -> halve
	transport.answer(413);                      // seq 3 alone: dropped
	transport.answer(200, R"({"accepted":1})"); // seq 4
	FlushResult r = sender.flush();
	EXPECT_EQ(r.accepted, 3u);
	EXPECT_EQ(r.rejected, 1u);
	EXPECT_EQ(spool->pending(), 0u);
	ASSERT_EQ(transport.requests.size(), 5u);
	EXPECT_NE(transport.requests[4].body.find("\"seq\":4,"), std::string::npos);
	EXPECT_EQ(transport.requests[4].body.find("\"seq\":3,"), std::string::npos);
}

TEST_F(SenderTest, TransientFailuresKeepReportsInOrder) {
	enqueue(report(1));
	transport.fail("connection refused");
	FlushResult r = sender.flush();
	EXPECT_TRUE(r.deferred);
	EXPECT_EQ(spool->pending(), 1u);

	wait_out_backoff();
	enqueue(report(2));
	transport.answer(500);
	EXPECT_TRUE(sender.flush().deferred);
	EXPECT_EQ(spool->pending(), 2u);

	wait_out_backoff();
	enqueue(report(3));
	transport.answer(302, "moved");
	EXPECT_TRUE(sender.flush().deferred);
	EXPECT_EQ(spool->pending(), 3u);

	wait_out_backoff();
	transport.answer(200, R"({"accepted":3})");
	r = sender.flush();
	EXPECT_EQ(r.accepted, 3u);
	const std::string& body = transport.requests.back().body;
	EXPECT_LT(body.find("\"seq\":1,"), body.find("\"seq\":2,"));
	EXPECT_LT(body.find("\"seq\":2,"), body.find("\"seq\":3,"));
}

// The agent's own loop as the daemon runs it: flush() every 100 ms of moved time against a
// server that refuses every connection until `outage` has passed, then accepts. Returns the
// times of the attempts, the accepted one last.
std::vector<std::chrono::steady_clock::time_point> run_outage(SenderTest& t, std::chrono::seconds outage) {
	std::vector<std::chrono::steady_clock::time_point> attempts;
	const auto back = t.mono + outage;
	for (int tick = 0; t.spool->pending() > 0; ++tick) {
		if (tick > 1'000'000) { // a day
			ADD_FAILURE() << "never delivered";
			break;
		}
		size_t before = t.transport.requests.size();
		if (t.mono < back)
			t.transport.fail("connection refused");
		else
			t.transport.answer(200, R"({"accepted":1})");
		t.sender.flush();
		t.transport.answers.clear();
		if (t.transport.requests.size() > before)
			attempts.push_back(t.mono);
		t.mono += std::chrono::milliseconds(100);
	}
	return attempts;
}

TEST_F(SenderTest, ShortOutagesAreCaughtUpWithinTenSecondsOfTheServersReturn) {
	for (int outage : {30, 120, 300}) {
		for (int round = 0; round < 20; ++round) {
			enqueue(report(static_cast<uint64_t>(outage * 100 + round)));
			const auto start = mono;
			auto attempts = run_outage(*this, std::chrono::seconds(outage));
			ASSERT_GE(attempts.size(), 2u);
			double resumed = std::chrono::duration<double>(attempts.back() - start).count() - outage;
			EXPECT_GE(resumed, 0.0);
			EXPECT_LE(resumed, 10.1) << "outage " << outage << " s, round " << round;
			for (size_t i = 1; i < attempts.size(); ++i)
				EXPECT_LE(attempts[i] - attempts[i - 1], std::chrono::milliseconds(10'100)) << i;
			EXPECT_EQ(sender.consecutive_failures(), 0u);
		}
	}
}

TEST_F(SenderTest, LongOutagesBackOffToFiveMinutesAndASuccessStartsOver) {
	enqueue(report(1));
	auto attempts = run_outage(*this, std::chrono::hours(4));
	std::chrono::steady_clock::duration longest{};
	for (size_t i = 1; i < attempts.size(); ++i) {
		auto gap = attempts[i] - attempts[i - 1];
		EXPECT_LE(gap, std::chrono::milliseconds(300'100)) << i;
		longest = std::max(longest, gap);
	}
	EXPECT_GE(longest, std::chrono::seconds(270));
	// The next outage is a young one again: retried within seconds, not minutes.
	enqueue(report(2));
	attempts = run_outage(*this, std::chrono::seconds(1));
	ASSERT_EQ(attempts.size(), 2u);
	EXPECT_LE(attempts[1] - attempts[0], std::chrono::milliseconds(3'100));
}

TEST_F(SenderTest, UnauthorizedIsReSignedOnceThenKept) {
	enqueue(report(1));
	transport.answer(401, R"({"error":"unauthorized"})");
	transport.answer(401, R"({"error":"unauthorized"})");
	FlushResult r = sender.flush();
	EXPECT_TRUE(r.deferred);
	EXPECT_EQ(r.rejected, 0u);
	EXPECT_EQ(spool->pending(), 1u);
	ASSERT_EQ(transport.requests.size(), 2u); // the first try and one re-signed retry, no more
	EXPECT_NE(auth_of(transport.requests[0]).nonce, auth_of(transport.requests[1]).nonce);
	EXPECT_TRUE(sender.flush().deferred); // backing off: nothing sent
	EXPECT_EQ(transport.requests.size(), 2u);
}

TEST_F(SenderTest, ClockSkewIsCorrectedFromTheServersTime) {
	enqueue(report(1));
	// The server's clock is 20 minutes ahead: our first timestamp is outside its window.
	const int64_t ahead_ms = 20 * 60 * 1000;
	int64_t server_ms = clock.unix_millis() + ahead_ms;
	transport.answer(401, R"({"error":"unauthorized"})", "", "", std::to_string(server_ms));
	transport.answer(200, R"({"accepted":1})", "", "", std::to_string(server_ms));
	FlushResult r = sender.flush();
	EXPECT_EQ(r.accepted, 1u);
	ASSERT_EQ(transport.requests.size(), 2u);
	EXPECT_EQ(auth_of(transport.requests[0]).timestamp, clock.unix_seconds());
	EXPECT_EQ(auth_of(transport.requests[1]).timestamp, server_ms / 1000);
	EXPECT_EQ(sender.clock_offset_ms(), ahead_ms);

	// Later requests keep following the server's clock.
	enqueue(report(2));
	transport.answer(200, R"({"accepted":1})");
	sender.flush();
	EXPECT_EQ(auth_of(transport.requests[2]).timestamp, server_ms / 1000);
}

TEST_F(SenderTest, DateHeaderIsAFallbackClock) {
	enqueue(report(1));
	transport.answer(200, R"({"accepted":1})", "", "Sun, 06 Nov 1994 08:49:37 GMT");
	sender.flush();
	EXPECT_EQ(sender.clock_offset_ms(), 784111777000 - clock.unix_millis());
}

TEST_F(SenderTest, OutOfRangeIntervalIsIgnored) {
	enqueue(report(1));
	transport.answer(200, R"({"accepted":1,"instructions":{"interval_s":0.01}})");
	sender.flush();
	EXPECT_EQ(sender.server_interval(), std::nullopt);
	enqueue(report(2));
	transport.answer(200, R"({"accepted":1,"instructions":{"interval_s":3600}})");
	sender.flush();
	EXPECT_EQ(sender.server_interval(), 3600.0);
}

TEST_F(SenderTest, RetryAfterDefersTheNextAttempt) {
	enqueue(report(1));
	transport.answer(429, "", "30");
	EXPECT_TRUE(sender.flush().deferred);
	EXPECT_EQ(transport.requests.size(), 1u);

	mono += std::chrono::seconds(29);
	EXPECT_TRUE(sender.flush().deferred);
	EXPECT_EQ(transport.requests.size(), 1u); // still waiting: nothing sent

	mono += std::chrono::seconds(2);
	transport.answer(200, R"({"accepted":1})");
	EXPECT_EQ(sender.flush().accepted, 1u);
	EXPECT_EQ(transport.requests.size(), 2u);
}

TEST_F(SenderTest, ReusedConnectionFailureIsRetriedOnceWithANewNonce) {
	transport.reused = true;
	enqueue(report(1));
	transport.fail("closed the connection without answering");
	transport.answer(200, R"({"accepted":1})");
	EXPECT_EQ(sender.flush().accepted, 1u);
	ASSERT_EQ(transport.requests.size(), 2u);
	EXPECT_NE(auth_of(transport.requests[0]).nonce, auth_of(transport.requests[1]).nonce);

	// Two failures in a row: give up for this round.
	enqueue(report(2));
	transport.fail("reset");
	transport.fail("reset");
	EXPECT_TRUE(sender.flush().deferred);
	EXPECT_EQ(transport.requests.size(), 4u);
}

TEST_F(SenderTest, CatchUpSendsSeveralBatches) {
	Sender small{transport, token, *spool, clock, SenderOptions{"", 4, kMaxBodyBytes, "0.1.0"}};
	for (uint64_t s = 1; s <= 10; ++s)
		enqueue(report(s));
	transport.answer(200, R"({"accepted":4})");
	transport.answer(200, R"({"accepted":4})");
	transport.answer(200, R"({"accepted":2})");
	FlushResult r = small.flush();
	EXPECT_EQ(r.accepted, 10u);
	EXPECT_EQ(transport.requests.size(), 3u);
}

TEST_F(SenderTest, NothingQueuedSendsNothing) {
	FlushResult r = sender.flush();
	EXPECT_EQ(r.accepted, 0u);
	EXPECT_FALSE(r.deferred);
	EXPECT_TRUE(transport.requests.empty());
}

TEST_F(SenderTest, BodyIsWhatEncodeBatchWrites) {
	ReportBatch expected;
	expected.stream = "0123456789abcdef";
	expected.agent_version = "0.1.0";
	for (uint64_t s = 1; s <= 3; ++s) {
		Report r = report(s);
		r.load.load1 = 0.25 * static_cast<double>(s);
		r.filesystems.push_back({"/", "/dev/vda1", "ext4", 100, 40, 60, {}, {}});
		enqueue(r);
		expected.reports.push_back(r);
	}
	transport.answer(200, R"({"accepted":3})");
	sender.flush();
	ASSERT_EQ(transport.requests.size(), 1u);
	EXPECT_EQ(transport.requests[0].body, encode_batch(expected));
}

TEST_F(SenderTest, ServerDownThenUpDeliversEveryReportOnceInOrderWithItsOwnTime) {
	constexpr uint64_t kReports = 40;
	for (uint64_t s = 1; s <= kReports; ++s) {
		enqueue(report(s));
		transport.fail("connection refused");
		sender.flush();
		transport.answers.clear();        // not asked while backing off
		mono += std::chrono::seconds(60); // one interval
		clock.advance(std::chrono::seconds(60));
	}
	EXPECT_EQ(spool->pending(), kReports);
	wait_out_backoff();
	for (int i = 0; i < 5; ++i)
		transport.answer(200, R"({"accepted":100})");
	FlushResult r = sender.flush();
	EXPECT_EQ(r.accepted, kReports);
	EXPECT_EQ(spool->pending(), 0u);

	// Every seq exactly once across the accepted requests, in order, with its sample time.
	std::vector<HttpRequest> delivered(transport.requests.end() - static_cast<std::ptrdiff_t>(r.attempts),
	                                   transport.requests.end());
	std::string all;
	for (const auto& req : delivered)
		all += req.body;
	size_t last = 0;
	for (uint64_t s = 1; s <= kReports; ++s) {
		std::string needle = fmt::format("{{\"seq\":{},\"time_ms\":{}", s, report(s).time_ms);
		size_t at = all.find(needle);
		ASSERT_NE(at, std::string::npos) << s;
		EXPECT_EQ(all.find(needle, at + 1), std::string::npos) << "seq " << s << " sent twice";
		EXPECT_GE(at, last) << "seq " << s << " out of order";
		last = at;
	}
}

TEST_F(SenderTest, ADownServerIsNeverHammered) {
	enqueue(report(1));
	// An hour of flush() calls every 100 ms (far more often than the agent makes them) against a
	// server that refuses every connection.
	std::vector<std::chrono::steady_clock::time_point> attempts;
	const auto start = mono;
	for (int tick = 0; tick < 36000; ++tick) {
		size_t before = transport.requests.size();
		transport.fail("connection refused");
		sender.flush();
		if (transport.requests.size() > before)
			attempts.push_back(mono);
		else
			transport.answers.clear();
		mono += std::chrono::milliseconds(100);
	}
	// 1 to 10 s apart for 5 minutes (about 40 attempts), then a thirtieth of the outage so far,
	// 2 minutes after an hour: about 150 attempts, never two within a second, never more often
	// than a tenth of the back-off ceiling.
	EXPECT_LE(attempts.size(), 250u);
	EXPECT_GE(attempts.size(), 80u);
	for (size_t i = 1; i < attempts.size(); ++i) {
		double age = std::chrono::duration<double>(attempts[i - 1] - start).count();
		EXPECT_GE(attempts[i] - attempts[i - 1],
		          std::chrono::duration<double>(Backoff::ceiling(age) / 10 - 0.1))
		    << i;
	}
	ASSERT_TRUE(sender.retry_at().has_value());
	EXPECT_GT(*sender.retry_at(), mono - std::chrono::seconds(1));
}

TEST_F(SenderTest, CatchUpBatchesHoldAtMost500ReportsAnd1MiB) {
	Sender big{transport, token, *spool, clock, SenderOptions{}};
	big.monotonic = [this] { return mono; };
	Report padded = report(0);
	padded.filesystems.assign(3, {std::string(200, 'm'), std::string(200, 'd'), "ext4", 1, 1, 1, {}, {}});
	for (uint64_t s = 1; s <= 1200; ++s) {
		padded.seq = s;
		enqueue(padded);
	}
	for (int i = 0; i < 10; ++i)
		transport.answer(200, R"({"accepted":500})");
	FlushResult r = big.flush();
	EXPECT_EQ(r.accepted, 1200u);
	size_t total = 0;
	for (const auto& req : transport.requests) {
		EXPECT_LE(req.body.size(), kMaxBodyBytes);
		size_t n = 0;
		for (size_t at = req.body.find("{\"seq\":"); at != std::string::npos;
		     at = req.body.find("{\"seq\":", at + 1))
			++n;
		EXPECT_LE(n, 500u);
		total += n;
	}
	EXPECT_EQ(total, 1200u);
	EXPECT_GE(transport.requests.size(), 3u);
}

TEST_F(SenderTest, CollectInstructionKeepsKnownSectionsOnly) {
	enqueue(report(1));
	transport.answer(200,
	                 R"({"accepted":1,"instructions":{"collect":["top_processes","rm -rf /",7,"tcp_states"],)"
	                 R"("run":"anything","interval_s":"fast"}})");
	sender.flush();
	EXPECT_EQ(sender.take_collect_request(), (std::vector<std::string>{"top_processes", "tcp_states"}));
	EXPECT_TRUE(sender.take_collect_request().empty());
	EXPECT_EQ(sender.server_interval(), std::nullopt);
}

TEST_F(SenderTest, DeadlineStopsACatchUpBetweenRequests) {
	Sender small{transport, token, *spool, clock, SenderOptions{"", 2, kMaxBodyBytes, "0.1.0"}};
	small.monotonic = [this] { return mono; };
	for (uint64_t s = 1; s <= 6; ++s)
		enqueue(report(s));
	FlushResult r = small.flush(mono); // already due: nothing is sent
	EXPECT_EQ(r.attempts, 0u);
	EXPECT_TRUE(r.deferred);
	transport.answer(200, R"({"accepted":2})");
	transport.answer(200, R"({"accepted":2})");
	transport.answer(200, R"({"accepted":2})");
	r = small.flush(mono + std::chrono::seconds(1));
	EXPECT_EQ(r.accepted, 6u);
}
