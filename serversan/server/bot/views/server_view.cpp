#include "serversan/server/bot/views/server_view.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "serversan/server/bot/html.h"
#include "serversan/server/bot/views/agent_text.h"
#include "serversan/server/bot/views/chart_callback.h"
#include "serversan/server/bot/views/process_lines.h"
#include "serversan/server/bot/views/report_summary.h"
#include "serversan/server/bot/views/server_state.h"
#include "serversan/server/bot/views/stat_callback.h"
#include "serversan/server/bot/views/time_format.h"
#include "serversan/server/bot/views/units.h"

namespace serversan::bot::views {

namespace {

// Collects lines; sections are separated by one empty line. A section's heading is written with
// its first line, so a section the agent sent nothing for leaves no empty heading behind.
struct Text {
	std::string out, pending;
	void line(std::string_view l) {
		if (!pending.empty()) {
			out += "\n\n" + pending;
			pending.clear();
		}
		if (!out.empty())
			out += '\n';
		out += l;
	}
	void section(std::string head) { pending = std::move(head); }
	// A heading that carries values itself: written even if no line follows.
	void heading(std::string_view head) {
		pending.clear();
		out += "\n\n";
		out += head;
	}
};

std::string pct(const std::optional<double>& p) {
	return p ? format_percent(*p) : "-";
}

template <typename T>
std::string bytes(const std::optional<T>& v) {
	return v ? format_bytes(static_cast<double>(*v)) : "-";
}

std::string more(Lang lang, size_t shown, size_t total) {
	return tr(lang, "status.more", {{"n", format_count(total - shown)}});
}

void identity(Text& t, const ViewContext& ctx, const ServerStatus& s, const Report& r) {
	const HostFacts* host = s.server.host ? &*s.server.host : r.host ? &*r.host : nullptr;
	if (host) {
		std::string os = agent_text(host->os_name + (host->os_version.empty() ? "" : " " + host->os_version));
		for (const std::string* extra : {&host->arch, &host->virtualization})
			if (!extra->empty() && *extra != "none")
				os += " · " + agent_text(*extra, kLabelChars);
		t.line(os);
		if (!host->kernel.empty())
			t.line(tr(ctx.lang, "status.kernel", {{"kernel", agent_text(host->kernel)}}));
	}
	std::string where = host && !host->hostname.empty() ? agent_text(host->hostname) : "";
	std::set<std::string> seen;
	for (const NetInterface& n : r.interfaces) {
		if (!counts_as_host_traffic(n.name))
			continue;
		for (const std::string* ip : {&n.ipv4, &n.ipv6})
			if (!ip->empty() && seen.size() < kMaxAddresses && seen.insert(*ip).second)
				where += (where.empty() ? "" : " · ") + agent_text(*ip, 40);
	}
	if (!where.empty())
		t.line(tr(ctx.lang, "status.host", {{"host", where}}));
	std::string up;
	if (r.uptime_s)
		up = tr(ctx.lang, "status.uptime",
		        {{"time", format_duration(ctx.lang, static_cast<int64_t>(*r.uptime_s))}});
	if (s.server.last_seen_ms) {
		std::string seen_text = tr(ctx.lang, "status.last_report",
		                           {{"ago", format_ago(ctx.lang, *s.server.last_seen_ms, ctx.now_ms)}});
		up += (up.empty() ? "" : " · ") + seen_text;
	}
	if (!up.empty())
		t.line(up);
}

void cpu(Text& t, const ViewContext& ctx, const ServerStatus& s, const Report& r) {
	const HostFacts* host = s.server.host ? &*s.server.host : r.host ? &*r.host : nullptr;
	size_t cores = host && host->cpu_logical ? *host->cpu_logical : r.cpu.cores.size();
	std::string busy = pct(cpu_busy(r.cpu.total));
	t.heading(cores > 0 ? tr(ctx.lang, "status.cpu_head", {{"busy", busy}, {"cores", std::to_string(cores)}})
	                    : tr(ctx.lang, "status.cpu_head_busy", {{"busy", busy}}));
	if (host && !host->cpu_model.empty())
		t.line(agent_text(host->cpu_model, 48));
	const CpuTimes& c = r.cpu.total;
	if (c.user || c.system)
		t.line(tr(ctx.lang, "status.cpu_shares",
		          {{"user", pct(c.user)},
		           {"system", pct(c.system)},
		           {"iowait", pct(c.iowait)},
		           {"steal", pct(c.steal)}}));
	if (r.load.load1) {
		auto l = [](const std::optional<double>& v) { return v ? format_load(*v) : "-"; };
		unsigned n =
		    host && host->cpu_logical ? *host->cpu_logical : static_cast<unsigned>(r.cpu.cores.size());
		std::string per_core = n > 0 ? format_load(*r.load.load1 / n) : "-";
		t.line(tr(ctx.lang, "status.load",
		          {{"l1", l(r.load.load1)},
		           {"l5", l(r.load.load5)},
		           {"l15", l(r.load.load15)},
		           {"per_core", per_core}}));
	}
}

void memory(Text& t, const ViewContext& ctx, const Report& r) {
	const Memory& m = r.memory;
	if (!m.total && !m.swap_total)
		return;
	t.section(std::string(tr(ctx.lang, "status.memory_head")));
	auto share = [](const std::optional<uint64_t>& used, const std::optional<uint64_t>& total) {
		return used && total ? format_percent(percent_of(*used, *total)) : "-";
	};
	if (m.total)
		t.line(tr(ctx.lang, "status.ram",
		          {{"used", bytes(m.used)}, {"total", bytes(m.total)}, {"percent", share(m.used, m.total)}}));
	if (m.swap_total && *m.swap_total > 0)
		t.line(tr(ctx.lang, "status.swap",
		          {{"used", bytes(m.swap_used)},
		           {"total", bytes(m.swap_total)},
		           {"percent", share(m.swap_used, m.swap_total)}}));
	else if (m.swap_total)
		t.line(tr(ctx.lang, "status.no_swap"));
}

void filesystems(Text& t, const ViewContext& ctx, const Report& r) {
	if (r.filesystems.empty())
		return;
	t.section(std::string(tr(ctx.lang, "status.disks_head")));
	std::vector<const Filesystem*> fs;
	for (const Filesystem& f : r.filesystems)
		fs.push_back(&f);
	// Fullest first, so a cap never hides the one about to fill up.
	auto use = [](const Filesystem* f) {
		return f->total && f->used ? percent_of(*f->used, *f->total) : -1.0;
	};
	std::stable_sort(fs.begin(), fs.end(), [&](auto* a, auto* b) { return use(a) > use(b); });
	for (size_t i = 0; i < fs.size() && i < kMaxFilesystems; ++i) {
		const Filesystem& f = *fs[i];
		std::string l = tr(ctx.lang, "status.fs",
		                   {{"mount", agent_text(f.mount, kLabelChars)},
		                    {"percent", use(&f) < 0 ? "-" : format_percent(use(&f))},
		                    {"free", bytes(f.free)}});
		if (f.inodes_total && f.inodes_used && *f.inodes_total > 0)
			l += tr(ctx.lang, "status.fs_inodes",
			        {{"percent", format_percent(percent_of(*f.inodes_used, *f.inodes_total))}});
		t.line(l);
	}
	if (fs.size() > kMaxFilesystems)
		t.line(more(ctx.lang, kMaxFilesystems, fs.size()));
}

void network(Text& t, const ViewContext& ctx, const Report& r) {
	// An interface that never carried a byte (an unused ifb or dummy device) is only noise.
	auto idle = [](const NetInterface& n) {
		return n.rx_bytes_total.value_or(0) == 0 && n.tx_bytes_total.value_or(0) == 0 &&
		       n.rx_bytes_per_s.value_or(0) == 0 && n.tx_bytes_per_s.value_or(0) == 0;
	};
	std::vector<const NetInterface*> nics;
	for (const NetInterface& n : r.interfaces)
		if (n.name != "lo" && !idle(n))
			nics.push_back(&n);
	if (nics.empty())
		return;
	t.section(std::string(tr(ctx.lang, "status.net_head")));
	// Busiest first: the interface carrying the traffic is the one people want.
	auto load = [](const NetInterface* n) {
		return n->rx_bytes_per_s.value_or(0) + n->tx_bytes_per_s.value_or(0);
	};
	std::stable_sort(nics.begin(), nics.end(), [&](auto* a, auto* b) { return load(a) > load(b); });
	auto rate = [](const std::optional<double>& v) { return v ? format_rate(*v) : "-"; };
	for (size_t i = 0; i < nics.size() && i < kMaxInterfaces; ++i) {
		const NetInterface& n = *nics[i];
		t.line(tr(ctx.lang, "status.net_rate",
		          {{"name", agent_text(n.name, kLabelChars)},
		           {"rx", rate(n.rx_bytes_per_s)},
		           {"tx", rate(n.tx_bytes_per_s)}}));
		if (n.rx_bytes_total || n.tx_bytes_total)
			t.line(tr(ctx.lang, "status.net_total",
			          {{"rx", bytes(n.rx_bytes_total)}, {"tx", bytes(n.tx_bytes_total)}}));
	}
	if (nics.size() > kMaxInterfaces)
		t.line(more(ctx.lang, kMaxInterfaces, nics.size()));
}

void system(Text& t, const ViewContext& ctx, const store::LatestReport& latest) {
	const Report& r = latest.report;
	auto count = [](const std::optional<uint64_t>& v) { return v ? format_count(*v) : "-"; };
	t.section(std::string(tr(ctx.lang, "status.system_head")));
	if (r.processes.total)
		t.line(tr(ctx.lang, "status.processes",
		          {{"total", count(r.processes.total)},
		           {"running", count(r.processes.running)},
		           {"threads", count(r.processes.threads)}}));
	// The full TCP state table when the slow section has one, else the counts every report has.
	std::string tcp;
	if (r.tcp_states && !r.tcp_states->empty()) {
		auto states = *r.tcp_states;
		std::stable_sort(states.begin(), states.end(), [](auto& a, auto& b) { return a.count > b.count; });
		for (size_t i = 0; i < states.size() && i < 4; ++i)
			tcp += (tcp.empty() ? "" : " · ") + format_count(states[i].count) + " " +
			       agent_text(states[i].state, 16);
	} else if (r.sockets.tcp_established) {
		tcp = format_count(*r.sockets.tcp_established) + " established";
		if (r.sockets.tcp_time_wait)
			tcp += " · " + format_count(*r.sockets.tcp_time_wait) + " time_wait";
	}
	if (!tcp.empty())
		t.line(tr(ctx.lang, "status.tcp", {{"states", tcp}}));
	if (r.sessions)
		t.line(tr(ctx.lang, "status.sessions", {{"n", format_count(*r.sessions)}}));
}

void top(Text& t, const ViewContext& ctx, const std::optional<std::vector<ProcessEntry>>& list,
         const std::optional<int64_t>& measured_ms, std::string_view head_key, bool by_cpu) {
	if (!list)
		return;
	auto lines = process_lines(*list, by_cpu, kMaxProcesses);
	if (lines.empty())
		return;
	std::string ago = measured_ms ? format_ago(ctx.lang, *measured_ms, ctx.now_ms) : "";
	t.heading(tr(ctx.lang, head_key, {{"ago", ago}}));
	for (const std::string& l : lines)
		t.line(l);
}

void temperatures(Text& t, const ViewContext& ctx, const Report& r) {
	if (r.temperatures.empty())
		return;
	t.section(std::string(tr(ctx.lang, "status.temps_head")));
	auto temps = r.temperatures;
	std::stable_sort(temps.begin(), temps.end(), [](auto& a, auto& b) { return a.celsius > b.celsius; });
	for (size_t i = 0; i < temps.size() && i < kMaxTemperatures; ++i)
		t.line(fmt::format("{} · {:.0f} °C", agent_text(temps[i].sensor, kLabelChars), temps[i].celsius));
	if (temps.size() > kMaxTemperatures)
		t.line(more(ctx.lang, kMaxTemperatures, temps.size()));
}

} // namespace

std::string server_view(const ViewContext& ctx, const ServerStatus& s) {
	const store::ServerRecord& srv = s.server;
	ServerState state = server_state(
	    srv.last_seen_ms, s.latest ? s.latest->report.interval_s : std::optional<double>{}, ctx.now_ms);
	Text t;
	std::string title = fmt::format("{} <b>{}</b>", state_icon(state), agent_text(srv.name));
	if (state == ServerState::offline)
		title += " · " + tr(ctx.lang, "status.offline_for",
		                    {{"time", format_duration(ctx.lang, (ctx.now_ms - *srv.last_seen_ms) / 1000)}});
	t.line(title);
	if (!s.latest) {
		t.line(tr(ctx.lang, "status.never_detail"));
		return t.out;
	}
	const Report& r = s.latest->report;
	identity(t, ctx, s, r);
	cpu(t, ctx, s, r);
	memory(t, ctx, r);
	filesystems(t, ctx, r);
	network(t, ctx, r);
	system(t, ctx, *s.latest);
	top(t, ctx, r.top_cpu, s.latest->top_cpu_ms, "status.top_cpu_head", true);
	top(t, ctx, r.top_memory, s.latest->top_memory_ms, "status.top_memory_head", false);
	temperatures(t, ctx, r);
	t.heading(tr(ctx.lang, "status.updated", {{"time", format_local_time(r.time_ms, ctx.time_zone)}}));
	// The caps above keep a view near 3,000 units; should one still be too long, the first piece
	// is shown whole rather than a message Telegram rejects.
	if (html_text_length(t.out) > kMaxMessageUnits)
		return split_html(t.out).front();
	return t.out;
}

telegram::InlineKeyboard server_keyboard(Lang lang, uint64_t server_id) {
	return {{{"🔄 " + std::string(tr(lang, "common.refresh")), stat_refresh_callback_data(server_id), ""},
	         {std::string(tr(lang, "charts.button")), chart_open_data(server_id), ""}}};
}

std::string server_not_found(Lang lang) {
	return std::string(tr(lang, "status.not_found"));
}

} // namespace serversan::bot::views
