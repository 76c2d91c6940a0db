// The alert kinds, their defaults and which rule applies where.
#include <gtest/gtest.h>

#include "serversan/server/alerts/rule_catalog.h"
#include "serversan/server/store/metrics.h"

using namespace serversan;
using namespace serversan::alerts;

namespace {

store::AlertRule stored(uint64_t id, const char* metric, double threshold,
                        std::optional<uint64_t> server = {}, std::string device = {}, bool enabled = true) {
	store::AlertRule r;
	r.id = id;
	r.owner_chat = 42;
	r.server_id = server;
	r.metric = metric;
	r.device = std::move(device);
	r.threshold = threshold;
	r.enabled = enabled;
	return r;
}

const EffectiveRule* find(const std::vector<EffectiveRule>& rules, std::string_view kind,
                          std::string_view device) {
	for (const auto& r : rules)
		if (r.kind->name == kind && r.rule.device == device)
			return &r;
	return nullptr;
}

} // namespace

TEST(RuleCatalog, EveryKindNamesAMetricTheStoreKnowsOrAPseudoMetric) {
	ASSERT_EQ(alert_kinds().size(), default_rules().size());
	for (const auto& k : alert_kinds()) {
		bool pseudo = k.metric == kMetricOffline || k.metric == kMetricLoadPerCore;
		const store::MetricInfo* m = store::find_metric(k.metric);
		EXPECT_TRUE(pseudo || m) << k.name;
		if (m && k.per_device) {
			EXPECT_GE(m->slot, 0) << k.name << ": per device but the store has no device values";
		}
		EXPECT_EQ(find_kind(k.name), &k);
		EXPECT_EQ(kind_of_metric(k.metric), &k);
		const store::AlertRule& d = default_rule(k);
		EXPECT_EQ(d.metric, k.metric);
		EXPECT_GE(d.threshold, k.min) << k.name;
		EXPECT_LE(d.threshold, k.max) << k.name;
		// Hysteresis: a default clears at or below its threshold, never above.
		EXPECT_LE(clear_level(d), d.threshold) << k.name;
	}
	EXPECT_EQ(find_kind("CPU"), find_kind("cpu"));
	EXPECT_EQ(find_kind("cpux"), nullptr);
	EXPECT_EQ(kind_of_metric("cpu.user"), nullptr);
}

TEST(RuleCatalog, TheDefaultsAreTheDocumentedOnes) {
	const auto& cpu = default_rule(*find_kind("cpu"));
	EXPECT_EQ(cpu.threshold, 90);
	EXPECT_EQ(cpu.for_s, 600);
	EXPECT_EQ(clear_level(cpu), 80);
	const auto& offline = default_rule(*find_kind("offline"));
	EXPECT_EQ(offline.threshold, 3);
	EXPECT_EQ(offline.severity, "critical");
	EXPECT_FALSE(default_rule(*find_kind("net_in")).enabled);
	EXPECT_TRUE(default_rule(*find_kind("disk")).enabled);
}

TEST(RuleCatalog, TheMostSpecificRuleWins) {
	std::vector<store::AlertRule> rules = {
	    stored(1, "cpu.busy", 70),                          // the chat's default for cpu
	    stored(2, "cpu.busy", 95, 7),                       // server 7's own
	    stored(3, "fs.percent", 80),                        // every mount of every server
	    stored(4, "fs.percent", 99, std::nullopt, "/data"), // /data on every server
	    stored(5, "fs.percent", 97, 7, "/data"),            // /data on server 7
	    stored(6, "swap.percent", 50, 8, "", false),        // swap off on server 8
	    stored(7, "cpu.busy", 10, 9),                       // another server's: ignored for 7
	};
	auto chat = effective_rules(rules, std::nullopt);
	EXPECT_EQ(find(chat, "cpu", "")->rule.threshold, 70);
	EXPECT_EQ(find(chat, "cpu", "")->source, RuleSource::chat);
	EXPECT_EQ(find(chat, "ram", "")->source, RuleSource::builtin);
	EXPECT_EQ(find(chat, "disk", "/data")->rule.threshold, 99);

	auto s7 = effective_rules(rules, 7);
	EXPECT_EQ(find(s7, "cpu", "")->rule.threshold, 95);
	EXPECT_EQ(find(s7, "cpu", "")->source, RuleSource::server);
	EXPECT_EQ(find(s7, "disk", "")->rule.threshold, 80);
	EXPECT_EQ(find(s7, "disk", "/data")->rule.threshold, 97);
	EXPECT_EQ(find(s7, "swap", "")->rule.enabled, true);
	size_t data_entries = 0;
	for (const auto& r : s7)
		data_entries += r.kind->name == "disk" && r.rule.device == "/data";
	EXPECT_EQ(data_entries, 1u); // the chat's /data rule and the server's appear once, as the server's

	auto s8 = effective_rules(rules, 8);
	EXPECT_FALSE(find(s8, "swap", "")->rule.enabled); // an explicit "off" wins over the default
	EXPECT_EQ(find(s8, "cpu", "")->rule.threshold, 70);

	// One device of a per-device kind: the device rule, else the kind's.
	EXPECT_EQ(effective_rule(rules, 7, *find_kind("disk"), "/").rule.threshold, 80);
	EXPECT_EQ(effective_rule(rules, 8, *find_kind("disk"), "/data").rule.threshold, 99);
	EXPECT_EQ(effective_rule({}, 8, *find_kind("disk"), "/data").source, RuleSource::builtin);
}

namespace {
store::AlertRule tagged(uint64_t id, const char* metric, double threshold, const char* tag,
                        std::string device = {}) {
	store::AlertRule r = stored(id, metric, threshold, std::nullopt, std::move(device));
	r.tag = tag;
	return r;
}
} // namespace

TEST(RuleCatalog, TagRulesSitBetweenTheServersAndTheChats) {
	std::vector<store::AlertRule> rules = {
	    stored(1, "cpu.busy", 70),                          // chat
	    tagged(2, "cpu.busy", 80, "db"),                    // tag db
	    stored(3, "cpu.busy", 95, 7),                       // server 7
	    stored(4, "fs.percent", 91, std::nullopt, "/data"), // chat, /data
	    tagged(5, "fs.percent", 85, "db"),                  // tag db, every mount
	    tagged(6, "fs.percent", 99, "db", "/data"),         // tag db, /data
	    stored(7, "fs.percent", 97, 7),                     // server 7, every mount
	};
	const std::vector<std::string> db = {"db"};
	// A server with the tag and no rule of its own: the tag's rules.
	auto s8 = effective_rules(rules, 8, db);
	EXPECT_EQ(find(s8, "cpu", "")->rule.threshold, 80);
	EXPECT_EQ(find(s8, "cpu", "")->source, RuleSource::tag);
	EXPECT_EQ(find(s8, "disk", "")->rule.threshold, 85);
	EXPECT_EQ(find(s8, "disk", "/data")->rule.threshold, 99); // tag+device beats tag and chat+device
	// The same server without the tag: the chat's.
	auto bare = effective_rules(rules, 8);
	EXPECT_EQ(find(bare, "cpu", "")->rule.threshold, 70);
	EXPECT_EQ(find(bare, "disk", "/data")->rule.threshold, 91);
	// The server's own rules beat its tag's, even the tag's rule for that device (server > tag+device).
	auto s7 = effective_rules(rules, 7, db);
	EXPECT_EQ(find(s7, "cpu", "")->rule.threshold, 95);
	auto data7 = effective_rule(rules, 7, *find_kind("disk"), "/data", db);
	EXPECT_EQ(data7.rule.threshold, 97);
	EXPECT_EQ(data7.source, RuleSource::server);
	// The tag's own view (no server): tag > chat > built-in.
	auto view = effective_rules(rules, std::nullopt, db);
	EXPECT_EQ(find(view, "cpu", "")->source, RuleSource::tag);
	EXPECT_EQ(find(view, "ram", "")->source, RuleSource::builtin);
	// The chat's view never shows a tag's rule.
	auto chat = effective_rules(rules, std::nullopt);
	EXPECT_EQ(find(chat, "cpu", "")->rule.threshold, 70);
}

TEST(RuleCatalog, TwoTagsOfOneServerTheFirstInAlphabeticalOrderWins) {
	// prod's rule is older, db's newer: db wins because "db" < "prod", in either order.
	std::vector<store::AlertRule> rules = {tagged(1, "cpu.busy", 60, "prod"),
	                                       tagged(2, "cpu.busy", 85, "db")};
	const std::vector<std::string> tags = {"db", "prod"};
	EXPECT_EQ(effective_rule(rules, 3, *find_kind("cpu"), "", tags).rule.threshold, 85);
	std::swap(rules[0], rules[1]);
	EXPECT_EQ(effective_rule(rules, 3, *find_kind("cpu"), "", tags).rule.threshold, 85);
	// With only prod, prod's.
	const std::vector<std::string> prod = {"prod"};
	EXPECT_EQ(effective_rule(rules, 3, *find_kind("cpu"), "", prod).rule.threshold, 60);
}
