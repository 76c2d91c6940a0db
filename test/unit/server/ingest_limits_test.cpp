// Abuse limits without HTTP: the token bucket's bound on a moved clock, the bounded tables, the
// failed-authentication block and its doubling, and the client address behind trusted proxies.
#include <random>

#include <gtest/gtest.h>

#include "serversan/core/clock.h"
#include "serversan/server/ingest/auth_blocklist.h"
#include "serversan/server/ingest/client_ip.h"
#include "serversan/server/ingest/lru_map.h"
#include "serversan/server/ingest/metrics.h"
#include "serversan/server/ingest/rate_limiter.h"

using namespace serversan;
using namespace serversan::ingest;
using namespace std::chrono_literals;

TEST(LruMap, EvictsTheLeastRecentlyUsed) {
	LruMap<int, int> m(2);
	m.put(1, 10);
	m.put(2, 20);
	ASSERT_NE(m.find(1), nullptr); // 1 is now the most recent
	m.put(3, 30);                  // evicts 2
	EXPECT_EQ(m.find(2), nullptr);
	EXPECT_EQ(*m.find(1), 10);
	EXPECT_EQ(*m.find(3), 30);
	EXPECT_EQ(m.size(), 2u);
	EXPECT_TRUE(m.erase(1));
	EXPECT_FALSE(m.erase(1));
	EXPECT_EQ(m.size(), 1u);
}

// The property of reliability.md's bar, item 5: over any interval [a, b] the admitted requests
// are at most burst + rate * (b - a). Random rates, bursts and arrival schedules, on a moved clock.
TEST(TokenBucket, AdmittedNeverExceedsBurstPlusRateTimesT) {
	std::mt19937_64 rng(7);
	for (int round = 0; round < 300; ++round) {
		ManualClock clock;
		RateLimit limit{0.1 + static_cast<double>(rng() % 1000) / 20.0,
		                1.0 + static_cast<double>(rng() % 50)};
		RateLimiter limiter(limit, 16, clock);
		std::vector<double> admitted; // seconds since start
		double t = 0;
		for (int i = 0; i < 400; ++i) {
			// Bursts of simultaneous arrivals mixed with gaps of up to several refill periods.
			double gap =
			    rng() % 4 == 0 ? 0 : static_cast<double>(rng() % 1000) / 1000.0 * 3 / limit.per_second;
			t += gap;
			clock.advance(std::chrono::nanoseconds(static_cast<int64_t>(gap * 1e9)));
			if (limiter.admit("k").allowed)
				admitted.push_back(t);
		}
		ASSERT_FALSE(admitted.empty());
		for (size_t a = 0; a < admitted.size(); ++a)
			for (size_t b = a; b < admitted.size(); ++b)
				ASSERT_LE(static_cast<double>(b - a + 1),
				          limit.burst + limit.per_second * (admitted[b] - admitted[a]) + 1e-6)
				    << "round " << round << " rate " << limit.per_second << " burst " << limit.burst;
	}
}

TEST(TokenBucket, SteadyRateIsAdmittedAndRetryAfterIsHonest) {
	ManualClock clock;
	RateLimiter limiter({2, 4}, 16, clock);
	for (int i = 0; i < 4; ++i)
		EXPECT_TRUE(limiter.admit("a").allowed) << i; // the burst
	RateDecision d = limiter.admit("a");
	EXPECT_FALSE(d.allowed);
	EXPECT_EQ(d.retry_after_s, 1);           // 0.5 s rounded up to whole seconds
	EXPECT_TRUE(limiter.admit("b").allowed); // keys are independent
	clock.advance(500ms);
	EXPECT_TRUE(limiter.admit("a").allowed);
	// A client that keeps to the rate is never refused.
	for (int i = 0; i < 100; ++i) {
		clock.advance(500ms);
		EXPECT_TRUE(limiter.admit("a").allowed) << i;
	}
	// Waiting as told always works.
	while (limiter.admit("a").allowed) {
	}
	d = limiter.admit("a");
	clock.advance(std::chrono::seconds(d.retry_after_s));
	EXPECT_TRUE(limiter.admit("a").allowed);
}

TEST(TokenBucket, SlowRateGivesLongRetryAfter) {
	ManualClock clock;
	RateLimiter limiter({0.1, 1}, 16, clock); // one per 10 s
	EXPECT_TRUE(limiter.admit("s").allowed);
	RateDecision d = limiter.admit("s");
	EXPECT_FALSE(d.allowed);
	EXPECT_EQ(d.retry_after_s, 10);
}

TEST(TokenBucket, BackwardClockStepDoesNotStarve) {
	ManualClock clock;
	RateLimiter limiter({1, 1}, 16, clock);
	EXPECT_TRUE(limiter.admit("k").allowed);
	clock.advance(-std::chrono::hours(1)); // NTP step backwards
	EXPECT_FALSE(limiter.admit("k").allowed);
	clock.advance(1s);
	EXPECT_TRUE(limiter.admit("k").allowed); // one second later, not one hour
}

TEST(TokenBucket, DisabledLimitAdmitsEverythingAndTablesStayBounded) {
	ManualClock clock;
	RateLimiter off({0, 1}, 16, clock);
	for (int i = 0; i < 1000; ++i)
		EXPECT_TRUE(off.admit("x").allowed);
	EXPECT_EQ(off.size(), 0u);
	RateLimiter on({1, 1}, 100, clock);
	for (int i = 0; i < 10'000; ++i)
		(void)on.admit("10.0." + std::to_string(i));
	EXPECT_EQ(on.size(), 100u);
}

TEST(AuthBlocklist, BlocksAfterTheLimitThenDoublesUpToTheMaximum) {
	ManualClock clock;
	AuthBlockOptions o; // 20 per 60 s, 300 s doubling to 3600 s
	AuthBlocklist b(o, clock);
	for (int i = 0; i < 19; ++i)
		EXPECT_FALSE(b.record_failure("1.2.3.4"));
	EXPECT_FALSE(b.blocked("1.2.3.4"));
	EXPECT_TRUE(b.record_failure("1.2.3.4"));
	ASSERT_TRUE(b.blocked("1.2.3.4"));
	EXPECT_EQ(*b.blocked("1.2.3.4"), 300);
	EXPECT_FALSE(b.blocked("1.2.3.5"));
	EXPECT_EQ(b.blocked_count(), 1u);
	clock.advance(299s);
	EXPECT_EQ(*b.blocked("1.2.3.4"), 1);
	clock.advance(1s);
	EXPECT_FALSE(b.blocked("1.2.3.4"));

	std::vector<int64_t> blocks;
	for (int round = 0; round < 6; ++round) {
		for (int i = 0; i < 20; ++i)
			(void)b.record_failure("1.2.3.4");
		auto left = b.blocked("1.2.3.4");
		ASSERT_TRUE(left);
		blocks.push_back(*left);
		clock.advance(std::chrono::seconds(*left));
	}
	EXPECT_EQ(blocks, (std::vector<int64_t>{600, 1200, 2400, 3600, 3600, 3600}));
	// A long quiet spell starts over at the shortest block.
	clock.advance(2h);
	for (int i = 0; i < 20; ++i)
		(void)b.record_failure("1.2.3.4");
	EXPECT_EQ(*b.blocked("1.2.3.4"), 300);
}

TEST(AuthBlocklist, FailuresOutsideTheWindowAreForgotten) {
	ManualClock clock;
	AuthBlocklist b({}, clock);
	for (int i = 0; i < 19; ++i)
		(void)b.record_failure("a");
	clock.advance(61s);
	EXPECT_FALSE(b.record_failure("a"));
	EXPECT_FALSE(b.blocked("a"));
}

TEST(AuthBlocklist, TableIsBoundedAndOffMeansOff) {
	ManualClock clock;
	AuthBlockOptions o;
	o.capacity = 100;
	AuthBlocklist b(o, clock);
	for (int i = 0; i < 100'000; ++i)
		(void)b.record_failure("198.51." + std::to_string(i));
	EXPECT_EQ(b.size(), 100u);
	o.max_failures = 0;
	AuthBlocklist off(o, clock);
	for (int i = 0; i < 100; ++i)
		EXPECT_FALSE(off.record_failure("a"));
	EXPECT_FALSE(off.blocked("a"));
}

TEST(ClientIp, ParsesBothFamiliesAndMapsIpv4) {
	auto a = IpAddress::parse("192.0.2.1");
	ASSERT_TRUE(a);
	EXPECT_TRUE(a->is_v4());
	EXPECT_EQ(a->to_string(), "192.0.2.1");
	EXPECT_EQ(IpAddress::parse("::ffff:192.0.2.1"), a);
	auto b = IpAddress::parse("2001:DB8::1");
	ASSERT_TRUE(b);
	EXPECT_FALSE(b->is_v4());
	EXPECT_EQ(b->to_string(), "2001:db8::1");
	for (const char* bad : {"", "1.2.3", "1.2.3.4:80", "[::1]", "localhost", "1.2.3.256", "::1%eth0"})
		EXPECT_FALSE(IpAddress::parse(bad)) << bad;
	EXPECT_EQ(*parse_forwarded_hop(" 1.2.3.4:5678 "), *IpAddress::parse("1.2.3.4"));
	EXPECT_EQ(*parse_forwarded_hop("[2001:db8::7]:443"), *IpAddress::parse("2001:db8::7"));
	EXPECT_EQ(*parse_forwarded_hop("2001:db8::7"), *IpAddress::parse("2001:db8::7"));
	EXPECT_FALSE(parse_forwarded_hop("unknown"));
}

TEST(ClientIp, LimitsCountIpv6ByItsSlash64) {
	EXPECT_EQ(limit_key(*IpAddress::parse("192.0.2.77")), "192.0.2.77");
	EXPECT_EQ(limit_key(*IpAddress::parse("2001:db8:1:2:aaaa:bbbb:cccc:dddd")), "2001:db8:1:2::/64");
	EXPECT_EQ(limit_key(*IpAddress::parse("2001:db8:1:2::1")),
	          limit_key(*IpAddress::parse("2001:db8:1:2::2")));
	EXPECT_NE(limit_key(*IpAddress::parse("2001:db8:1:2::1")),
	          limit_key(*IpAddress::parse("2001:db8:1:3::1")));
	EXPECT_EQ(limit_key(*IpAddress::parse("::1")), "::/64");
}

TEST(ClientIp, CidrLists) {
	auto l = CidrList::parse("10.0.0.0/8, 192.168.1.7 fd00::/8,::1");
	ASSERT_TRUE(l.ok()) << l.error().message;
	EXPECT_EQ(l->entries().size(), 4u);
	EXPECT_TRUE(l->contains(*IpAddress::parse("10.255.0.1")));
	EXPECT_FALSE(l->contains(*IpAddress::parse("11.0.0.1")));
	EXPECT_TRUE(l->contains(*IpAddress::parse("192.168.1.7")));
	EXPECT_FALSE(l->contains(*IpAddress::parse("192.168.1.8")));
	EXPECT_TRUE(l->contains(*IpAddress::parse("fd12::1")));
	EXPECT_TRUE(l->contains(*IpAddress::parse("::1")));
	EXPECT_FALSE(l->contains(*IpAddress::parse("::2")));
	EXPECT_EQ(l->to_string(), "10.0.0.0/8, 192.168.1.7/32, fd00::/8, ::1/128");
	auto host_bits = CidrList::parse("10.1.2.3/8");
	ASSERT_TRUE(host_bits.ok());
	EXPECT_EQ(host_bits->to_string(), "10.0.0.0/8");
	EXPECT_TRUE(CidrList::parse("")->empty());
	EXPECT_TRUE(CidrList::parse("0.0.0.0/0")->contains(*IpAddress::parse("8.8.8.8")));
	for (const char* bad : {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/x", "example.com", "10.0.0.0/-1"})
		EXPECT_FALSE(CidrList::parse(bad).ok()) << bad;
	EXPECT_TRUE(CidrList::loopback().contains(*IpAddress::parse("127.0.0.53")));
	EXPECT_TRUE(CidrList::loopback().contains(*IpAddress::parse("::1")));
	EXPECT_FALSE(CidrList::loopback().contains(*IpAddress::parse("10.0.0.1")));
}

TEST(ClientIp, ForwardedForIsBelievedOnlyFromTrustedProxies) {
	IpAddress proxy = *IpAddress::parse("10.0.0.2");
	IpAddress stranger = *IpAddress::parse("198.51.100.9");
	auto trusted = *CidrList::parse("10.0.0.0/24, 127.0.0.1");
	auto ip = [&](const IpAddress& peer, std::vector<std::string_view> xff) {
		return resolve_client_ip(peer, xff, trusted).to_string();
	};
	// An untrusted peer's header is ignored whatever it says.
	EXPECT_EQ(ip(stranger, {"1.1.1.1"}), "198.51.100.9");
	// No header from a proxy: the proxy itself.
	EXPECT_EQ(ip(proxy, {}), "10.0.0.2");
	EXPECT_EQ(ip(proxy, {"203.0.113.5"}), "203.0.113.5");
	// The client prepends lies; the proxy appends the truth: right-most untrusted wins.
	EXPECT_EQ(ip(proxy, {"6.6.6.6, 203.0.113.5"}), "203.0.113.5");
	// Chains of trusted proxies are walked through.
	EXPECT_EQ(ip(proxy, {"6.6.6.6, 203.0.113.5, 10.0.0.7, 127.0.0.1"}), "203.0.113.5");
	// Several headers are one list, in order.
	EXPECT_EQ(ip(proxy, {"6.6.6.6", "203.0.113.5", "10.0.0.7"}), "203.0.113.5");
	// Everything trusted: the left-most.
	EXPECT_EQ(ip(proxy, {"10.0.0.9, 10.0.0.7"}), "10.0.0.9");
	// Garbage where the proxy should have written an address: the last trusted hop, not the lie.
	EXPECT_EQ(ip(proxy, {"6.6.6.6, unknown, 10.0.0.7"}), "10.0.0.7");
	EXPECT_EQ(ip(proxy, {"6.6.6.6, unknown"}), "10.0.0.2");
	EXPECT_EQ(ip(proxy, {" , 203.0.113.5:4711 ,"}), "203.0.113.5");
	EXPECT_EQ(ip(proxy, {"[2001:db8::5]:1234"}), "2001:db8::5");
}

TEST(Metrics, RendersPrometheusText) {
	IngestMetrics m;
	m.count_rejection("bad_signature");
	m.count_rejection("bad_signature");
	m.count_rejection("no_such_reason");
	m.request_seconds.observe(0.003);
	m.request_seconds.observe(20);
	m.add_gauge("serversan_test_gauge{kind=\"a\"}", "A test gauge.", [] { return 1.5; });
	m.add_gauge("serversan_test_gauge{kind=\"b\"}", "A test gauge.", [] { return 7; });
	EXPECT_EQ(m.rejections("bad_signature"), 2u);
	EXPECT_EQ(m.rejections("other"), 1u);
	std::string text = m.render();
	EXPECT_NE(text.find("serversan_ingest_rejected_total{reason=\"bad_signature\"} 2\n"), std::string::npos);
	EXPECT_NE(text.find("serversan_ingest_request_duration_seconds_bucket{le=\"0.0025\"} 0\n"),
	          std::string::npos);
	EXPECT_NE(text.find("serversan_ingest_request_duration_seconds_bucket{le=\"0.005\"} 1\n"),
	          std::string::npos);
	EXPECT_NE(text.find("serversan_ingest_request_duration_seconds_bucket{le=\"10\"} 1\n"),
	          std::string::npos);
	EXPECT_NE(text.find("serversan_ingest_request_duration_seconds_bucket{le=\"+Inf\"} 2\n"),
	          std::string::npos);
	EXPECT_NE(text.find("serversan_ingest_request_duration_seconds_count 2\n"), std::string::npos);
	EXPECT_NE(text.find("# TYPE serversan_test_gauge gauge\nserversan_test_gauge{kind=\"a\"} 1.5\n"
	                    "serversan_test_gauge{kind=\"b\"} 7\n"),
	          std::string::npos)
	    << text;
	EXPECT_NE(text.find("serversan_bot_queue_length 0\n"), std::string::npos);
	// Every line is a comment or "name[{labels}] value".
	size_t pos = 0;
	while (pos < text.size()) {
		size_t nl = text.find('\n', pos);
		ASSERT_NE(nl, std::string::npos);
		std::string line = text.substr(pos, nl - pos);
		pos = nl + 1;
		if (line.starts_with("# HELP ") || line.starts_with("# TYPE "))
			continue;
		ASSERT_TRUE(line.starts_with("serversan_")) << line;
		ASSERT_NE(line.rfind(' '), std::string::npos) << line;
	}
}
