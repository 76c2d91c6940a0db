// What /threshold shows: one line per alert kind ("CPU > 90% for 10 min · clears < 80%") marked
// with where it comes from (○ built-in, ● the chat's default, ◆ the server's own), the editor of
// one kind with its presets, and the wording of a refused typed form. Values arrive in the
// store's units and are shown as /stat shows the measured ones (rates binary, durations in words),
// so a threshold and the value it watches read alike.
#pragma once

#include <span>
#include <string>

#include "serversan/server/alerts/rule_catalog.h"
#include "serversan/server/bot/i18n.h"
#include "serversan/server/bot/telegram/types.h"
#include "serversan/server/bot/threshold/parse.h"
#include "serversan/server/bot/threshold/rules.h"

namespace serversan::bot::threshold {

// ○ built-in, ● the chat's default, ◆ the server's own.
const char* source_mark(alerts::RuleSource source);
std::string kind_label(Lang lang, const alerts::AlertKind& kind);
// "CPU", "Disk /data" (the device escaped).
std::string target_label(Lang lang, const Target& target);
// "90%", "2/core", "50 MiB/s", "85°C", "10 min".
std::string value_text(Lang lang, const alerts::AlertKind& kind, double value);
// "&gt; 90% for 10 min · clears &lt; 80%", "after 3 min without a report · critical", "off".
std::string rule_text(Lang lang, const alerts::AlertKind& kind, const store::AlertRule& rule);

// " · ➜ here" / " · ➜ another chat" for a rule whose alerts have their own route (typed with
// "here"), seen from viewer_chat; empty for one that follows the server's.
std::string route_mark(Lang lang, const store::AlertRule& rule, int64_t viewer_chat);

// The threshold buttons of a kind (store units) and the duration buttons (minutes).
std::span<const double> threshold_presets(const alerts::AlertKind& kind);
std::span<const int> duration_presets_min();

struct Screen {
	std::string text;
	telegram::InlineKeyboard keyboard;
};
// server: null for the chat's defaults; viewer_chat: the chat shown to (for route_mark).
Screen overview_screen(Lang lang, const ChatRules& rules, const Scope& scope,
                       const store::ServerRecord* server, int64_t viewer_chat);
Screen editor_screen(Lang lang, const ChatRules& rules, const Scope& scope, const alerts::AlertKind& kind,
                     const store::ServerRecord* server, int64_t viewer_chat);

std::string explain(Lang lang, const Problem& problem);

} // namespace serversan::bot::threshold
