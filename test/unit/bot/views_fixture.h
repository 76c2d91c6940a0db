// The /stat views' test data: the protocol's example batch (test/fixtures/protocol) decoded by
// core's decoder into the server record and latest report the store would hand back, plus a
// checker for the Telegram HTML the views produce.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "serversan/core/report_decode.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/bot/views/stat_data.h"
#include "serversan/server/bot/views/view_context.h"

namespace serversan::bot::testing {

inline ReportBatch example_batch() {
	std::ifstream in(std::string(SERVERSAN_FIXTURES) + "/protocol/report-batch-example.json");
	std::stringstream ss;
	ss << in.rdbuf();
	auto batch = decode_batch(ss.str());
	EXPECT_TRUE(batch.ok()) << (batch.ok() ? "" : batch.error().message);
	return batch.ok() ? *batch : ReportBatch{};
}

// web-01 as the store returns it 20 s after its second report: host facts from the first report,
// values and slow sections from the second.
inline views::ServerStatus example_server(uint64_t id = 7, std::string name = "web-01") {
	ReportBatch b = example_batch();
	views::ServerStatus s;
	s.server.id = id;
	s.server.owner_chat = 42;
	s.server.name = std::move(name);
	s.server.created_ms = b.reports.front().time_ms - 86'400'000;
	s.server.host = b.reports.front().host;
	s.server.last_seen_ms = b.reports.back().time_ms;
	store::LatestReport latest;
	latest.report = b.reports.back();
	latest.snapshot_ms = latest.report.time_ms;
	latest.top_cpu_ms = latest.top_memory_ms = latest.tcp_states_ms = latest.report.time_ms - 90'000;
	s.latest = latest;
	return s;
}

inline views::ViewContext context(Lang lang, std::string zone = "UTC") {
	return {lang, std::move(zone), example_batch().reports.back().time_ms + 20'000};
}

// Our views use only <b>, <i> and <code>, balanced and not nested in code, and only the entities
// escape_html writes: anything else is text from an agent that escaped our escaping.
inline ::testing::AssertionResult well_formed_html(const std::string& html) {
	std::vector<std::string> open;
	for (size_t i = 0; i < html.size(); ++i) {
		if (html[i] == '&') {
			bool known = false;
			for (std::string_view e : {"&amp;", "&lt;", "&gt;", "&quot;"})
				known = known || std::string_view(html).substr(i, e.size()) == e;
			if (!known)
				return ::testing::AssertionFailure() << "bare & at " << i;
		} else if (html[i] == '>') {
			return ::testing::AssertionFailure() << "bare > at " << i;
		} else if (html[i] == '<') {
			size_t end = html.find('>', i);
			if (end == std::string::npos)
				return ::testing::AssertionFailure() << "unclosed < at " << i;
			std::string tag = html.substr(i + 1, end - i - 1);
			if (tag == "b" || tag == "i" || tag == "code") {
				open.push_back(tag);
			} else if (tag.size() > 1 && tag[0] == '/' && !open.empty() && open.back() == tag.substr(1)) {
				open.pop_back();
			} else {
				return ::testing::AssertionFailure() << "unexpected tag <" << tag << "> at " << i;
			}
			i = end;
		}
	}
	if (!open.empty())
		return ::testing::AssertionFailure() << "<" << open.back() << "> left open";
	return ::testing::AssertionSuccess();
}

} // namespace serversan::bot::testing
