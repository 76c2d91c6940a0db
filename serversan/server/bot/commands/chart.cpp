// /chart [SERVER] [CHART] [RANGE]: a server's chart as a photo, CPU over 24 hours unless the
// words at the end name another chart (cpu mem disk io net load temp) or range (1h 6h 24h 7d
// 30d). Without a server, buttons to pick one. Under the photo, buttons switch chart, range and
// theme by editing the photo in place. Every id, typed or from a button, goes through the access
// check (Action::see) before anything is read.
#include "serversan/server/charts/chart.h"

#include "serversan/server/bot/commands/chart_send.h"
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/commands/server_pick.h"
#include "serversan/server/bot/views/chart_view.h"

namespace serversan::bot::commands {

Result<void> send_chart(Context& ctx, const store::ServerRecord& server, views::ChartView v, bool in_place) {
	auto zone = ctx.zone();
	if (!zone.ok())
		return zone.error();
	// The kind's devices over the range: the numbers in the buttons point into this list.
	auto devices =
	    charts::chart_devices(ctx.s.store, server.id, v.kind, ctx.now_ms() - charts::chart_range_ms(v.range));
	if (!devices.ok())
		return devices.error();
	if (v.device > devices->size())
		v.device = 0; // a device gone since the button was drawn: the whole server again
	charts::ChartRequest req;
	req.server_id = server.id;
	req.server_name = server.name;
	req.kind = v.kind;
	req.range = v.range;
	if (v.device > 0)
		req.device = (*devices)[v.device - 1];
	req.time_zone = *zone;
	req.theme = v.theme;
	req.now_ms = ctx.now_ms();
	req.words = views::chart_words(ctx.lang);
	auto chart = charts::make_chart(ctx.s.store, req);
	if (!chart.ok())
		return chart.error();
	v.server_id = server.id;
	ctx.answer();
	ctx.photo(std::move(chart->picture.png),
	          views::chart_caption(ctx.lang, server.name, v, *chart, req.device),
	          views::chart_keyboard(ctx.lang, v, *devices), in_place);
	return Ok();
}

namespace {

// "/chart web 1 net 7d": chart and range words are taken from the end, the rest names the server.
Result<void> chart_command(Context& ctx) {
	views::ChartView v;
	std::vector<std::string> words = ctx.args;
	bool kind_set = false, range_set = false;
	while (!words.empty()) {
		if (auto k = charts::chart_kind_from_name(words.back()); k && !kind_set) {
			v.kind = *k;
			kind_set = true;
		} else if (auto r = charts::chart_range_from_name(words.back()); r && !range_set) {
			v.range = *r;
			range_set = true;
		} else {
			break;
		}
		words.pop_back();
	}
	std::string ref;
	for (const std::string& w : words)
		ref += (ref.empty() ? "" : " ") + w;
	return with_typed_server(
	    ctx, ref, views::kChartPrefix, "charts.pick", Action::see,
	    [v](Context& c, const store::ServerRecord& s) { return send_chart(c, s, v, false); });
}

Result<void> chart_view_button(Context& ctx) {
	auto v = views::parse_chart_view(ctx.rest);
	if (!v) {
		ctx.notice(ctx.t("servers.not_found"));
		return Ok();
	}
	auto server = pick_by_id(ctx, std::to_string(v->server_id), Action::see);
	if (!server.ok())
		return server.error();
	return *server ? send_chart(ctx, **server, *v, true) : Ok();
}

} // namespace

void add_chart(Router& r) {
	r.on_command("chart", chart_command);
	r.on_button(std::string(views::kChartPrefix),
	            server_button(Action::see, [](Context& c, const store::ServerRecord& s) {
		            return send_chart(c, s, views::ChartView{}, false);
	            }));
	r.on_button(std::string(views::kChartViewPrefix), chart_view_button);
}

} // namespace serversan::bot::commands
