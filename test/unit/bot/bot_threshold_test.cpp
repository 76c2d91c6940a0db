// /threshold: the typed forms and the rules they store, value and duration units, every refusal,
// the buttons that edit the message in place, access (group members see, admins change; another
// chat's server is hidden like a missing one), both languages. Prints the chat transcript.
#include <iostream>

#include <gtest/gtest.h>

#include "bot_harness.h"
#include "serversan/server/alerts/rule_catalog.h"
#include "serversan/server/bot/threshold/callback.h"
#include "serversan/server/bot/threshold/parse.h"
#include "views_fixture.h"

using namespace serversan;
using namespace serversan::bot;
using namespace serversan::bot::testing;
using bot::threshold::parse_duration_s;
using bot::threshold::parse_value;

namespace {

const alerts::AlertKind& kind(std::string_view name) {
	const alerts::AlertKind* k = alerts::find_kind(name);
	EXPECT_NE(k, nullptr) << name;
	return *k;
}

struct ThresholdBot : ::testing::Test {
	BotHarness h;
	telegram::User alice = tg_user(1001, "Alice"), bob = tg_user(2002, "Bob"),
	               li = tg_user(3003, "Li", "zh-hans");
	telegram::Chat ops = group_chat(-500, "Ops");
	uint64_t web = 0, bobs = 0, group_box = 0;
	std::string log; // the transcript, printed at the end

	void SetUp() override {
		h.step = std::chrono::seconds(2); // stay under the throttle
		h.say(alice, private_chat(alice), "/add web1");
		h.say(bob, private_chat(bob), "/add bobs-box");
		h.admins.admins.insert({ops.id, alice.id}); // Alice administers Ops, Bob is a member
		h.say(alice, ops, "/add ops-db");
		web = h.server_id(alice.id, "web1");
		bobs = h.server_id(bob.id, "bobs-box");
		group_box = h.server_id(ops.id, "ops-db");
		ASSERT_NE(web, 0u);
		ASSERT_NE(bobs, 0u);
		ASSERT_NE(group_box, 0u);
	}
	void TearDown() override { std::cout << log; }

	std::vector<Reply> say(const telegram::User& u, const telegram::Chat& c, const std::string& text) {
		auto r = h.say(u, c, text);
		log += fmt::format("\n{} in {}: {}\n{}", u.first_name, c.id, text, transcript(r));
		for (const Reply& x : r)
			EXPECT_TRUE(well_formed_html(x.text)) << x.text;
		return r;
	}
	std::vector<Reply> press(const telegram::User& u, const telegram::Chat& c, const std::string& data) {
		auto r = h.press(u, c, data, 4242);
		log += fmt::format("\n{} in {} presses {}\n{}", u.first_name, c.id, data, transcript(r));
		for (const Reply& x : r) {
			if (x.kind != Reply::Kind::answer_callback) {
				EXPECT_TRUE(well_formed_html(x.text)) << x.text;
			}
		}
		return r;
	}
	// The last reply that is not a callback answer (the dispatcher answers after the handler).
	static Reply shown(const std::vector<Reply>& r) {
		for (auto it = r.rbegin(); it != r.rend(); ++it)
			if (it->kind != Reply::Kind::answer_callback)
				return *it;
		return r.empty() ? Reply{} : r.back();
	}
	static std::string text(const std::vector<Reply>& r) { return shown(r).text; }

	std::vector<store::AlertRule> rules(int64_t chat) { return h.store->list_alert_rules(chat).value(); }
	// The one stored rule of chat for metric (server and device as given); fails if not exactly one.
	store::AlertRule rule(int64_t chat, std::string_view metric, std::optional<uint64_t> server = {},
	                      std::string device = {}) {
		std::vector<store::AlertRule> found;
		for (auto& r : rules(chat))
			if (r.metric == metric && r.server_id == server && r.device == device)
				found.push_back(r);
		EXPECT_EQ(found.size(), 1u) << metric;
		return found.empty() ? store::AlertRule{} : found[0];
	}
};

} // namespace

TEST(ThresholdParse, ValuesInEveryUnit) {
	const double MiB = 1024.0 * 1024;
	EXPECT_EQ(parse_value(kind("net_in"), "400Mbit/s"), 50e6);
	EXPECT_EQ(parse_value(kind("net_in"), "400Mbps"), 50e6);
	EXPECT_EQ(parse_value(kind("net_in"), "400Mb/s"), 50e6);
	EXPECT_EQ(parse_value(kind("net_in"), "1Gbit"), 125e6);
	EXPECT_EQ(parse_value(kind("net_out"), "50MB/s"), 50 * MiB);
	EXPECT_EQ(parse_value(kind("net_out"), "50MiB/s"), 50 * MiB);
	EXPECT_EQ(parse_value(kind("net_out"), "50M"), 50 * MiB);
	EXPECT_EQ(parse_value(kind("net_out"), "1.5GB/s"), 1.5 * 1024 * MiB);
	EXPECT_EQ(parse_value(kind("net_out"), "800KB"), 800 * 1024.0);
	EXPECT_EQ(parse_value(kind("net_out"), "5000B/s"), 5000.0);
	EXPECT_FALSE(parse_value(kind("net_out"), "5000")) << "a rate needs its unit";
	EXPECT_EQ(parse_value(kind("cpu"), "90"), 90.0);
	EXPECT_EQ(parse_value(kind("cpu"), "90%"), 90.0);
	EXPECT_EQ(parse_value(kind("cpu"), "85.5%"), 85.5);
	EXPECT_EQ(parse_value(kind("load"), "2.5"), 2.5);
	EXPECT_EQ(parse_value(kind("temp"), "85"), 85.0);
	EXPECT_EQ(parse_value(kind("temp"), "85°C"), 85.0);
	EXPECT_EQ(parse_value(kind("offline"), "10m"), 10.0);
	EXPECT_EQ(parse_value(kind("offline"), "1h"), 60.0);
	EXPECT_EQ(parse_value(kind("offline"), "10"), 10.0); // the store's unit: minutes
	for (const char* bad : {"", "x", "-5", "90%%", "9o", "nan", "inf", "1e3"})
		EXPECT_FALSE(parse_value(kind("cpu"), bad)) << bad;
	for (const char* bad : {"50XB/s", "50 MB", "MB", "5iB", "50Mbyte"})
		EXPECT_FALSE(parse_value(kind("net_in"), bad)) << bad;
	EXPECT_FALSE(parse_value(kind("load"), "2%"));

	EXPECT_EQ(parse_duration_s("30s"), 30);
	EXPECT_EQ(parse_duration_s("5m"), 300);
	EXPECT_EQ(parse_duration_s("10min"), 600);
	EXPECT_EQ(parse_duration_s("1h"), 3600);
	EXPECT_EQ(parse_duration_s("1.5h"), 5400);
	EXPECT_EQ(parse_duration_s("0"), 0);
	for (const char* bad : {"5", "5x", "25h", "-1m", "m", ""})
		EXPECT_FALSE(parse_duration_s(bad)) << bad;
}

TEST(ThresholdParse, CallbackDataRoundTripsAndFits) {
	uint64_t big = UINT64_MAX;
	for (const auto& k : alerts::alert_kinds())
		for (std::optional<uint64_t> server : {std::optional<uint64_t>{}, std::optional<uint64_t>{big}})
			for (std::string_view a : {"t5", "d30", "sev", "off", "on", "rst"}) {
				std::string data = bot::threshold::action_data(server, k, a);
				EXPECT_TRUE(callback_data_fits(data)) << data;
				auto cb = bot::threshold::parse_callback(data.substr(3));
				ASSERT_TRUE(cb) << data;
				EXPECT_EQ(cb->server, server);
				EXPECT_EQ(cb->kind, &k);
				EXPECT_EQ(cb->action, a);
			}
	for (const char* bad : {"", "x", "0", "-1", "c:nope", "c:CPU", "c:cpu:", "c:cpu:t1:x", "12x", "p:1"})
		EXPECT_FALSE(bot::threshold::parse_callback(bad)) << bad;
	// A tag scope carries the tag itself: the longest (24 characters) with the longest kind fits.
	const std::string tag(24, 'x');
	std::string data = bot::threshold::action_data({std::nullopt, tag}, *alerts::find_kind("net_out"), "sev");
	EXPECT_EQ(data, "th:#" + tag + ":net_out:sev");
	EXPECT_TRUE(callback_data_fits(data)) << data;
	auto cb = bot::threshold::parse_callback(data.substr(3));
	ASSERT_TRUE(cb);
	EXPECT_EQ(cb->tag, tag);
	EXPECT_FALSE(cb->server);
	EXPECT_EQ(bot::threshold::overview_data({std::nullopt, "db"}), "th:#db");
	for (const char* bad : {"#", "#DB", "#a b", "#db;x:cpu",
	                        "#"
	                        "xxxxxxxxxxxxxxxxxxxxxxxxx"})
		EXPECT_FALSE(bot::threshold::parse_callback(bad)) << bad;
}

// /threshold #db: its buttons act on the tag's rules, not on the chat's defaults.
TEST_F(ThresholdBot, ATagsOverviewAndEditorButtonsActOnTheTag) {
	const auto me = private_chat(alice);
	say(alice, me, "/tag web1 db");
	auto r = say(alice, me, "/threshold #db");
	ASSERT_FALSE(r.empty());
	EXPECT_TRUE(has(text(r), "<b>Alert thresholds</b> · #db")) << text(r);
	EXPECT_TRUE(has(text(r), "Servers tagged #db use these")) << text(r);
	EXPECT_EQ(button(shown(r), "CPU"), "th:#db:cpu");
	EXPECT_EQ(button(shown(r), "Back"), "th:c");
	EXPECT_EQ(button(shown(r), "Per server"), "");

	r = press(alice, me, "th:#db:cpu");
	EXPECT_TRUE(has(text(r), "<b>CPU</b> · #db")) << text(r);
	EXPECT_EQ(button(shown(r), "95%"), "th:#db:cpu:t3");
	EXPECT_EQ(button(shown(r), "Back"), "th:#db");
	r = press(alice, me, "th:#db:cpu:t3");
	EXPECT_EQ(r.front().text, "Saved");
	EXPECT_TRUE(has(text(r), "Now: &gt; 95%")) << text(r);
	EXPECT_TRUE(has(text(r), "▲ set for the tag #db")) << text(r);
	auto all = rules(alice.id);
	ASSERT_EQ(all.size(), 1u) << "the chat's defaults untouched";
	EXPECT_EQ(all[0].tag, "db");
	EXPECT_FALSE(all[0].server_id);
	EXPECT_EQ(all[0].threshold, 95);
	// web1 carries the tag: its CPU rule is the tag's now.
	EXPECT_TRUE(has(text(say(alice, me, "/threshold web1")), "▲ <b>CPU</b> &gt; 95%"));
	// A device kind's editor tells how to type a device rule for the tag.
	EXPECT_TRUE(has(text(press(alice, me, "th:#db:disk")), "/threshold #db disk:")) << log;
	r = press(alice, me, "th:#db:cpu:rst");
	EXPECT_TRUE(rules(alice.id).empty());

	// In a group, a member's press on a tag's button changes nothing, an admin's does.
	say(alice, ops, "/tag ops-db db");
	r = press(bob, ops, "th:#db:cpu:t3");
	EXPECT_EQ(r.front().text, "Only this group's admins can do that.");
	EXPECT_TRUE(rules(ops.id).empty());
	press(alice, ops, "th:#db:cpu:t3");
	ASSERT_EQ(rules(ops.id).size(), 1u);
	EXPECT_EQ(rules(ops.id)[0].tag, "db");
}

TEST_F(ThresholdBot, EveryTypedFormStoresItsRule) {
	const auto me = private_chat(alice);
	// The chat's default: unnamed fields come from the built-in rule (10 min, warning), and the
	// clear level keeps its distance below the line (90 -> 80 becomes 95 -> 85).
	auto r = say(alice, me, "/threshold cpu 95");
	EXPECT_TRUE(has(text(r), "This chat")) << text(r);
	auto cpu = rule(alice.id, "cpu.busy");
	EXPECT_FALSE(cpu.server_id);
	EXPECT_EQ(cpu.threshold, 95);
	EXPECT_EQ(cpu.clear_threshold, 85);
	EXPECT_EQ(cpu.for_s, 600);
	EXPECT_EQ(cpu.severity, "warning");
	EXPECT_TRUE(cpu.enabled);

	// A server's own rule with everything named.
	r = say(alice, me, "/threshold web1 cpu 80% 5m clear 70 critical");
	EXPECT_TRUE(has(text(r), "web1")) << text(r);
	EXPECT_TRUE(has(text(r), "&gt; 80% for 5 min · clears &lt; 70% · critical")) << text(r);
	auto own = rule(alice.id, "cpu.busy", web);
	EXPECT_EQ(own.threshold, 80);
	EXPECT_EQ(own.clear_threshold, 70);
	EXPECT_EQ(own.for_s, 300);
	EXPECT_EQ(own.severity, "critical");

	// By id, a device, the rest of the units.
	say(alice, me, fmt::format("/threshold {} disk:/data 95 10min", web));
	auto data = rule(alice.id, "fs.percent", web, "/data");
	EXPECT_EQ(data.threshold, 95);
	EXPECT_EQ(data.for_s, 600);
	say(alice, me, "/threshold disk:/backup 98"); // every server's /backup
	EXPECT_EQ(rule(alice.id, "fs.percent", std::nullopt, "/backup").threshold, 98);
	r = say(alice, me, "/threshold web1 net_out:eth0 50MB/s");
	EXPECT_EQ(rule(alice.id, "net.tx", web, "eth0").threshold, 50 * 1024.0 * 1024);
	EXPECT_TRUE(has(text(r), "<b>Net out eth0</b> &gt; 50 MiB/s")) << text(r);
	// Without a value: the kind's editor, as a new message.
	r = say(alice, me, "/threshold web1 cpu");
	EXPECT_EQ(shown(r).kind, Reply::Kind::send);
	EXPECT_EQ(button(shown(r), "95%"), fmt::format("th:{}:cpu:t3", web)) << transcript(r);
	say(alice, me, "/threshold net_in 400Mbit/s 30s");
	EXPECT_EQ(rule(alice.id, "net.rx").threshold, 50e6);
	EXPECT_TRUE(rule(alice.id, "net.rx").enabled); // a value turns a kind that was off by default on
	EXPECT_EQ(rule(alice.id, "net.rx").for_s, 30);
	say(alice, me, "/threshold load 2.5 warning");
	EXPECT_EQ(rule(alice.id, "load.per_core").threshold, 2.5);
	say(alice, me, "/threshold TEMP 80°C");
	EXPECT_EQ(rule(alice.id, "temp").threshold, 80);
	r = say(alice, me, "/threshold offline 10m");
	EXPECT_EQ(rule(alice.id, "offline").threshold, 10);
	EXPECT_TRUE(has(text(r), "after 10 min without a report")) << text(r);

	// off, on, default.
	say(alice, me, "/threshold web1 swap off");
	EXPECT_FALSE(rule(alice.id, "swap.percent", web).enabled);
	r = say(alice, me, "/threshold web1 swap on");
	EXPECT_TRUE(rule(alice.id, "swap.percent", web).enabled);
	r = say(alice, me, "/threshold ram on");
	EXPECT_TRUE(has(text(r), "already on")) << text(r);
	r = say(alice, me, "/threshold web1 cpu default");
	EXPECT_TRUE(has(text(r), "chat default")) << text(r);
	EXPECT_TRUE(has(text(r), "&gt; 95%")) << text(r); // what applies now: the chat's rule
	for (auto& x : rules(alice.id))
		EXPECT_FALSE(x.metric == "cpu.busy" && x.server_id) << "the server's cpu rule is still stored";
	r = say(alice, me, "/threshold web1 cpu default");
	EXPECT_TRUE(has(text(r), "has no own")) << text(r);
	say(alice, me, "/threshold web1 disk:/data default");
	for (auto& x : rules(alice.id))
		EXPECT_NE(x.device, "/data");

	// Writing a rule equal to the wider one stores it: it pins the value for this server when the
	// chat's default moves later.
	say(alice, me, "/threshold web1 ram 90");
	say(alice, me, "/threshold ram 80");
	EXPECT_EQ(rule(alice.id, "mem.percent", web).threshold, 90);
}

TEST_F(ThresholdBot, EveryRefusalSaysWhatIsAccepted) {
	const auto me = private_chat(alice);
	struct Case {
		std::string typed, expect;
	} cases[] = {
	    {"/threshold cpux 90",
	     "Kinds: cpu, ram, swap, disk, inodes, load, net_in, net_out, io, temp, offline"},
	    {"/threshold cpu:/x 90", "Only disk, inodes, net_in, net_out, io, temp take a device"},
	    {"/threshold disk: 90", "1 to 64 characters"},
	    {"/threshold cpu ninety", "a percentage"},
	    {"/threshold net_in 50 MB/s", "“50” is not a value for <b>Net in</b>: give a rate"},
	    {"/threshold net_in 50XB", "a rate"},
	    {"/threshold cpu 150", "takes 1% to 100%"},
	    {"/threshold load 0", "takes 0.1/core to 100/core"},
	    {"/threshold offline 0m", "takes 1 min to 7 d"},
	    {"/threshold cpu 90 5", "“5” is not a duration"},
	    {"/threshold cpu 90 25h", "up to 24 h"},
	    {"/threshold offline 10m 5m", "takes only a time and a severity"},
	    {"/threshold offline 10m clear 5", "takes only a time and a severity"},
	    {"/threshold cpu 90 clear", "needs a value"},
	    {"/threshold cpu 80 clear 85", "clear level 85 is above the threshold 80"},
	    {"/threshold cpu 80 clear x", "a percentage"},
	    {"/threshold cpu 80 5m 10m", "“10m” is not understood"},
	    {"/threshold cpu 80 warning critical", "“critical” is not understood"},
	    {"/threshold cpu off now", "“now” is not understood"},
	    {"/threshold cpu 90 <b>", "“&lt;b&gt;” is not understood"},
	};
	for (const auto& c : cases) {
		auto r = say(alice, me, c.typed);
		ASSERT_EQ(r.size(), 1u) << c.typed;
		EXPECT_TRUE(has(r[0].text, c.expect)) << c.typed << "\n" << r[0].text;
	}
	EXPECT_TRUE(rules(alice.id).empty()) << "a refused form stored something";
}

TEST_F(ThresholdBot, OverviewsShowWhereEachRuleComesFrom) {
	const auto me = private_chat(alice);
	say(alice, me, "/threshold cpu 95");
	say(alice, me, "/threshold web1 disk 80");
	say(alice, me, "/threshold web1 disk:/data 95");
	say(alice, me, "/threshold net_out off");

	auto chat = say(alice, me, "/threshold");
	ASSERT_EQ(chat.size(), 1u);
	std::string t = chat[0].text;
	EXPECT_TRUE(has(t, "● <b>CPU</b> &gt; 95% for 10 min · clears &lt; 85%")) << t;
	EXPECT_TRUE(has(t, "○ <b>RAM</b> &gt; 90% for 5 min · clears &lt; 85%")) << t;
	EXPECT_TRUE(has(t, "○ <b>Net in</b> off")) << t;
	EXPECT_TRUE(has(t, "● <b>Net out</b> off")) << t;
	EXPECT_TRUE(has(t, "○ <b>Offline</b> after 3 min without a report · critical")) << t;
	EXPECT_TRUE(has(t, "○ <b>Load</b> &gt; 2/core for 15 min · clears &lt; 1.5/core")) << t;
	EXPECT_FALSE(has(t, "/data")) << "a server's device rule in the chat's defaults";
	EXPECT_EQ(button(chat[0], "CPU"), "th:c:cpu");
	EXPECT_EQ(button(chat[0], "Per server"), "th:p");

	auto server = say(alice, me, "/threshold web1");
	t = text(server);
	EXPECT_TRUE(has(t, "<b>Alert thresholds</b> · web1")) << t;
	EXPECT_TRUE(has(t, "● <b>CPU</b> &gt; 95%")) << t;
	EXPECT_TRUE(has(t, "◆ <b>Disk</b> &gt; 80%")) << t;
	EXPECT_TRUE(has(t, "↳ ◆ /data &gt; 95%")) << t;
	EXPECT_LT(t.find("<b>Disk</b>"), t.find("/data"));
	EXPECT_LT(t.find("/data"), t.find("<b>Inodes</b>")) << "the device line sits under its kind";
	EXPECT_EQ(button(shown(server), "CPU"), fmt::format("th:{}:cpu", web));

	// The kind's editor lists the device rules, which are set by typing.
	auto disk = press(alice, me, fmt::format("th:{}:disk", web));
	EXPECT_TRUE(has(text(disk), "\n↳ ◆ /data &gt; 95%")) << text(disk);
	EXPECT_TRUE(has(text(disk), "/threshold web1 disk:NAME 95")) << text(disk);
	EXPECT_FALSE(has(text(press(alice, me, "th:c:cpu")), "NAME")) << "cpu has no devices";

	// A device alone reads as one line.
	auto dev = say(alice, me, "/threshold web1 disk:/data");
	EXPECT_TRUE(has(text(dev), "◆ <b>web1</b>: <b>Disk /data</b> &gt; 95%")) << text(dev);

	// The picker reuses server_pick: buttons th:<id>, which open the server's overview in place.
	auto pick = press(alice, me, "th:p");
	EXPECT_EQ(button(shown(pick), "web1"), fmt::format("th:{}", web));
	auto opened = press(alice, me, fmt::format("th:{}", web));
	EXPECT_EQ(shown(opened).kind, Reply::Kind::edit_text);
	EXPECT_TRUE(has(shown(opened).text, "· web1")) << transcript(opened);
}

TEST_F(ThresholdBot, EditorButtonsWriteTheStoreAndEditInPlace) {
	const auto me = private_chat(alice);
	std::string editor = fmt::format("th:{}:cpu", web);
	auto r = press(alice, me, editor);
	ASSERT_FALSE(r.empty());
	const Reply e = shown(r);
	EXPECT_EQ(e.kind, Reply::Kind::edit_text);
	EXPECT_EQ(e.message_id, 4242);
	EXPECT_TRUE(has(e.text, "Now: &gt; 90% for 10 min · clears &lt; 80%")) << e.text;
	EXPECT_TRUE(has(e.text, "built-in default")) << e.text;
	EXPECT_EQ(button(e, "• 90%"), editor + ":t2");
	EXPECT_EQ(button(e, "• 10 min"), editor + ":d10");
	EXPECT_EQ(button(e, "Reset"), "") << "no own rule, nothing to reset";
	EXPECT_EQ(button(e, "Back"), fmt::format("th:{}", web));

	r = press(alice, me, editor + ":t3");
	EXPECT_EQ(r.front().kind, Reply::Kind::answer_callback);
	EXPECT_EQ(r.front().text, "Saved");
	EXPECT_EQ(shown(r).kind, Reply::Kind::edit_text);
	EXPECT_TRUE(has(text(r), "Now: &gt; 95% for 10 min · clears &lt; 85%")) << text(r);
	EXPECT_TRUE(has(text(r), "set for this server")) << text(r);
	EXPECT_TRUE(has(text(r), "Reset to default gives: &gt; 90%")) << text(r);
	EXPECT_EQ(rule(alice.id, "cpu.busy", web).threshold, 95);

	press(alice, me, editor + ":d15");
	EXPECT_EQ(rule(alice.id, "cpu.busy", web).for_s, 900);
	press(alice, me, editor + ":sev");
	EXPECT_EQ(rule(alice.id, "cpu.busy", web).severity, "critical");
	r = press(alice, me, editor + ":off");
	EXPECT_FALSE(rule(alice.id, "cpu.busy", web).enabled);
	EXPECT_TRUE(has(text(r), "Now: off")) << text(r);
	EXPECT_EQ(button(shown(r), "Turn on"), editor + ":on");
	press(alice, me, editor + ":on");
	EXPECT_TRUE(rule(alice.id, "cpu.busy", web).enabled);
	EXPECT_EQ(rule(alice.id, "cpu.busy", web).threshold, 95) << "on keeps what was set";

	r = press(alice, me, editor + ":rst");
	EXPECT_EQ(r.front().text, "Back to the default");
	EXPECT_TRUE(rules(alice.id).empty());
	EXPECT_TRUE(has(text(r), "Now: &gt; 90%")) << text(r);

	// The chat's editor, and offline's (minutes, no duration row).
	r = press(alice, me, "th:c:offline:t2");
	EXPECT_EQ(rule(alice.id, "offline").threshold, 10);
	EXPECT_EQ(button(shown(r), "• 10 min"), "th:c:offline:t2");
	EXPECT_EQ(button(shown(r), "30 min"), "th:c:offline:t4");
	// Data no editor sends: refused, nothing written.
	for (const char* forged :
	     {"th:c:cpu:t9", "th:c:cpu:d7", "th:c:offline:d5", "th:c:cpu:zap", "th:c:cpu:t-1"}) {
		r = press(alice, me, forged);
		EXPECT_EQ(r.size(), 1u) << forged;
		EXPECT_EQ(r[0].kind, Reply::Kind::answer_callback) << forged;
	}
	EXPECT_EQ(rules(alice.id).size(), 1u);
}

TEST_F(ThresholdBot, GroupMembersSeeOnlyAdminsChange) {
	std::string id = std::to_string(group_box);
	// Bob, a member: views work.
	auto view = say(bob, ops, "/threshold");
	EXPECT_TRUE(has(text(view), "Alert thresholds")) << text(view);
	view = say(bob, ops, "/threshold ops-db");
	EXPECT_TRUE(has(text(view), "ops-db")) << text(view);
	auto ed = press(bob, ops, "th:c:cpu");
	EXPECT_TRUE(has(text(ed), "Now:")) << transcript(ed);
	// Changes refused on every path, with the same words as /rename's.
	for (const std::string& typed :
	     std::vector<std::string>{"/threshold cpu 50", "/threshold ops-db cpu 50",
	                              "/threshold " + id + " cpu off", "/threshold ram default"}) {
		auto r = say(bob, ops, typed);
		ASSERT_EQ(r.size(), 1u) << typed;
		EXPECT_EQ(r[0].text, "Only this group's admins can do that.") << typed;
	}
	for (const std::string& data :
	     std::vector<std::string>{"th:c:cpu:t0", "th:" + id + ":cpu:t0", "th:" + id + ":cpu:rst"}) {
		auto r = press(bob, ops, data);
		ASSERT_EQ(r.size(), 1u) << data;
		EXPECT_EQ(r[0].kind, Reply::Kind::answer_callback);
		EXPECT_EQ(r[0].text, "Only this group's admins can do that.") << data;
	}
	EXPECT_TRUE(rules(ops.id).empty());
	// Alice, an admin, may; the rule belongs to the group.
	say(alice, ops, "/threshold cpu 50");
	press(alice, ops, "th:" + id + ":ram:t0");
	EXPECT_EQ(rule(ops.id, "cpu.busy").threshold, 50);
	EXPECT_EQ(rule(ops.id, "mem.percent", group_box).threshold, 80);
	// Telegram unreachable for the admin check: refused (the front layer's error), nothing stored.
	h.admins.unreachable = true;
	say(alice, ops, "/threshold swap 10");
	h.admins.unreachable = false;
	for (auto& r : rules(ops.id))
		EXPECT_NE(r.metric, "swap.percent");
}

TEST_F(ThresholdBot, AnotherChatsServerIsHiddenLikeAMissingOne) {
	const auto me = private_chat(alice);
	std::string id = std::to_string(bobs);
	std::string missing = say(alice, me, "/threshold 999999 cpu 90").at(0).text;
	EXPECT_EQ(missing, "That server is not in this chat. /list shows this chat's servers.");
	for (const std::string& typed : std::vector<std::string>{
	         "/threshold " + id, "/threshold " + id + " cpu 90", "/threshold bobs-box cpu off",
	         "/threshold bobs-box", "/threshold " + id + " disk:/ default"}) {
		auto r = say(alice, me, typed);
		ASSERT_EQ(r.size(), 1u) << typed;
		EXPECT_EQ(r[0].text, missing) << typed;
	}
	for (const std::string& data :
	     {"th:" + id, "th:" + id + ":cpu", "th:" + id + ":cpu:t0", "th:" + id + ":cpu:rst"}) {
		auto r = press(alice, me, data);
		ASSERT_EQ(r.size(), 1u) << data;
		EXPECT_EQ(r[0].text, missing) << data;
	}
	// From a group Alice administers too.
	EXPECT_EQ(text(say(alice, ops, "/threshold " + id + " cpu 90")), missing);
	EXPECT_TRUE(rules(bob.id).empty());
	EXPECT_TRUE(rules(alice.id).empty());
	EXPECT_TRUE(rules(ops.id).empty());
}

TEST_F(ThresholdBot, ChineseReadsNaturally) {
	const auto me = private_chat(li);
	h.say(li, me, "/add 主机");
	auto r = say(li, me, "/threshold cpu 85 5m");
	EXPECT_TRUE(has(text(r), "本聊天：<b>CPU</b> &gt; 85% 持续 5 分钟 · 低于 75% 恢复")) << text(r);
	r = say(li, me, "/threshold");
	EXPECT_TRUE(has(text(r), "<b>告警阈值</b> · 本聊天")) << text(r);
	EXPECT_TRUE(has(text(r), "○ <b>离线</b> 3 分钟无上报 · 严重")) << text(r);
	EXPECT_EQ(button(shown(r), "按服务器"), "th:p");
	r = press(li, me, "th:c:cpu");
	EXPECT_TRUE(has(text(r), "当前：&gt; 85%")) << text(r);
	EXPECT_NE(button(shown(r), "级别：警告"), "");
	r = say(li, me, "/threshold cpu 200");
	EXPECT_TRUE(has(text(r), "范围是 1% 到 100%")) << text(r);
}

TEST_F(ThresholdBot, AFleetAdminSeesAnotherChatsRulesButChangesNothing) {
	auto carol = tg_user(4004, "Carol");
	h.settings.admins = {carol.id}; // the admin role allows servers.all
	h.start();
	h.say(carol, private_chat(carol), "/start");
	say(bob, private_chat(bob), "/threshold bobs-box cpu 70");
	std::string id = std::to_string(bobs);
	auto r = say(carol, private_chat(carol), "/threshold " + id);
	EXPECT_TRUE(has(text(r), "· bobs-box")) << text(r);
	EXPECT_TRUE(has(text(r), "◆ <b>CPU</b> &gt; 70%")) << "Bob's rules, read from Bob's chat\n" << text(r);
	r = press(carol, private_chat(carol), "th:" + id + ":cpu");
	EXPECT_TRUE(has(text(r), "Now: &gt; 70%")) << text(r);
	std::string missing = "That server is not in this chat. /list shows this chat's servers.";
	EXPECT_EQ(text(say(carol, private_chat(carol), "/threshold " + id + " cpu 99")), missing);
	r = press(carol, private_chat(carol), "th:" + id + ":cpu:t3");
	ASSERT_EQ(r.size(), 1u);
	EXPECT_EQ(r[0].text, missing);
	EXPECT_EQ(rule(bob.id, "cpu.busy", bobs).threshold, 70);
	EXPECT_TRUE(rules(carol.id).empty());
}

// An alert engine in the same process is told at once: after each write, typed or pressed, and
// never for a look or a refusal.
TEST_F(ThresholdBot, WritesTellTheAlertEngine) {
	int calls = 0;
	h.settings.rules_changed = [&] { ++calls; };
	h.start();
	const auto me = private_chat(alice);
	say(alice, me, "/threshold");
	say(alice, me, "/threshold cpu 500");
	EXPECT_EQ(calls, 0);
	say(alice, me, "/threshold cpu 95");
	EXPECT_EQ(calls, 1);
	say(alice, me, "/threshold web1 swap off");
	EXPECT_EQ(calls, 2);
	press(alice, me, "th:c:cpu:t1");
	EXPECT_EQ(calls, 3);
	press(alice, me, "th:c:cpu:rst");
	EXPECT_EQ(calls, 4);
}
