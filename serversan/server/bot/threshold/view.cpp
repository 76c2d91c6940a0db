#include "serversan/server/bot/threshold/view.h"

#include <cmath>

#include <fmt/format.h>

#include "serversan/server/bot/html.h"
#include "serversan/server/bot/threshold/callback.h"
#include "serversan/server/bot/views/time_format.h"
#include "serversan/server/bot/views/units.h"

namespace serversan::bot::threshold {

namespace {

constexpr double kMiB = 1024.0 * 1024;

const double kPercentPresets[] = {70, 80, 90, 95};
const double kFillPresets[] = {80, 85, 90, 95};
const double kSwapPresets[] = {50, 60, 80, 90};
const double kLoadPresets[] = {1, 1.5, 2, 4};
const double kRatePresets[] = {10 * kMiB, 50 * kMiB, 100 * kMiB, 500 * kMiB};
const double kTempPresets[] = {70, 80, 85, 90};
const double kOfflinePresets[] = {3, 5, 10, 15, 30, 60};
const int kDurations[] = {1, 5, 10, 15, 30};

// "90", "85.5", "1.5", "0.75": what a person would type.
std::string number(double v) {
	std::string s = fmt::format("{:.{}f}", v, v < 10 ? 2 : 1);
	while (s.back() == '0')
		s.pop_back();
	if (s.back() == '.')
		s.pop_back();
	return s;
}

std::string tr_s(Lang lang, std::string_view key) {
	return std::string(tr(lang, key));
}

std::string kinds_list(bool per_device_only) {
	std::string out;
	for (const auto& k : alerts::alert_kinds())
		if (!per_device_only || k.per_device)
			out.append(out.empty() ? "" : ", ").append(k.name);
	return out;
}

// "/threshold web1" (or the id where the name would not read back as one word that is not a
// kind) for a hint the user can copy.
// Where the buttons of a screen act: the server, else the scope's tag, else the chat.
ButtonScope button_scope(const Scope& scope, const store::ServerRecord* server) {
	return server ? ButtonScope(server->id) : ButtonScope(std::nullopt, scope.tag);
}

std::string typed_prefix(const Scope& scope, const store::ServerRecord* server) {
	if (!server)
		return scope.tag.empty() ? "/threshold" : fmt::format("/threshold #{}", escape_html(scope.tag));
	bool one_word = !server->name.empty() && server->name.find_first_of(" \t\n") == std::string::npos &&
	                !alerts::find_kind(server->name.substr(0, server->name.find(':')));
	return "/threshold " + (one_word ? escape_html(server->name) : std::to_string(server->id));
}

std::string scope_name(Lang lang, const Scope& scope, const store::ServerRecord* server) {
	return server               ? escape_html(server->name)
	       : !scope.tag.empty() ? fmt::format("#{}", escape_html(scope.tag))
	                            : tr_s(lang, "threshold.scope_chat");
}

} // namespace

const char* source_mark(alerts::RuleSource source) {
	switch (source) {
	case alerts::RuleSource::server:
		return "◆";
	case alerts::RuleSource::tag:
		return "▲";
	case alerts::RuleSource::chat:
		return "●";
	case alerts::RuleSource::builtin:
		break;
	}
	return "○";
}

std::string kind_label(Lang lang, const alerts::AlertKind& kind) {
	return tr_s(lang, "threshold.kind." + std::string(kind.name));
}

std::string target_label(Lang lang, const Target& target) {
	std::string s = kind_label(lang, *target.kind);
	if (!target.device.empty())
		s.append(" ").append(escape_html(target.device));
	return s;
}

std::string value_text(Lang lang, const alerts::AlertKind& kind, double value) {
	switch (kind.unit) {
	case alerts::Unit::percent:
		return number(value) + "%";
	case alerts::Unit::per_core:
		return tr(lang, "threshold.per_core", {{"v", number(value)}});
	case alerts::Unit::bytes_per_s: {
		// /stat's units, without a ".0" that nobody typed: "50 MiB/s", "95.4 MiB/s".
		std::string s = views::format_rate(value);
		if (auto dot = s.find(".0 "); dot != std::string::npos)
			s.erase(dot, 2);
		return s;
	}
	case alerts::Unit::celsius:
		return number(value) + "°C";
	case alerts::Unit::minutes:
		return views::format_duration(lang, std::llround(value * 60));
	}
	return number(value);
}

std::string rule_text(Lang lang, const alerts::AlertKind& kind, const store::AlertRule& rule) {
	if (!rule.enabled)
		return tr_s(lang, "threshold.off");
	std::string s;
	if (kind.unit == alerts::Unit::minutes) {
		s = tr(lang, "threshold.offline_rule", {{"d", value_text(lang, kind, rule.threshold)}});
	} else {
		s = tr(lang, "threshold.above", {{"v", value_text(lang, kind, rule.threshold)}});
		if (rule.for_s > 0)
			s.append(" ").append(
			    tr(lang, "threshold.for", {{"d", views::format_duration(lang, rule.for_s)}}));
		if (alerts::clear_level(rule) < rule.threshold)
			s.append(" · ").append(
			    tr(lang, "threshold.clears", {{"v", value_text(lang, kind, alerts::clear_level(rule))}}));
	}
	if (rule.severity == "critical")
		s.append(" · ").append(tr_s(lang, "threshold.critical"));
	return s;
}

std::string route_mark(Lang lang, const store::AlertRule& rule, int64_t viewer_chat) {
	if (!rule.route_chat)
		return {};
	return " · " +
	       tr_s(lang, *rule.route_chat == viewer_chat ? "threshold.routed_here" : "threshold.routed_away");
}

std::span<const double> threshold_presets(const alerts::AlertKind& kind) {
	switch (kind.unit) {
	case alerts::Unit::per_core:
		return kLoadPresets;
	case alerts::Unit::bytes_per_s:
		return kRatePresets;
	case alerts::Unit::celsius:
		return kTempPresets;
	case alerts::Unit::minutes:
		return kOfflinePresets;
	case alerts::Unit::percent:
		break;
	}
	if (kind.name == "disk" || kind.name == "inodes" || kind.name == "ram")
		return kFillPresets;
	if (kind.name == "swap")
		return kSwapPresets;
	return kPercentPresets;
}

std::span<const int> duration_presets_min() {
	return kDurations;
}

Screen overview_screen(Lang lang, const ChatRules& rules, const Scope& scope,
                       const store::ServerRecord* server, int64_t viewer_chat) {
	Screen out;
	ButtonScope id = button_scope(scope, server);
	const bool tag = !server && !scope.tag.empty();
	const std::string tag_name = escape_html(scope.tag);
	out.text = server ? tr(lang, "threshold.title_server", {{"name", escape_html(server->name)}})
	           : tag  ? tr(lang, "threshold.title_tag", {{"tag", tag_name}}) + "\n" +
	                       tr(lang, "threshold.intro_tag", {{"tag", tag_name}})
	                 : tr_s(lang, "threshold.title_chat") + "\n" + tr_s(lang, "threshold.intro_chat");
	out.text.append("\n");
	for (const auto& e : rules.overview(scope)) {
		out.text.append("\n");
		if (e.rule.device.empty())
			out.text.append(fmt::format("{} <b>{}</b> ", source_mark(e.source), kind_label(lang, *e.kind)));
		else
			out.text.append(fmt::format("    ↳ {} {} ", source_mark(e.source), escape_html(e.rule.device)));
		out.text.append(rule_text(lang, *e.kind, e.rule)).append(route_mark(lang, e.rule, viewer_chat));
	}
	out.text.append("\n\n").append(tr_s(lang, server ? "threshold.legend_server"
	                                          : tag  ? "threshold.legend_tag"
	                                                 : "threshold.legend_chat"));
	out.text.append("\n").append(server ? tr_s(lang, "threshold.hint_server")
	                             : tag  ? tr(lang, "threshold.hint_tag", {{"tag", tag_name}})
	                                    : tr_s(lang, "threshold.hint_chat"));
	for (const auto& k : alerts::alert_kinds()) {
		if (out.keyboard.empty() || out.keyboard.back().size() == 3)
			out.keyboard.emplace_back();
		out.keyboard.back().push_back({kind_label(lang, k), editor_data(id, k), {}});
	}
	if (server || tag)
		out.keyboard.push_back({{tr_s(lang, "common.back"), overview_data({}), {}}});
	else
		out.keyboard.push_back({{tr_s(lang, "threshold.per_server"), pick_data(), {}}});
	return out;
}

Screen editor_screen(Lang lang, const ChatRules& rules, const Scope& scope, const alerts::AlertKind& kind,
                     const store::ServerRecord* server, int64_t viewer_chat) {
	Screen out;
	ButtonScope id = button_scope(scope, server);
	Target target{&kind, {}};
	alerts::EffectiveRule now = rules.effective(scope, target);
	bool own = rules.own(scope, target) != nullptr;
	const char* source_key = now.source == alerts::RuleSource::server ? "threshold.source_server"
	                         : now.source == alerts::RuleSource::tag  ? "threshold.source_tag"
	                         : now.source == alerts::RuleSource::chat ? "threshold.source_chat"
	                                                                  : "threshold.source_builtin";
	out.text = tr(lang, "threshold.editor_title",
	              {{"kind", kind_label(lang, kind)}, {"scope", scope_name(lang, scope, server)}});
	out.text.append("\n").append(tr(lang, "threshold.now", {{"rule", rule_text(lang, kind, now.rule)}}));
	out.text.append("\n").append(tr(lang, source_key, {{"tag", escape_html(now.rule.tag)}}));
	if (now.rule.route_chat)
		out.text.append("\n").append(tr_s(
		    lang, *now.rule.route_chat == viewer_chat ? "threshold.route_here" : "threshold.route_away"));
	if (own)
		out.text.append("\n").append(tr(lang, "threshold.reset_gives",
		                                {{"rule", rule_text(lang, kind, rules.wider(scope, target).rule)}}));
	if (kind.per_device) {
		// Device rules have no buttons (a device name is typed anyway): listed, with how to set one.
		out.text.append("\n");
		for (const auto& e : rules.overview(scope))
			if (e.kind == &kind && !e.rule.device.empty())
				out.text.append(fmt::format("\n↳ {} {} {}{}", source_mark(e.source),
				                            escape_html(e.rule.device), rule_text(lang, kind, e.rule),
				                            route_mark(lang, e.rule, viewer_chat)));
		out.text.append("\n").append(
		    tr(lang, "threshold.devices_hint",
		       {{"command", typed_prefix(scope, server)}, {"kind", std::string(kind.name)}}));
	}
	bool offline = kind.unit == alerts::Unit::minutes;
	out.text.append("\n\n").append(
	    tr_s(lang, offline ? "threshold.editor_help_offline" : "threshold.editor_help"));
	if (server) // a server's rule can send its alerts to a group (threshold.cpp here_scope)
		out.text.append("\n").append(
		    tr(lang, "threshold.here_hint",
		       {{"command", typed_prefix(scope, server)}, {"kind", std::string(kind.name)}}));

	// The current choice is marked; a press on it writes the same rule again, which is harmless.
	auto label = [&](std::string text, bool current) { return current ? "• " + text : text; };
	auto presets = threshold_presets(kind);
	for (size_t i = 0; i < presets.size(); ++i) {
		if (out.keyboard.empty() || out.keyboard.back().size() == (offline ? 3 : 4))
			out.keyboard.emplace_back();
		bool current =
		    now.rule.enabled && std::abs(now.rule.threshold - presets[i]) < 1e-9 * (1 + presets[i]);
		out.keyboard.back().push_back({label(value_text(lang, kind, presets[i]), current),
		                               action_data(id, kind, fmt::format("t{}", i)),
		                               {}});
	}
	if (!offline) {
		out.keyboard.emplace_back();
		for (int m : duration_presets_min())
			out.keyboard.back().push_back(
			    {label(views::format_duration(lang, m * 60), now.rule.for_s == m * 60),
			     action_data(id, kind, fmt::format("d{}", m)),
			     {}});
	}
	bool critical = now.rule.severity == "critical";
	out.keyboard.push_back({
	    {tr_s(lang, critical ? "threshold.btn_critical" : "threshold.btn_warning"),
	     action_data(id, kind, "sev"),
	     {}},
	    {tr_s(lang, now.rule.enabled ? "threshold.btn_off" : "threshold.btn_on"),
	     action_data(id, kind, now.rule.enabled ? "off" : "on"),
	     {}},
	});
	out.keyboard.emplace_back();
	if (own)
		out.keyboard.back().push_back({tr_s(lang, "threshold.btn_reset"), action_data(id, kind, "rst"), {}});
	out.keyboard.back().push_back({tr_s(lang, "common.back"), overview_data(id), {}});
	return out;
}

std::string explain(Lang lang, const Problem& p) {
	std::string word = escape_html(p.token);
	std::string kind = p.kind ? kind_label(lang, *p.kind) : std::string();
	switch (p.code) {
	case Problem::unknown_kind:
		return tr(lang, "threshold.err_kind", {{"word", word}, {"kinds", kinds_list(false)}});
	case Problem::no_devices:
		return tr(lang, "threshold.err_no_devices", {{"kind", kind}, {"kinds", kinds_list(true)}});
	case Problem::bad_device:
		return tr_s(lang, "threshold.err_device");
	case Problem::bad_value: {
		static const char* const kAccept[] = {"percent", "per_core", "bytes_per_s", "celsius", "minutes"};
		std::string accepted =
		    tr_s(lang, std::string("threshold.accept.") + kAccept[static_cast<size_t>(p.kind->unit)]);
		return tr(lang, "threshold.err_value", {{"word", word}, {"kind", kind}, {"accepted", accepted}});
	}
	case Problem::out_of_range:
		return tr(lang, "threshold.err_range",
		          {{"kind", kind},
		           {"min", value_text(lang, *p.kind, p.kind->min)},
		           {"max", value_text(lang, *p.kind, p.kind->max)},
		           {"word", word}});
	case Problem::bad_duration:
		return tr(lang, "threshold.err_duration", {{"word", word}});
	case Problem::offline_extra:
		return tr_s(lang, "threshold.err_offline");
	case Problem::clear_missing:
		return tr_s(lang, "threshold.err_clear_missing");
	case Problem::clear_above:
		return tr(lang, "threshold.err_clear_above",
		          {{"clear", word}, {"value", escape_html(p.value_token)}});
	case Problem::unexpected:
		break;
	}
	return tr(lang, "threshold.err_unexpected", {{"word", word}});
}

} // namespace serversan::bot::threshold
