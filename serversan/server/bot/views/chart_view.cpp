#include "serversan/server/bot/views/chart_view.h"

#include <algorithm>

#include <fmt/format.h>

#include "serversan/server/bot/html.h"
#include "serversan/server/bot/views/agent_text.h"

namespace serversan::bot::views {

namespace {

// (fmt rather than operator+ on a literal: GCC 12's -Wrestrict misfires on the latter.)
std::string kind_key(charts::ChartKind k) {
	return fmt::format("charts.kind.{}", charts::chart_kind_name(k));
}

std::string range_key(charts::ChartRange r) {
	return fmt::format("charts.range.{}", charts::chart_range_name(r));
}

// "• CPU" for the current choice: the button says where you are.
std::string marked(bool current, std::string_view label) {
	return current ? fmt::format("• {}", label) : std::string(label);
}

} // namespace

charts::Words chart_words(Lang lang) {
	charts::Words words;
	for (const auto& [key, english] : charts::english_words())
		words[key] = std::string(tr(lang, "charts.word." + key));
	return words;
}

std::string chart_caption(Lang lang, const std::string& server_name, const ChartView& v,
                          const charts::Chart& c, const std::string& device) {
	std::string chart(tr(lang, kind_key(v.kind)));
	if (!device.empty())
		chart = fmt::format("{} {}", chart, agent_text(device, kLabelChars));
	std::string out =
	    tr(lang, "charts.caption_head",
	       {{"server", escape_html(server_name)}, {"chart", chart}, {"range", tr(lang, range_key(v.range))}});
	if (c.empty)
		return fmt::format("{}\n{}", out, tr(lang, "charts.no_data"));
	for (const charts::LayerStats& s : c.stats) {
		out += '\n';
		out += tr(lang, "charts.stat",
		          {{"label", escape_html(s.label)}, {"min", s.min}, {"avg", s.avg}, {"max", s.max}});
	}
	return out;
}

telegram::InlineKeyboard chart_keyboard(Lang lang, const ChartView& v,
                                        const std::vector<std::string>& devices) {
	telegram::InlineKeyboard kb(3);
	for (charts::ChartKind k : charts::kChartKinds) {
		ChartView to = v;
		to.kind = k;
		to.device = 0;
		auto& row = kb[kb[0].size() < 4 ? 0 : 1];
		row.push_back({marked(k == v.kind, std::string(tr(lang, kind_key(k)))), chart_view_data(to), ""});
	}
	for (charts::ChartRange r : charts::kChartRanges) {
		ChartView to = v;
		to.range = r;
		kb[2].push_back({marked(r == v.range, std::string(tr(lang, range_key(r)))), chart_view_data(to), ""});
	}
	if (devices.size() > 1) {
		// "All" and one button per device, four to a row; a kind switch starts at "All" again.
		for (size_t i = 0; i <= std::min(devices.size(), kDeviceButtons); ++i) {
			if (i % 4 == 0)
				kb.emplace_back();
			ChartView to = v;
			to.device = static_cast<uint32_t>(i);
			std::string label =
			    i == 0 ? std::string(tr(lang, "charts.all_devices")) : agent_plain_text(devices[i - 1], 14);
			kb.back().push_back({marked(v.device == i, label), chart_view_data(to), ""});
		}
	}
	ChartView flip = v;
	flip.theme = v.theme == charts::Theme::dark ? charts::Theme::light : charts::Theme::dark;
	kb.push_back({{std::string(tr(lang, v.theme == charts::Theme::dark ? "charts.light" : "charts.dark")),
	               chart_view_data(flip), ""}});
	return kb;
}

} // namespace serversan::bot::views
