// The report endpoint's verdicts, without HTTP: every rejection path answers the documented
// status and stores nothing; a valid batch is stored once, and an honest retry is idempotent.
#include <fstream>
#include <future>
#include <thread>

#include <gtest/gtest.h>
#include <zlib.h>

#include "serversan/core/clock.h"
#include "serversan/core/report_time.h"
#include "serversan/server/ingest/ingest_service.h"
#include "serversan/server/ingest/metrics.h"
#include "serversan/server/store/store.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::testing;
using namespace std::chrono_literals;
using ingest::IngestMetrics;
using ingest::IngestOptions;
using ingest::IngestRequest;
using ingest::IngestResponse;
using ingest::IngestService;
using ingest::store_backend;
using ingest::Writer;
using ingest::WriterBackend;
using ingest::WriterOptions;
using store::kDayMs;
using store::kHourMs;
using store::kMinuteMs;

namespace {

std::string gzip(const std::string& in) {
	z_stream zs{};
	deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY);
	std::string out(deflateBound(&zs, in.size()) + 64, '\0');
	zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
	zs.avail_in = static_cast<uInt>(in.size());
	zs.next_out = reinterpret_cast<Bytef*>(out.data());
	zs.avail_out = static_cast<uInt>(out.size());
	deflate(&zs, Z_FINISH);
	out.resize(zs.total_out);
	deflateEnd(&zs);
	return out;
}

class IngestTest : public ::testing::Test {
protected:
	void SetUp() override {
		auto s = store::open_sqlite_store(dir.file("serversan.db"));
		ASSERT_TRUE(s.ok()) << s.error().message;
		store = std::move(*s);
		clock.advance(10s); // the service starts now; requests are signed after
		IngestOptions o;
		o.interval_s = 30;
		service = std::make_unique<IngestService>(*store, clock, o);
		clock.advance(1s);
		token = add_server("web-1");
	}

	AgentToken add_server(const std::string& name) {
		AgentToken placeholder = generate_token(1);
		auto id =
		    store->create_server(std::nullopt, name, derive_signing_key(placeholder), clock.unix_millis());
		EXPECT_TRUE(id.ok());
		AgentToken t = generate_token(*id);
		EXPECT_TRUE(store->set_signing_key(*id, derive_signing_key(t)).ok());
		return t;
	}

	IngestResponse post(const SignedPost& p) {
		IngestRequest r;
		r.method = p.method;
		r.target = p.target;
		r.content_type = p.content_type;
		r.content_encoding = p.content_encoding;
		r.authorization = p.authorization;
		r.content_length = p.body.size();
		r.body = p.body;
		return service->handle(r);
	}

	SignedPost valid(uint64_t first_seq = 1, size_t n = 1) {
		return sign_post(token, encode_batch(sample_batch(first_seq, n, clock.unix_millis())),
		                 clock.unix_seconds());
	}

	uint64_t stored() { return store->count_samples(token.server_id).value(); }

	TempDir dir;
	ManualClock clock;
	std::unique_ptr<store::Store> store;
	std::unique_ptr<IngestService> service;
	AgentToken token;
};

} // namespace

TEST_F(IngestTest, ValidBatchIsStoredOnceAndRetriesAreDuplicates) {
	auto r = post(valid(1, 3));
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_NE(r.body.find(R"("accepted":3,"duplicates":0)"), std::string::npos) << r.body;
	EXPECT_NE(r.body.find(R"("instructions":{"interval_s":30})"), std::string::npos) << r.body;
	EXPECT_EQ(stored(), 3u);
	// The agent did not see the answer and resends the same reports, freshly signed.
	clock.advance(5s);
	r = post(valid(1, 3));
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_NE(r.body.find(R"("accepted":0,"duplicates":3)"), std::string::npos) << r.body;
	EXPECT_EQ(stored(), 3u);
	// Overlapping batch: 2 and 3 are old, 4 is new.
	r = post(valid(2, 3));
	EXPECT_NE(r.body.find(R"("accepted":1,"duplicates":2)"), std::string::npos) << r.body;
	EXPECT_EQ(stored(), 4u);
	EXPECT_EQ(service->counters().reports_accepted.load(), 4u);
	auto server = store->find_server(token.server_id).value();
	ASSERT_TRUE(server && server->last_seen_ms);
	EXPECT_EQ(server->agent_version, "0.1.0");
}

TEST_F(IngestTest, IdenticalReplayIsRefused) {
	SignedPost p = valid();
	EXPECT_EQ(post(p).status, 200);
	clock.advance(20s);
	auto r = post(p);
	EXPECT_EQ(r.status, 401);
	EXPECT_EQ(r.reason, "replayed_nonce");
	EXPECT_EQ(stored(), 1u);
}

TEST_F(IngestTest, AuthenticationFailuresLookIdenticalAndStoreNothing) {
	std::vector<std::pair<std::string, SignedPost>> cases;
	SignedPost flipped = valid();
	flipped.body[flipped.body.size() / 2] ^= 1;
	cases.emplace_back("bad_signature", flipped);

	AgentToken other = token;
	other.secret[0] = other.secret[0] == 'a' ? 'b' : 'a';
	cases.emplace_back(
	    "bad_signature",
	    sign_post(other, encode_batch(sample_batch(1, 1, clock.unix_millis())), clock.unix_seconds()));

	AgentToken unknown = generate_token(999);
	cases.emplace_back(
	    "unknown_server",
	    sign_post(unknown, encode_batch(sample_batch(1, 1, clock.unix_millis())), clock.unix_seconds()));
	cases.emplace_back(
	    "stale_timestamp",
	    sign_post(token, encode_batch(sample_batch(1, 1, clock.unix_millis())), clock.unix_seconds() - 301));
	cases.emplace_back(
	    "stale_timestamp",
	    sign_post(token, encode_batch(sample_batch(1, 1, clock.unix_millis())), clock.unix_seconds() + 301));
	// Inside the window but before this process started: the nonce cache cannot vouch for it.
	cases.emplace_back(
	    "signed_before_start",
	    sign_post(token, encode_batch(sample_batch(1, 1, clock.unix_millis())), service->started_s() - 1));
	SignedPost no_auth = valid();
	no_auth.authorization.clear();
	cases.emplace_back("malformed_authorization", no_auth);
	SignedPost other_encoding = valid();
	other_encoding.content_encoding = "identity";
	cases.emplace_back("bad_signature", other_encoding);

	for (const auto& [reason, p] : cases) {
		auto r = post(p);
		EXPECT_EQ(r.status, 401) << reason;
		EXPECT_EQ(r.reason, reason);
		EXPECT_EQ(r.body, R"({"error":"unauthorized"})");
	}
	EXPECT_EQ(stored(), 0u);
	EXPECT_EQ(service->counters().rejected_unauthorized.load(), cases.size());
}

namespace {
// A request signed exactly as given (query, header spellings), which sign_post does not do.
SignedPost sign_as_sent(const AgentToken& t, std::string body, int64_t ts, std::string target,
                        std::string query, std::string content_type, std::string content_encoding) {
	SignedPost p;
	p.body = std::move(body);
	p.target = std::move(target);
	p.content_type = std::move(content_type);
	p.content_encoding = std::move(content_encoding);
	std::string path = p.target.substr(0, p.target.find('?'));
	SignedRequest req{p.method, path, query, p.content_type, p.content_encoding, crypto::bytes(p.body)};
	p.authorization = sign_request(derive_signing_key(t), t.server_id, ts, make_nonce(), req);
	return p;
}
} // namespace

// v1 defines no query: any query string is refused with 400 before the key or the MAC is looked
// at, even when it is signed.
TEST_F(IngestTest, QueryStringsAreRefusedBeforeTheSignature) {
	std::string body = encode_batch(sample_batch(1, 1, clock.unix_millis()));
	for (std::string query : {"a=1", "", "dry_run=1&x"}) {
		SignedPost p = sign_as_sent(token, body, clock.unix_seconds(), "/api/v1/reports?" + query, query,
		                            "application/json", "");
		auto r = post(p);
		EXPECT_EQ(r.status, 400) << query;
		EXPECT_NE(r.body.find("query"), std::string::npos) << r.body;
		p.authorization = "garbage";
		EXPECT_EQ(post(p).status, 400) << "before the Authorization is parsed";
	}
	EXPECT_EQ(service->counters().rejected_unauthorized.load(), 0u);
	EXPECT_EQ(stored(), 0u);
}

// protocol.md section 3: the spellings of Content-Type and Content-Encoding that are accepted
// (each signed as sent: the canonical string holds the value trimmed and lowercased) and refused.
TEST_F(IngestTest, ContentTypeAndEncodingSpellings) {
	std::string json = encode_batch(sample_batch(1, 1, clock.unix_millis()));
	uint64_t seq = 1;
	auto body_for = [&](const std::string& enc) {
		clock.advance(1s); // the per-server bucket
		std::string b = encode_batch(sample_batch(seq++, 1, clock.unix_millis()));
		std::string lower = enc;
		for (char& c : lower)
			c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
		return lower.find("gzip") != std::string::npos ? gzip(b) : b;
	};
	for (std::string ct :
	     {"application/json", "Application/JSON", " application/json\t", "application/json; charset=utf-8",
	      "application/json;charset=UTF-8", "APPLICATION/JSON ;  Charset=Utf-8"}) {
		auto r = post(sign_as_sent(token, body_for(""), clock.unix_seconds(), "/api/v1/reports", "", ct, ""));
		EXPECT_EQ(r.status, 200) << "[" << ct << "] " << r.body;
	}
	for (std::string ce : {"", "gzip", "GZIP", " Gzip ", "identity", "IDENTITY"}) {
		auto r = post(sign_as_sent(token, body_for(ce), clock.unix_seconds(), "/api/v1/reports", "",
		                           "application/json", ce));
		EXPECT_EQ(r.status, 200) << "[" << ce << "] " << r.body;
	}
	EXPECT_EQ(stored(), 12u);
	for (std::string ct :
	     {"text/json", "application/json; charset=iso-8859-1", "application/json; charset=\"utf-8\"",
	      "application/json; version=1", "application/json; charset=utf-8; charset=utf-8",
	      "application/json, text/plain", "application/jsonx", ""}) {
		auto r = post(sign_as_sent(token, json, clock.unix_seconds(), "/api/v1/reports", "", ct, ""));
		EXPECT_EQ(r.status, 415) << "[" << ct << "]";
	}
	for (std::string ce : {"x-gzip", "deflate", "br", "gzip, identity", "identity, gzip", "gzip;q=1"}) {
		auto r = post(sign_as_sent(token, gzip(json), clock.unix_seconds(), "/api/v1/reports", "",
		                           "application/json", ce));
		EXPECT_EQ(r.status, 415) << "[" << ce << "]";
	}
	// "identity" is signed as "identity", not as an absent header.
	SignedPost p = sign_post(token, body_for(""), clock.unix_seconds());
	p.content_encoding = "identity";
	EXPECT_EQ(post(p).status, 401);
	EXPECT_EQ(stored(), 12u);
}

// The limits are inclusive: a body of exactly 1 MiB on the wire and exactly 8 MiB after gunzip
// is accepted, one byte more is 413.
TEST_F(IngestTest, BodyLimitsAreInclusive) {
	auto padded = [&](uint64_t seq, size_t size) {
		std::string b = encode_batch(sample_batch(seq, 1, clock.unix_millis()));
		b.append(size - b.size(), ' '); // JSON whitespace after the value
		return b;
	};
	const size_t wire = 1 << 20, decoded = 8 << 20;
	auto r = post(sign_post(token, padded(1, wire), clock.unix_seconds()));
	EXPECT_EQ(r.status, 200) << r.body;
	r = post(sign_post(token, padded(2, wire + 1), clock.unix_seconds()));
	EXPECT_EQ(r.status, 413) << r.body;
	r = post(sign_post(token, gzip(padded(2, decoded)), clock.unix_seconds(), "gzip"));
	EXPECT_EQ(r.status, 200) << r.body;
	r = post(sign_post(token, gzip(padded(3, decoded + 1)), clock.unix_seconds(), "gzip"));
	EXPECT_EQ(r.status, 413) << r.body;
	EXPECT_EQ(stored(), 2u);
}

// The start rule has one-second granularity: a request signed in the second before the start is
// refused, one signed in the start second accepted. A request that a previous process accepted in
// the second this one started in can then be replayed once, but its reports are duplicates for
// the sequence window: stored once.
TEST_F(IngestTest, StartRuleHasOneSecondGranularity) {
	auto body = [&](uint64_t seq) { return encode_batch(sample_batch(seq, 1, clock.unix_millis())); };
	auto r = post(sign_post(token, body(1), service->started_s() - 1));
	EXPECT_EQ(r.status, 401);
	EXPECT_EQ(r.reason, "signed_before_start");
	EXPECT_EQ(post(sign_post(token, body(1), service->started_s())).status, 200);

	SignedPost accepted = sign_post(token, body(2), clock.unix_seconds());
	ASSERT_EQ(post(accepted).status, 200);
	service = std::make_unique<IngestService>(*store, clock, IngestOptions{}); // restarted, same second
	r = post(accepted);
	EXPECT_EQ(r.status, 200) << r.body;
	EXPECT_NE(r.body.find(R"("accepted":0,"duplicates":1)"), std::string::npos) << r.body;
	EXPECT_EQ(stored(), 2u);
}

// protocol.md section 6.1: an agent back from a 7-day outage (the spool's age limit) at the
// default 60 s interval holds 10,080 reports. Sent as the agent sends them (batches of 500, one
// request at a time, at once after each answer, waiting Retry-After on a 429), they drain within
// the default limits in seconds, with no 401 and no block of the address.
TEST_F(IngestTest, SevenDaySpoolDrainsWithinTheDefaultRateLimits) {
	const uint64_t spooled = 7 * 24 * 60, per_batch = 500;
	const int64_t first_ms = clock.unix_millis() - int64_t{7} * 24 * 3600 * 1000;
	const int64_t start_s = clock.unix_seconds();
	size_t requests = 0, limited = 0;
	for (uint64_t seq = 1; seq <= spooled;) {
		uint64_t n = std::min(per_batch, spooled - seq + 1);
		auto batch = sample_batch(seq, n, first_ms + static_cast<int64_t>(seq - 1) * 60'000);
		auto r = post(sign_post(token, encode_batch(batch), clock.unix_seconds()));
		++requests;
		ASSERT_LT(requests, 100u);
		if (r.status == 429) {
			++limited;
			ASSERT_EQ(r.reason, "rate_limited_server");
			ASSERT_TRUE(r.retry_after_s);
			clock.advance(std::chrono::seconds(*r.retry_after_s));
			continue;
		}
		ASSERT_EQ(r.status, 200) << r.body;
		seq += n;
	}
	EXPECT_EQ(stored(), spooled);
	// 21 batches: 10 from the burst at once, then one a second.
	EXPECT_LE(clock.unix_seconds() - start_s, 12);
	EXPECT_EQ(limited, 11u);
	EXPECT_EQ(service->counters().rejected_unauthorized.load(), 0u);
}

TEST_F(IngestTest, TimestampWindowEdgesAreAccepted) {
	auto body = [&](uint64_t seq) { return encode_batch(sample_batch(seq, 1, clock.unix_millis())); };
	EXPECT_EQ(post(sign_post(token, body(1), clock.unix_seconds() + 300)).status, 200);
	clock.advance(400s);
	EXPECT_EQ(post(sign_post(token, body(2), clock.unix_seconds() - 300)).status, 200);
	EXPECT_EQ(stored(), 2u);
}

TEST_F(IngestTest, RotationInvalidatesTheOldTokenAtOnce) {
	EXPECT_EQ(post(valid(1)).status, 200);
	AgentToken fresh = generate_token(token.server_id);
	ASSERT_TRUE(store->set_signing_key(token.server_id, derive_signing_key(fresh)).value());
	EXPECT_EQ(post(valid(2)).status, 401);
	EXPECT_EQ(
	    post(sign_post(fresh, encode_batch(sample_batch(2, 1, clock.unix_millis())), clock.unix_seconds()))
	        .status,
	    200);
	EXPECT_EQ(stored(), 2u);
}

TEST_F(IngestTest, MalformedBodiesGet400WithAReasonAndStoreNothing) {
	std::vector<std::string> bodies = {
	    "",
	    "{",
	    "[]",
	    "null",
	    R"({"protocol":1})",
	    R"({"protocol":2,"stream":"0123456789abcdef","agent_version":"1","reports":[{"seq":1,"time_ms":1764000000000}]})",
	    R"({"protocol":1,"stream":"0123456789abcdef","agent_version":"1","reports":[{"seq":1,"time_ms":1764000000000,"memory":{"total":-5}}]})",
	    std::string(100000, '[')};
	for (const auto& b : bodies) {
		auto r = post(sign_post(token, b, clock.unix_seconds()));
		EXPECT_EQ(r.status, 400) << b.substr(0, 80);
		EXPECT_NE(r.body.find(R"("reason":)"), std::string::npos) << r.body;
	}
	EXPECT_EQ(stored(), 0u);
}

TEST_F(IngestTest, HeaderLevelRejections) {
	SignedPost p = valid();
	p.content_type = "text/plain";
	EXPECT_EQ(post(p).status, 415);
	p = valid();
	p.content_encoding = "br";
	EXPECT_EQ(post(p).status, 415);
	p = valid();
	p.method = "PUT";
	EXPECT_EQ(post(p).status, 405);
	p = valid();
	p.target = "/api/v1/report";
	EXPECT_EQ(post(p).status, 404);
	p = valid();
	p.content_type = "Application/JSON; charset=UTF-8";
	SignedRequest req{p.method, p.target, "", p.content_type, "", crypto::bytes(p.body)};
	p.authorization =
	    sign_request(derive_signing_key(token), token.server_id, clock.unix_seconds(), make_nonce(), req);
	EXPECT_EQ(post(p).status, 200);

	IngestRequest no_length;
	no_length.method = "POST";
	no_length.target = "/api/v1/reports";
	no_length.content_type = "application/json";
	EXPECT_EQ(service->handle(no_length).status, 411);
	auto big = service->precheck("POST", "/api/v1/reports", "application/json", "", (1u << 20) + 1);
	ASSERT_TRUE(big);
	EXPECT_EQ(big->status, 413);
	EXPECT_EQ(stored(), 1u);
}

TEST_F(IngestTest, GzipBodiesAndBombs) {
	std::string json = encode_batch(sample_batch(1, 5, clock.unix_millis()));
	auto r = post(sign_post(token, gzip(json), clock.unix_seconds(), "gzip"));
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_EQ(stored(), 5u);

	std::string bomb = gzip(std::string(64 << 20, ' '));
	r = post(sign_post(token, bomb, clock.unix_seconds(), "gzip"));
	EXPECT_EQ(r.status, 413);
	r = post(sign_post(token, "definitely not gzip", clock.unix_seconds(), "gzip"));
	EXPECT_EQ(r.status, 400);
	EXPECT_EQ(stored(), 5u);
}

TEST_F(IngestTest, ServersAreIsolated) {
	AgentToken b = add_server("db-1");
	EXPECT_EQ(post(valid(1, 2)).status, 200);
	EXPECT_EQ(post(sign_post(b, encode_batch(sample_batch(1, 1, clock.unix_millis())), clock.unix_seconds()))
	              .status,
	          200);
	EXPECT_EQ(stored(), 2u);
	EXPECT_EQ(store->count_samples(b.server_id).value(), 1u);
}

// ---- Issue 18: value and sample-time bounds, from the wire to a chart read ----
// Values at the decoder's bound (2^53) are stored and read back everywhere (latest, raw series,
// roll-ups), values beyond it are refused with 400 before anything is stored, and a report whose
// sample time is out of bounds against the server's clock is skipped and counted without costing
// the rest of its batch.

namespace {

constexpr uint64_t k2To53 = 9007199254740992;

class IngestBounds : public IngestTest {
protected:
	// A freshly signed body, a second after the previous request (the per-server limit is 1/s).
	IngestResponse post(const std::string& body) {
		clock.advance(1s);
		return IngestTest::post(sign_post(token, body, clock.unix_seconds()));
	}

	// One report at time_ms with an interface eth0 whose tx rate is written as `tx` (raw JSON,
	// so that values the encoder would leave out can be sent too).
	std::string body(uint64_t seq, int64_t time_ms, const std::string& tx) {
		ReportBatch b = sample_batch(seq, 1, time_ms);
		b.reports[0].memory.total = k2To53;
		b.reports[0].interfaces.push_back(NetInterface{.name = "eth0", .tx_bytes_per_s = 12345.25});
		std::string json = encode_batch(b);
		json.replace(json.find("12345.25"), 8, tx);
		return json;
	}

	std::string batch_of(const std::vector<std::pair<uint64_t, int64_t>>& reports) {
		ReportBatch b = sample_batch(1, 0, 0);
		for (auto [seq, time_ms] : reports)
			b.reports.push_back(sample_report(seq, time_ms));
		return encode_batch(b);
	}

	store::Series net_tx(store::Tier tier, int64_t from) {
		store::SeriesQuery q;
		q.server_id = token.server_id;
		q.metric = "net.tx";
		q.device = "eth0";
		q.from_ms = from;
		q.to_ms = from + store::kHourMs;
		q.now_ms = clock.unix_millis();
		q.tier = tier;
		return store->series(q).value();
	}
};

} // namespace

TEST_F(IngestBounds, ARateAboveTheBoundIsRefusedAndTheLargestAllowedGoesAllTheWay) {
	// Defect 4's reproducer: before, answered 200 and stored as +inf in the device blob.
	IngestResponse r = post(body(1, clock.unix_millis(), "1e39"));
	EXPECT_EQ(r.status, 400);
	EXPECT_NE(
	    r.body.find("reports[0].interfaces[0].tx_bytes_per_s: expected a number in 0..9007199254740992"),
	    std::string::npos)
	    << r.body;
	EXPECT_EQ(stored(), 0u);

	// 2^53: the first report is the snapshot, the second (a minute later) reaches latest() through
	// the sample row and its device blob.
	const int64_t t0 = clock.unix_millis();
	ASSERT_EQ(post(body(1, t0, "9007199254740992")).status, 200);
	r = post(body(2, t0 + kMinuteMs, "9.007199254740992e15"));
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_EQ(stored(), 2u);
	auto latest = store->latest(token.server_id);
	ASSERT_TRUE(latest.ok()) << latest.error().message;
	ASSERT_TRUE(latest->has_value());
	const Report& rep = (*latest)->report;
	EXPECT_EQ(rep.seq, 2u);
	EXPECT_EQ(rep.memory.total, k2To53);
	ASSERT_EQ(rep.interfaces.size(), 1u);
	EXPECT_EQ(rep.interfaces[0].tx_bytes_per_s, static_cast<double>(k2To53));

	store::Series raw = net_tx(store::Tier::raw, t0);
	EXPECT_EQ(raw.skipped, 0u);
	ASSERT_EQ(raw.points.size(), 2u);
	EXPECT_EQ(raw.points[1].max, static_cast<double>(k2To53));

	// The roll-ups keep the device (before, they dropped every device of such a sample).
	clock.advance(std::chrono::milliseconds(2 * kHourMs));
	for (int i = 0; i < 100; ++i) {
		auto p = store->rollup(clock.unix_millis(), {});
		ASSERT_TRUE(p.ok()) << p.error().message;
		if (!p->more)
			break;
	}
	store::Series m5 = net_tx(store::Tier::m5, t0 - t0 % (5 * kMinuteMs));
	ASSERT_FALSE(m5.points.empty());
	EXPECT_EQ(m5.points[0].max, static_cast<double>(k2To53));
}

TEST_F(IngestBounds, AYearAheadReportIsSkippedCountedAndCannotPinLatest) {
	const int64_t now = clock.unix_millis();
	IngestResponse r = post(batch_of({{1, now - kMinuteMs}, {2, now + 365 * kDayMs}}));
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_NE(r.body.find(R"("accepted":1,"duplicates":0,"stale":0,"out_of_range":1,)"), std::string::npos)
	    << r.body;
	EXPECT_EQ(service->counters().reports_out_of_range.load(), 1u);
	EXPECT_EQ(stored(), 1u);
	EXPECT_EQ(store->latest(token.server_id).value()->report.seq, 1u);
	// The agent dropped it on the 200; its next report, on a corrected clock, is the latest.
	r = post(batch_of({{3, clock.unix_millis()}}));
	ASSERT_EQ(r.status, 200) << r.body;
	auto latest = store->latest(token.server_id).value();
	EXPECT_EQ(latest->report.seq, 3u);
	EXPECT_EQ(latest->report.time_ms, clock.unix_millis() - 1000);
}

TEST_F(IngestBounds, TheBoundsAreTheTimestampWindowAheadAndTheSpoolAgeBehind) {
	int64_t now = clock.unix_millis() + 1000; // post() moves the clock a second first
	IngestResponse r = post(batch_of({{1, now + 299'000}, {2, now + 301'000}}));
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_NE(r.body.find(R"("accepted":1,"duplicates":0,"stale":0,"out_of_range":1,)"), std::string::npos)
	    << r.body;

	now = clock.unix_millis() + 1000;
	r = post(
	    batch_of({{3, now - kMaxReportAgeMs - 1000}, {4, now - 7 * kDayMs}, {5, now - kMaxReportAgeMs}}));
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_NE(r.body.find(R"("accepted":2,"duplicates":0,"stale":0,"out_of_range":1,)"), std::string::npos)
	    << r.body;
	EXPECT_EQ(stored(), 3u);

	// A batch with nothing in bounds is still answered 200, so the agent lets go of it.
	r = post(batch_of({{6, clock.unix_millis() + 10 * kDayMs}}));
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_NE(r.body.find(R"("accepted":0,"duplicates":0,"stale":0,"out_of_range":1,)"), std::string::npos)
	    << r.body;
	EXPECT_EQ(stored(), 3u);
	EXPECT_EQ(service->counters().reports_out_of_range.load(), 3u);
}

// ---- Abuse limits, the key cache and the writer path ----

namespace {

class IngestLimitsTest : public IngestTest {
protected:
	void reset(IngestOptions o, Writer* writer = nullptr) {
		service = std::make_unique<IngestService>(*store, clock, o, writer);
		clock.advance(1s);
	}
	IngestResponse post_from(const SignedPost& p, std::string_view ip) {
		IngestRequest r;
		r.method = p.method;
		r.target = p.target;
		r.content_type = p.content_type;
		r.content_encoding = p.content_encoding;
		r.authorization = p.authorization;
		r.content_length = p.body.size();
		r.body = p.body;
		r.client_ip = ip;
		return service->handle(r);
	}
	SignedPost valid_for(const AgentToken& t, uint64_t seq) {
		return sign_post(t, encode_batch(sample_batch(seq, 1, clock.unix_millis())), clock.unix_seconds());
	}
};

} // namespace

TEST_F(IngestLimitsTest, PerAddressLimitAnswers429WithRetryAfterBeforeAuthentication) {
	IngestOptions o;
	o.per_ip = {0.5, 3};
	reset(o);
	for (uint64_t seq = 1; seq <= 3; ++seq)
		EXPECT_EQ(post_from(valid(seq), "192.0.2.1").status, 200);
	auto r = post_from(valid(4), "192.0.2.1");
	EXPECT_EQ(r.status, 429);
	EXPECT_EQ(r.reason, "rate_limited_ip");
	EXPECT_EQ(r.retry_after_s, 2);
	// Refused before the key lookup: an unsigned request gets 429 too, not 401.
	SignedPost unsigned_post = valid(4);
	unsigned_post.authorization = "nonsense";
	EXPECT_EQ(post_from(unsigned_post, "192.0.2.1").status, 429);
	EXPECT_EQ(post_from(valid(4), "192.0.2.2").status, 200); // another address
	EXPECT_EQ(stored(), 4u);
	clock.advance(2s);
	EXPECT_EQ(post_from(valid(5), "192.0.2.1").status, 200);
	EXPECT_EQ(service->metrics().rejections("rate_limited_ip"), 2u);
}

TEST_F(IngestLimitsTest, PerServerLimitAnswers429AfterTheMacAndStoresNothing) {
	IngestOptions o;
	o.per_server = {1, 2};
	reset(o);
	AgentToken other = add_server("db-1");
	EXPECT_EQ(post(valid(1)).status, 200);
	EXPECT_EQ(post(valid(2)).status, 200);
	auto r = post(valid(3));
	EXPECT_EQ(r.status, 429);
	EXPECT_EQ(r.reason, "rate_limited_server");
	EXPECT_EQ(r.retry_after_s, 1);
	EXPECT_EQ(stored(), 2u);
	// The bucket is the server's, whatever the address: a stolen key cannot flood.
	EXPECT_EQ(post_from(valid(3), "198.51.100.1").status, 429);
	// A forged request does not consume the server's tokens (the MAC comes first).
	SignedPost forged = valid(3);
	forged.body[forged.body.size() / 2] ^= 1;
	EXPECT_EQ(post(forged).status, 401);
	EXPECT_EQ(post(valid_for(other, 1)).status, 200);
	clock.advance(1s);
	EXPECT_EQ(post(valid(3)).status, 200);
	EXPECT_EQ(stored(), 3u);
}

TEST_F(IngestLimitsTest, RepeatedAuthFailuresBlockTheAddressInMemory) {
	IngestOptions o;
	o.auth_block.max_failures = 5;
	o.auth_block.block_s = 60;
	reset(o);
	AgentToken stranger = generate_token(4242);
	for (int i = 0; i < 5; ++i)
		EXPECT_EQ(post_from(valid_for(stranger, 1), "203.0.113.9").status, 401) << i;
	// Now even a valid request from that address waits, and says how long.
	auto r = post_from(valid(1), "203.0.113.9");
	EXPECT_EQ(r.status, 429);
	EXPECT_EQ(r.reason, "auth_blocked");
	EXPECT_EQ(r.retry_after_s, 60);
	EXPECT_EQ(post_from(valid(1), "203.0.113.10").status, 200); // others are not affected
	clock.advance(60s);
	EXPECT_EQ(post_from(valid(2), "203.0.113.9").status, 200);
	EXPECT_EQ(stored(), 2u);
	EXPECT_EQ(service->blocklist().size(), 1u);
	// Failures cost no disk: the database and its log are byte-identical after 1000 of them.
	auto files = [&] {
		std::string all;
		for (const char* name : {"serversan.db", "serversan.db-wal"}) {
			std::ifstream in(dir.file(name), std::ios::binary);
			all += std::string(std::istreambuf_iterator<char>(in), {});
		}
		return all;
	};
	std::string before = files();
	for (int i = 0; i < 1000; ++i)
		(void)post_from(valid_for(stranger, 1), fmt::format("198.18.{}.{}", i / 250, i % 250));
	EXPECT_EQ(files() == before, true);
	EXPECT_EQ(stored(), 2u);
	EXPECT_LE(service->blocklist().size(), o.auth_block.capacity);
}

TEST_F(IngestLimitsTest, RotationByAnotherProcessWorksAtOnceInBothDirections) {
	EXPECT_EQ(post(valid(1)).status, 200); // the key is cached now
	EXPECT_EQ(service->keys().size(), 1u);
	// "Another process" rotates: the store changes, the cache is not told.
	AgentToken fresh = generate_token(token.server_id);
	ASSERT_TRUE(store->set_signing_key(token.server_id, derive_signing_key(fresh)).value());
	// The old token verifies against the cached key, but the writer's key check refuses it.
	auto r = post(valid(2));
	EXPECT_EQ(r.status, 401);
	EXPECT_EQ(r.reason, "key_changed");
	EXPECT_EQ(r.body, R"({"error":"unauthorized"})");
	EXPECT_EQ(stored(), 1u);
	// Rotate again while the cache holds the previous key: the new token fails against the cache,
	// the key is read again, and it is accepted.
	EXPECT_EQ(post(valid_for(fresh, 2)).status, 200);
	AgentToken third = generate_token(token.server_id);
	ASSERT_TRUE(store->set_signing_key(token.server_id, derive_signing_key(third)).value());
	EXPECT_EQ(post(valid_for(third, 3)).status, 200);
	EXPECT_EQ(post(valid_for(fresh, 4)).status, 401);
	EXPECT_EQ(stored(), 3u);
}

TEST_F(IngestLimitsTest, DeletedServerIsRefusedEvenWhileItsKeyIsCached) {
	EXPECT_EQ(post(valid(1)).status, 200);
	ASSERT_TRUE(store->delete_server(token.server_id).value());
	auto r = post(valid(2));
	EXPECT_EQ(r.status, 401);
	EXPECT_EQ(post(valid(3)).status, 401); // now unknown
	EXPECT_EQ(service->metrics().rejections("unknown_server") + service->metrics().rejections("key_changed"),
	          2u);
}

TEST_F(IngestLimitsTest, WriterPathAcknowledgesOnlyAfterTheCommit) {
	IngestMetrics metrics;
	Writer writer(store_backend(*store), {}, metrics);
	writer.start();
	service = std::make_unique<IngestService>(*store, clock, IngestOptions{}, &writer, &metrics);
	clock.advance(1s);
	std::vector<std::thread> threads;
	std::atomic<int> ok{0};
	std::vector<AgentToken> tokens;
	for (int t = 0; t < 4; ++t)
		tokens.push_back(add_server(fmt::format("host-{}", t)));
	for (int t = 0; t < 4; ++t)
		threads.emplace_back([&, t] {
			for (uint64_t seq = 1; seq <= 10; ++seq) {
				auto r = post(sign_post(tokens[static_cast<size_t>(t)],
				                        encode_batch(sample_batch(seq, 1, clock.unix_millis())),
				                        clock.unix_seconds()));
				// 200 means the commit returned: the row is readable right now.
				if (r.status == 200 &&
				    store->count_samples(tokens[static_cast<size_t>(t)].server_id).value() >= seq)
					++ok;
			}
		});
	for (auto& th : threads)
		th.join();
	writer.stop();
	EXPECT_EQ(ok.load(), 40);
	EXPECT_EQ(metrics.counters.reports_accepted.load(), 40u);
	EXPECT_GE(metrics.commits.load(), 1u);
	EXPECT_LE(metrics.commits.load(), 40u);
}

TEST_F(IngestLimitsTest, WriterErrorsAnswer503AndQueueFullAnswers503) {
	IngestMetrics metrics;
	WriterBackend broken = store_backend(*store);
	broken.append = [](const std::vector<store::IngestBatch>&) -> Result<std::vector<store::IngestOutcome>> {
		return Err("disk full");
	};
	Writer writer(broken, {}, metrics);
	writer.start();
	service = std::make_unique<IngestService>(*store, clock, IngestOptions{}, &writer, &metrics);
	clock.advance(1s);
	auto r = post(valid(1));
	EXPECT_EQ(r.status, 503);
	EXPECT_EQ(r.reason, "store_unavailable");
	EXPECT_TRUE(r.retry_after_s);
	EXPECT_EQ(stored(), 0u);
	writer.stop();
	r = post(valid(1));
	EXPECT_EQ(r.status, 503);
	EXPECT_EQ(r.reason, "shutting_down");

	// Full: a writer whose transaction never ends and a queue of one report.
	std::promise<void> release;
	std::shared_future<void> released = release.get_future().share();
	WriterBackend slow = store_backend(*store);
	auto real_append = slow.append;
	slow.append = [released, real_append](const std::vector<store::IngestBatch>& b) {
		released.wait();
		return real_append(b);
	};
	WriterOptions wo;
	wo.max_queue_reports = 1;
	Writer blocked(slow, wo, metrics);
	blocked.start();
	service = std::make_unique<IngestService>(*store, clock, IngestOptions{}, &blocked, &metrics);
	clock.advance(1s);
	std::vector<std::promise<IngestResponse>> answers(3);
	auto submit = [&](size_t i, uint64_t seq) {
		IngestRequest in;
		SignedPost p = valid(seq);
		in.method = p.method;
		in.target = p.target;
		in.content_type = p.content_type;
		in.authorization = p.authorization;
		in.content_length = p.body.size();
		in.body = p.body;
		auto head = service->check_head(in);
		auto body = service->check_body(in, std::get<ingest::HeadTicket>(head));
		service->commit(std::move(std::get<ingest::VerifiedBatch>(body)),
		                [&answers, i](IngestResponse resp) { answers[i].set_value(std::move(resp)); });
	};
	submit(0, 1); // taken by the writer, which now waits in its transaction
	while (blocked.queued_reports() != 0)
		std::this_thread::yield();
	submit(1, 2); // queued
	submit(2, 3); // over the cap
	auto full = answers[2].get_future().get();
	EXPECT_EQ(full.status, 503);
	EXPECT_EQ(full.reason, "queue_full");
	EXPECT_TRUE(full.retry_after_s);
	release.set_value();
	EXPECT_EQ(answers[0].get_future().get().status, 200);
	EXPECT_EQ(answers[1].get_future().get().status, 200);
	blocked.stop();
	EXPECT_EQ(stored(), 2u);
	EXPECT_EQ(metrics.rejections("queue_full"), 1u);
}
