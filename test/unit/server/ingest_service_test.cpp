// The report endpoint's verdicts, without HTTP: every rejection path answers the documented
// status and stores nothing; a valid batch is stored once, and an honest retry is idempotent.
#include <gtest/gtest.h>
#include <zlib.h>

#include "serversan/core/clock.h"
#include "serversan/server/ingest/ingest_service.h"
#include "serversan/server/store/store.h"
#include "test/unit/server/test_support.h"

using namespace serversan;
using namespace serversan::testing;
using namespace std::chrono_literals;
using ingest::IngestOptions;
using ingest::IngestRequest;
using ingest::IngestResponse;
using ingest::IngestService;

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
	SignedPost other_path = valid();
	other_path.target = "/api/v1/reports?x=1";
	cases.emplace_back("bad_signature", other_path);
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
