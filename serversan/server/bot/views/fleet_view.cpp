#include "serversan/server/bot/views/fleet_view.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "serversan/server/bot/html.h"
#include "serversan/server/bot/views/agent_text.h"
#include "serversan/server/bot/views/report_summary.h"
#include "serversan/server/bot/views/server_state.h"
#include "serversan/server/bot/views/stat_callback.h"
#include "serversan/server/bot/views/table_text.h"
#include "serversan/server/bot/views/time_format.h"
#include "serversan/server/bot/views/units.h"

namespace serversan::bot::views {

namespace {

constexpr size_t kButtonChars = 18;
constexpr size_t kButtonsPerRow = 2;
// Columns of the metrics line: four of 4 characters, two of 5, one space between.
constexpr size_t kColumnWidths[] = {4, 4, 4, 4, 5, 5};

struct Row {
	const ServerStatus* status;
	ServerState state;
	ReportSummary summary;
	bool hot = false;
	int group() const {
		switch (state) {
		case ServerState::offline:
			return 0;
		case ServerState::online:
			return hot ? 1 : 2;
		case ServerState::never:
			break;
		}
		return 3;
	}
};

std::string whole_percent(const std::optional<double>& p) {
	if (!p)
		return "-";
	return fmt::format("{:.0f}%", std::clamp(*p, 0.0, 100.0));
}

std::string metrics_line(const ReportSummary& s) {
	std::string cells[] = {
	    whole_percent(s.cpu_percent),
	    whole_percent(s.ram_percent),
	    whole_percent(s.disk_percent),
	    s.load1 ? format_load(*s.load1) : "-",
	    s.rx_per_s ? format_bytes_compact(*s.rx_per_s) : "-",
	    s.tx_per_s ? format_bytes_compact(*s.tx_per_s) : "-",
	};
	return escape_html(aligned_row(cells, kColumnWidths));
}

std::string header_line(Lang lang) {
	std::string cells[] = {
	    std::string(tr(lang, "status.col.cpu")),  std::string(tr(lang, "status.col.ram")),
	    std::string(tr(lang, "status.col.disk")), std::string(tr(lang, "status.col.load")),
	    std::string(tr(lang, "status.col.rx")),   std::string(tr(lang, "status.col.tx")),
	};
	return "<code>" + escape_html(aligned_row(cells, kColumnWidths)) + "</code>";
}

std::string block(const ViewContext& ctx, const Row& row) {
	const store::ServerRecord& srv = row.status->server;
	std::string_view icon = row.hot ? "🟠" : state_icon(row.state);
	std::string out = fmt::format("{} <b>{}</b>", icon, agent_text(srv.name));
	switch (row.state) {
	case ServerState::never:
		return out + " · " + std::string(tr(ctx.lang, "status.never_reported"));
	case ServerState::offline:
		return out + " · " +
		       tr(ctx.lang, "status.offline_for",
		          {{"time", format_duration(ctx.lang, (ctx.now_ms - *srv.last_seen_ms) / 1000)}});
	case ServerState::online:
		break;
	}
	return out + "\n<code>" + metrics_line(row.summary) + "</code>";
}

telegram::InlineButton button(const Row& row) {
	std::string_view icon = row.hot ? "🟠" : state_icon(row.state);
	return {std::string(icon) + " " + agent_plain_text(row.status->server.name, kButtonChars),
	        stat_callback_data(row.status->server.id), ""};
}

std::string title(const ViewContext& ctx, const std::vector<Row>& rows, size_t page, size_t pages) {
	size_t online = 0, offline = 0, never = 0;
	for (const Row& r : rows)
		(r.state == ServerState::online ? online : r.state == ServerState::offline ? offline : never)++;
	std::string t = tr(ctx.lang, "status.fleet_title",
	                   {{"online", format_count(online)}, {"total", format_count(rows.size())}});
	if (offline > 0)
		t += " · " + tr(ctx.lang, "status.fleet_offline", {{"n", format_count(offline)}});
	if (never > 0)
		t += " · " + tr(ctx.lang, "status.fleet_never", {{"n", format_count(never)}});
	if (pages > 1)
		t += fmt::format(" · {}/{}", page + 1, pages);
	return t;
}

} // namespace

std::vector<FleetMessage> fleet_view(const ViewContext& ctx, const std::vector<ServerStatus>& servers) {
	if (servers.empty())
		return {{std::string(tr(ctx.lang, "status.no_servers")), {}}};
	std::vector<Row> rows;
	rows.reserve(servers.size());
	for (const ServerStatus& s : servers) {
		Row r{&s,
		      server_state(s.server.last_seen_ms,
		                   s.latest ? s.latest->report.interval_s : std::optional<double>{}, ctx.now_ms),
		      {}};
		if (s.latest) {
			r.summary = summarize(s.latest->report);
			r.hot = r.state == ServerState::online && is_hot(r.summary);
		}
		rows.push_back(r);
	}
	std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
		if (a.group() != b.group())
			return a.group() < b.group();
		return name_key(a.status->server.name) < name_key(b.status->server.name);
	});

	// Pack blocks into pages by count and by length (the title and header are under 200 units).
	std::vector<std::pair<size_t, size_t>> pages; // [begin, end) of rows
	std::vector<std::string> blocks;
	blocks.reserve(rows.size());
	for (const Row& r : rows)
		blocks.push_back(block(ctx, r));
	const size_t budget = kMaxMessageUnits - 200;
	size_t begin = 0, units = 0;
	for (size_t i = 0; i < rows.size(); ++i) {
		size_t u = html_text_length(blocks[i]) + 1;
		if (i > begin && (i - begin == kFleetServersPerMessage || units + u > budget)) {
			pages.emplace_back(begin, i);
			begin = i, units = 0;
		}
		units += u;
	}
	pages.emplace_back(begin, rows.size());

	std::vector<FleetMessage> out;
	std::string header = header_line(ctx.lang);
	for (size_t p = 0; p < pages.size(); ++p) {
		auto [b, e] = pages[p];
		FleetMessage m;
		m.text = "<b>" + title(ctx, rows, p, pages.size()) + "</b>\n" + header;
		for (size_t i = b; i < e; ++i) {
			m.text += "\n" + blocks[i];
			if ((i - b) % kButtonsPerRow == 0)
				m.keyboard.emplace_back();
			m.keyboard.back().push_back(button(rows[i]));
		}
		// A safety net: the packing above keeps each page well under the limit.
		auto pieces = split_html(m.text);
		for (size_t k = 0; k + 1 < pieces.size(); ++k)
			out.push_back({std::move(pieces[k]), {}});
		m.text = std::move(pieces.back());
		out.push_back(std::move(m));
	}
	return out;
}

} // namespace serversan::bot::views
