#include "serversan/server/bot/views/notify_view.h"

#include <algorithm>

#include <fmt/format.h>

#include "serversan/server/alerts/rule_catalog.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/bot/views/time_format.h"

namespace serversan::bot::views {

namespace {

using telegram::InlineButton;
using telegram::InlineKeyboard;

constexpr std::pair<int, int> kQuietPresets[] = {{22 * 60, 7 * 60}, {23 * 60, 8 * 60}, {0, 6 * 60}};
constexpr int64_t kReminderPresets[] = {3600, 4 * 3600, 12 * 3600, 24 * 3600};
constexpr int kDigestPresets[] = {7, 8, 9, 12, 18, 21};

std::string t(const ViewContext& c, std::string_view key) {
	return std::string(tr(c.lang, key));
}

// A picked value is marked, so the picker shows the current setting.
std::string mark(bool on, std::string label) {
	return on ? "\xE2\x9C\x93 " + label : label; // ✓
}

std::string check(bool on) {
	return on ? "\xE2\x9C\x85 " : "\xE2\xAC\x9C "; // ✅ ⬜
}

bool is_muted(const store::ChatSettings& s, std::string_view kind) {
	return std::find(s.muted_kinds.begin(), s.muted_kinds.end(), kind) != s.muted_kinds.end();
}

std::string span_text(int from, int to) {
	return clock_text(from) + "\xE2\x80\x93" + clock_text(to); // en dash
}

void add_paired(InlineKeyboard& kb, InlineButton b) {
	if (kb.empty() || kb.back().size() == 2)
		kb.emplace_back();
	kb.back().push_back(std::move(b));
}

std::string main_text(const ViewContext& c, const store::ChatSettings& s,
                      std::span<const ShownSilence> silences) {
	std::string tz = escape_html(c.time_zone);
	std::string out = t(c, s.notify ? "notify.title" : "notify.title_off");
	// The kinds turned off, in the order of the buttons.
	std::string kinds;
	size_t off = 0;
	for (const auto& kind : alerts::alert_kinds())
		if (is_muted(s, kind.name)) {
			kinds += (kinds.empty() ? "" : ", ") + kind_label(c.lang, kind.name);
			++off;
		}
	if (off == 0)
		out += "\n" + t(c, "notify.kinds_all");
	else if (off == alerts::alert_kinds().size())
		out += "\n" + t(c, "notify.kinds_none");
	else
		out += "\n" + tr(c.lang, "notify.kinds_off", {{"kinds", kinds}});
	if (s.quiet_from_min && s.quiet_to_min) {
		out += "\n" + tr(c.lang, "notify.quiet",
		                 {{"span", span_text(*s.quiet_from_min, *s.quiet_to_min)}, {"tz", tz}});
		out += t(c, s.quiet_lets_critical ? "notify.quiet_critical" : "notify.quiet_held");
	} else {
		out += "\n" + t(c, "notify.quiet_none");
	}
	out += "\n" + t(c, s.silent_warnings ? "notify.warnings_silent" : "notify.warnings_sound");
	out += "\n" + (s.reminder_s > 0
	                   ? tr(c.lang, "notify.reminder", {{"every", format_duration(c.lang, s.reminder_s)}})
	                   : t(c, "notify.reminder_off"));
	out += "\n" + (s.digest_hour
	                   ? tr(c.lang, "notify.digest", {{"time", clock_text(*s.digest_hour * 60)}, {"tz", tz}})
	                   : t(c, "notify.digest_off"));
	if (!silences.empty()) {
		out += "\n\n" + t(c, "notify.silences");
		size_t shown = std::min(silences.size(), kNotifySilencesShown);
		for (size_t i = 0; i < shown; ++i) {
			const auto& x = silences[i];
			std::string server = x.server_name.empty() ? t(c, "notify.all_servers")
			                                           : "<b>" + escape_html(x.server_name) + "</b>";
			std::string kind = x.kind.empty() ? t(c, "notify.all_kinds") : kind_label(c.lang, x.kind);
			std::string until = x.until_ms ? tr(c.lang, "notify.silence_until",
			                                    {{"time", format_local_time(*x.until_ms, c.time_zone)}})
			                               : t(c, "notify.silence_recovers");
			out += fmt::format("\n{}. {} · {} · {}", i + 1, server, kind, until);
		}
		if (shown < silences.size())
			out +=
			    "\n" + tr(c.lang, "notify.more_silences", {{"n", std::to_string(silences.size() - shown)}});
	}
	return out;
}

InlineKeyboard main_keyboard(const ViewContext& c, const store::ChatSettings& s,
                             std::span<const ShownSilence> silences) {
	InlineKeyboard kb;
	kb.push_back({{(s.notify ? "\xE2\x9C\x85 " : "\xF0\x9F\x94\x95 ") + t(c, "notify.btn_all"),
	               s.notify ? "nt:off" : "nt:on",
	               {}}});
	kb.emplace_back(); // the kinds start their own rows
	for (const auto& kind : alerts::alert_kinds()) {
		std::string name(kind.name);
		bool on = !is_muted(s, name);
		add_paired(kb, {(on ? "\xE2\x9C\x85 " : "\xF0\x9F\x94\x95 ") + kind_label(c.lang, name),
		                "nt:k:" + name + (on ? ":0" : ":1"),
		                {}});
	}
	kb.push_back({{t(c, "notify.btn_quiet"), "nt:q", {}}, {t(c, "notify.btn_reminder"), "nt:r", {}}});
	kb.push_back({{check(s.quiet_lets_critical) + t(c, "notify.btn_critical"),
	               s.quiet_lets_critical ? "nt:c:0" : "nt:c:1",
	               {}},
	              {check(s.silent_warnings) + t(c, "notify.btn_silent"),
	               s.silent_warnings ? "nt:s:0" : "nt:s:1",
	               {}}});
	kb.push_back({{t(c, "notify.btn_digest"), "nt:d", {}}});
	size_t shown = std::min(silences.size(), kNotifySilencesShown);
	for (size_t i = 0; i < shown; ++i) {
		if (i % 3 == 0)
			kb.emplace_back();
		kb.back().push_back({tr(c.lang, "notify.btn_lift", {{"n", std::to_string(i + 1)}}),
		                     "nt:l:" + std::to_string(silences[i].id),
		                     {}});
	}
	return kb;
}

NotifyScreen picker(const ViewContext& c, const store::ChatSettings& s, NotifyPage page) {
	NotifyScreen out;
	std::string tz = escape_html(c.time_zone);
	InlineKeyboard& kb = out.keyboard;
	if (page == NotifyPage::quiet) {
		out.text = tr(c.lang, "notify.quiet_page", {{"tz", tz}});
		for (auto [from, to] : kQuietPresets)
			add_paired(kb, {mark(s.quiet_from_min == from && s.quiet_to_min == to, span_text(from, to)),
			                fmt::format("nt:q:{}:{}", from, to),
			                {}});
		add_paired(kb, {mark(!s.quiet_from_min, t(c, "notify.btn_off")), "nt:q:off", {}});
	} else if (page == NotifyPage::reminder) {
		out.text = t(c, "notify.reminder_page");
		for (int64_t every : kReminderPresets)
			add_paired(kb, {mark(s.reminder_s == every, format_duration(c.lang, every)),
			                "nt:r:" + std::to_string(every),
			                {}});
		add_paired(kb, {mark(s.reminder_s == 0, t(c, "notify.btn_off")), "nt:r:0", {}});
	} else {
		out.text = tr(c.lang, "notify.digest_page", {{"tz", tz}});
		for (int hour : kDigestPresets) {
			if (kb.empty() || kb.back().size() == 3)
				kb.emplace_back();
			kb.back().push_back(
			    {mark(s.digest_hour == hour, clock_text(hour * 60)), "nt:d:" + std::to_string(hour), {}});
		}
		kb.push_back({{mark(!s.digest_hour, t(c, "notify.btn_off")), "nt:d:off", {}}});
	}
	kb.push_back({{t(c, "common.back"), "nt:main", {}}});
	return out;
}

} // namespace

std::string kind_label(Lang lang, std::string_view kind) {
	std::string key = "notify.kind." + std::string(kind);
	std::string_view text = tr(lang, key);
	// An unknown kind (a newer server wrote it) is shown by its name, escaped.
	return text == key ? escape_html(kind) : std::string(text);
}

std::string clock_text(int minutes) {
	return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60);
}

NotifyScreen notify_screen(const ViewContext& ctx, const store::ChatSettings& settings,
                           std::span<const ShownSilence> silences, NotifyPage page) {
	if (page != NotifyPage::main)
		return picker(ctx, settings, page);
	return {main_text(ctx, settings, silences), main_keyboard(ctx, settings, silences)};
}

} // namespace serversan::bot::views
