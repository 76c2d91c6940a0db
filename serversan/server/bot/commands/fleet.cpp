// /fleet: the whole installation in one block, for admins: users, servers by state, reports per
// second over the last minute, the database's size and the outbox. Every figure is a cheap store
// read (counting reports walks an index per server, never the samples table).
#include <fmt/format.h>

#include "serversan/server/bot/commands/admin_gate.h"
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/views/time_format.h"
#include "serversan/server/bot/views/units.h"

namespace serversan::bot::commands {

namespace {

constexpr int64_t kReportingMs = 5 * store::kMinuteMs; // "reporting": a report in this window
constexpr int64_t kRateWindowMs = store::kMinuteMs;

// Reports per second over the window: two decimals for a small fleet ("0.05"), none past ten.
std::string per_second(uint64_t reports) {
	double rate = static_cast<double>(reports) * 1000.0 / kRateWindowMs;
	return fmt::format(fmt::runtime(rate >= 10 ? "{:.0f}" : rate >= 1 ? "{:.1f}" : "{:.2f}"), rate);
}

Result<void> fleet(Context& ctx) {
	store::Store& st = ctx.s.store;
	int64_t now = ctx.now_ms();
	auto users = st.list_users();
	if (!users.ok())
		return users.error();
	uint64_t blocked_bot = 0, banned = 0;
	for (const auto& u : *users) {
		blocked_bot += u.bot_blocked;
		banned += u.role == "blocked";
	}
	auto servers = st.list_servers();
	if (!servers.ok())
		return servers.error();
	uint64_t reporting = 0, never = 0;
	for (const auto& s : *servers) {
		if (!s.last_seen_ms)
			++never;
		else if (*s.last_seen_ms >= now - kReportingMs)
			++reporting;
	}
	uint64_t offline = servers->size() - reporting - never;
	auto reports = st.count_reports_since(now - kRateWindowMs);
	if (!reports.ok())
		return reports.error();
	auto bytes = st.database_bytes();
	if (!bytes.ok())
		return bytes.error();
	auto depth = st.outbox_depth();
	if (!depth.ok())
		return depth.error();
	auto oldest = st.oldest_queued_ms();
	if (!oldest.ok())
		return oldest.error();

	using views::format_count;
	std::string text = ctx.t("admin.fleet_title");
	text += "\n" + ctx.t("admin.fleet_users", {{"total", format_count(users->size())},
	                                           {"blocked_bot", format_count(blocked_bot)},
	                                           {"banned", format_count(banned)}});
	text += "\n" + ctx.t("admin.fleet_servers", {{"total", format_count(servers->size())},
	                                             {"reporting", format_count(reporting)},
	                                             {"offline", format_count(offline)},
	                                             {"never", format_count(never)}});
	text +=
	    "\n" + ctx.t("admin.fleet_reports", {{"rate", per_second(*reports)}, {"n", format_count(*reports)}});
	text +=
	    "\n" + ctx.t("admin.fleet_database", {{"size", views::format_bytes(static_cast<double>(*bytes))}});
	if (*oldest)
		text += "\n" + ctx.t("admin.fleet_outbox",
		                     {{"n", format_count(*depth)},
		                      {"age", views::format_duration(ctx.lang, (now - **oldest) / 1000)}});
	else
		text += "\n" + ctx.t("admin.fleet_outbox_empty");
	ctx.reply(std::move(text));
	return Ok();
}

} // namespace

void add_fleet(Router& r) {
	r.on_command("fleet", admin_only(store::kPermAdmin, fleet));
}

} // namespace serversan::bot::commands
