// /prometheus: valid text exposition format, checked line by line with a small parser; node_exporter
// names and units; label values escaped; offline servers give only serversan_up 0.
#include <regex>
#include <set>

#include "serversan/server/web/prometheus_text.h"
#include "test/unit/web/api_fixture.h"

using namespace serversan;
using namespace serversan::web;
using namespace serversan::web::testing;

namespace {

struct Sample {
	std::string name;
	std::map<std::string, std::string> labels;
	double value = 0;
};

// Parses the exposition text strictly: every line a HELP, a TYPE or a sample; a family's TYPE
// before its samples, once; its samples together. Fails the test on anything else.
std::vector<Sample> parse_exposition(const std::string& text) {
	static const std::regex help(R"(# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) .+)");
	static const std::regex type(R"(# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (gauge|counter))");
	static const std::regex sample(R"(([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+))");
	static const std::regex label(R"(([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\\\|\\"|\\n)*)\"(,|$))");
	std::vector<Sample> out;
	std::set<std::string> typed, finished;
	std::string current;
	EXPECT_TRUE(text.empty() || text.back() == '\n');
	size_t start = 0;
	while (start < text.size()) {
		size_t end = text.find('\n', start);
		std::string line = text.substr(start, end - start);
		start = end + 1;
		std::smatch m;
		if (std::regex_match(line, m, help))
			continue;
		if (std::regex_match(line, m, type)) {
			EXPECT_TRUE(typed.insert(m[1]).second) << "TYPE twice: " << line;
			if (!current.empty())
				finished.insert(current);
			current = m[1];
			continue;
		}
		if (!std::regex_match(line, m, sample)) {
			ADD_FAILURE() << "not a valid line: " << line;
			continue;
		}
		Sample s;
		s.name = m[1];
		EXPECT_EQ(s.name, current) << "sample outside its family: " << line;
		EXPECT_FALSE(finished.contains(s.name)) << line;
		std::string labels = m[2];
		for (std::sregex_iterator it(labels.begin(), labels.end(), label), e; it != e; ++it) {
			std::string v = (*it)[2], plain;
			for (size_t i = 0; i < v.size(); ++i)
				if (v[i] == '\\' && i + 1 < v.size()) {
					plain += v[i + 1] == 'n' ? '\n' : v[i + 1];
					++i;
				} else {
					plain += v[i];
				}
			s.labels[(*it)[1]] = plain;
		}
		size_t used = 0;
		s.value = std::stod(std::string(m[3]), &used);
		EXPECT_EQ(used, std::string(m[3]).size()) << line;
		out.push_back(std::move(s));
	}
	return out;
}

const Sample* find(const std::vector<Sample>& all, const std::string& name,
                   const std::map<std::string, std::string>& labels) {
	for (const Sample& s : all)
		if (s.name == name && std::all_of(labels.begin(), labels.end(), [&](const auto& kv) {
			    auto it = s.labels.find(kv.first);
			    return it != s.labels.end() && it->second == kv.second;
		    }))
			return &s;
	return nullptr;
}

using ApiPrometheus = ApiTest;

TEST(PrometheusText, EscapesLabelValues) {
	EXPECT_EQ(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

TEST_F(ApiPrometheus, TheUsersFleetInExpositionFormat) {
	ASSERT_TRUE(store->rename_server(a_db, "db \"primary\"\\1").ok());
	Report r = serversan::testing::sample_report(0, 0);
	r.memory.available = 20ull << 30;
	r.load.load5 = 0.5;
	HostFacts h;
	h.boot_time = 1'700'000'000;
	r.host = h;
	r.filesystems[0].free = 150ull << 30;
	r.filesystems[0].inodes_total = 1000;
	r.filesystems[0].inodes_used = 250;
	NetInterface eth;
	eth.name = "eth0";
	eth.rx_bytes_per_s = 1234.5;
	eth.rx_bytes_total = 99'000'000;
	r.interfaces.push_back(eth);
	report(a_web, r);
	report(a_db);
	clock.advance(std::chrono::seconds(10));

	Answer a = call("GET", "/api/v1/prometheus");
	ASSERT_EQ(a.status, 200);
	EXPECT_EQ(a.raw.content_type, "text/plain; version=0.0.4; charset=utf-8");
	auto samples = parse_exposition(a.raw.body);
	ASSERT_FALSE(::testing::Test::HasFailure()) << a.raw.body;

	auto value = [&](const std::string& name, std::map<std::string, std::string> labels) {
		const Sample* s = find(samples, name, labels);
		EXPECT_NE(s, nullptr) << name << "\n" << a.raw.body;
		return s ? s->value : -1;
	};
	EXPECT_EQ(value("serversan_up", {{"server", "a-web"}}), 1);
	EXPECT_EQ(value("serversan_last_seen_timestamp_seconds", {{"server", "a-web"}}),
	          (now() - 10'000) / 1000.0);
	EXPECT_DOUBLE_EQ(value("serversan_cpu_busy_ratio", {{"server", "a-web"}}), 0.16);
	EXPECT_EQ(value("node_load1", {{"server", "a-web"}}), 0.42);
	EXPECT_EQ(value("node_memory_MemTotal_bytes", {{"server", "a-web"}}), 24.0 * (1ull << 30));
	EXPECT_EQ(value("node_memory_MemAvailable_bytes", {{"server", "a-web"}}), 20.0 * (1ull << 30));
	EXPECT_EQ(value("node_boot_time_seconds", {{"server", "a-web"}}), 1'700'000'000);
	EXPECT_EQ(value("node_filesystem_size_bytes", {{"server", "a-web"}, {"mount", "/"}}),
	          250.0 * (1ull << 30));
	EXPECT_EQ(value("node_filesystem_avail_bytes", {{"server", "a-web"}, {"mount", "/"}}),
	          150.0 * (1ull << 30));
	EXPECT_EQ(value("node_filesystem_files", {{"server", "a-web"}, {"mount", "/"}}), 1000);
	EXPECT_EQ(value("node_filesystem_files_free", {{"server", "a-web"}, {"mount", "/"}}), 750);
	EXPECT_EQ(value("serversan_network_receive_bytes_per_second", {{"server", "a-web"}, {"iface", "eth0"}}),
	          1234.5);
	EXPECT_EQ(value("node_network_receive_bytes_total", {{"server", "a-web"}, {"iface", "eth0"}}),
	          99'000'000);
	// The escaped name reads back as it was.
	EXPECT_EQ(value("serversan_up", {{"server", "db \"primary\"\\1"}}), 1);
	// Only the user's servers.
	EXPECT_EQ(a.raw.body.find("b-secret"), std::string::npos);
	EXPECT_EQ(a.raw.body.find("console-box"), std::string::npos);

	clock.advance(std::chrono::minutes(10)); // offline: up 0 and nothing stale
	auto later = parse_exposition(call("GET", "/api/v1/prometheus").raw.body);
	EXPECT_EQ(find(later, "serversan_up", {{"server", "a-web"}})->value, 0);
	EXPECT_EQ(find(later, "node_load1", {{"server", "a-web"}}), nullptr);
	EXPECT_NE(find(later, "serversan_last_seen_timestamp_seconds", {{"server", "a-web"}}), nullptr);
}

} // namespace
