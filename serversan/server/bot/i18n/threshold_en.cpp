// English: /threshold, the alert thresholds (keys threshold.*). ">" and "<" are written as
// entities: the texts are Telegram HTML.
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"threshold.kind.cpu", "CPU"},
    {"threshold.kind.ram", "RAM"},
    {"threshold.kind.swap", "Swap"},
    {"threshold.kind.disk", "Disk"},
    {"threshold.kind.inodes", "Inodes"},
    {"threshold.kind.load", "Load"},
    {"threshold.kind.net_in", "Net in"},
    {"threshold.kind.net_out", "Net out"},
    {"threshold.kind.io", "Disk I/O"},
    {"threshold.kind.temp", "Temp"},
    {"threshold.kind.offline", "Offline"},

    {"threshold.above", "&gt; {v}"},
    {"threshold.for", "for {d}"},
    {"threshold.clears", "clears &lt; {v}"},
    {"threshold.offline_rule", "after {d} without a report"},
    {"threshold.off", "off"},
    {"threshold.critical", "critical"},
    {"threshold.per_core", "{v}/core"},

    {"threshold.title_chat", "<b>Alert thresholds</b> · this chat"},
    {"threshold.title_tag", "<b>Alert thresholds</b> · #{tag}"},
    {"threshold.intro_tag", "Servers tagged #{tag} use these unless they have their own."},
    {"threshold.legend_tag", "▲ set for this tag · ● this chat · ○ built-in"},
    {"threshold.hint_tag", "Tap a kind to change it, or type <code>/threshold #{tag} cpu 85 5m</code>."},
    {"threshold.title_server", "<b>Alert thresholds</b> · {name}"},
    {"threshold.intro_chat", "Every server here uses these unless it has its own."},
    {"threshold.legend_chat", "● set for this chat · ○ built-in"},
    {"threshold.legend_server", "◆ this server · ▲ tag · ● chat default · ○ built-in"},
    {"threshold.hint_chat", "Tap a kind to change it, or type <code>/threshold cpu 85 5m</code>."},
    {"threshold.hint_server", "Tap a kind to change it for this server only."},
    {"threshold.per_server", "Per server…"},
    {"threshold.pick", "Which server's thresholds?"},

    {"threshold.editor_title", "<b>{kind}</b> · {scope}"},
    {"threshold.scope_chat", "this chat"},
    {"threshold.now", "Now: {rule}"},
    {"threshold.source_builtin", "○ built-in default"},
    {"threshold.source_chat", "● this chat's default"},
    {"threshold.source_server", "◆ set for this server"},
    {"threshold.source_tag", "▲ set for the tag #{tag}"},
    {"threshold.reset_gives", "Reset to default gives: {rule}"},
    {"threshold.editor_help", "First row: the threshold. Second row: how long it must hold."},
    {"threshold.editor_help_offline", "How long without a report counts as offline?"},
    {"threshold.devices_hint", "One device: type e.g. <code>{command} {kind}:NAME 95</code>."},
    {"threshold.btn_warning", "Severity: warning"},
    {"threshold.btn_critical", "Severity: critical"},
    {"threshold.btn_off", "Turn off"},
    {"threshold.btn_on", "Turn on"},
    {"threshold.btn_reset", "Reset to default"},
    {"threshold.saved", "Saved"},
    {"threshold.reset_toast", "Back to the default"},

    {"threshold.this_chat", "This chat"},
    {"threshold.set_done", "✅ {scope}: <b>{kind}</b> {rule}"},
    {"threshold.off_done", "🔕 {scope}: <b>{kind}</b> alerts are off."},
    {"threshold.on_done", "🔔 {scope}: <b>{kind}</b> {rule}"},
    {"threshold.already_on", "{scope}: <b>{kind}</b> is already on: {rule}"},
    {"threshold.wider_chat", "chat default"},
    {"threshold.wider_builtin", "built-in default"},
    {"threshold.wider_server", "server's own rule"},
    {"threshold.wider_tag", "tag rule"},
    {"threshold.status", "{mark} {scope}: <b>{kind}</b> {rule}"},
    {"threshold.reset_done", "↩️ {scope}: <b>{kind}</b> follows the {wider} again: {rule}"},
    {"threshold.here_done", "📨 {scope}: <b>{kind}</b> alerts now come to this chat: {rule}"},
    {"threshold.here_server_only", "“here” sends one server's alerts of one kind to this chat, e.g. "
                                   "<code>/threshold web1 cpu 90 here</code>. "
                                   "The chat's and a tag's rules go wherever each server's alerts go."},
    {"threshold.routed_here", "➜ here"},
    {"threshold.routed_away", "➜ another chat"},
    {"threshold.route_here", "➜ Its alerts come to this chat."},
    {"threshold.route_away", "➜ Its alerts go to another chat."},
    {"threshold.here_hint",
     "To get these alerts in a group instead, type <code>{command} {kind} here</code> there."},
    {"threshold.reset_none", "{scope} has no own <b>{kind}</b> rule; it follows the {wider}: {rule}"},

    {"threshold.accept.percent", "a percentage, e.g. <code>90</code> or <code>90%</code>"},
    {"threshold.accept.per_core", "a load per CPU core, e.g. <code>2</code> or <code>2.5</code>"},
    {"threshold.accept.bytes_per_s",
     "a rate, e.g. <code>50MB/s</code>, <code>400Mbit/s</code> or <code>1.5GB/s</code> (bytes are binary, "
     "bits decimal)"},
    {"threshold.accept.celsius", "degrees Celsius, e.g. <code>85</code>"},
    {"threshold.accept.minutes", "a time, e.g. <code>10m</code> or <code>1h</code>"},
    {"threshold.err_kind", "“{word}” is not an alert kind. Kinds: {kinds}."},
    {"threshold.err_no_devices",
     "<b>{kind}</b> is one value per server, without devices. Only {kinds} take a device, e.g. "
     "<code>disk:/data</code>."},
    {"threshold.err_device", "A device after “:” is 1 to 64 characters, e.g. <code>disk:/data</code>."},
    {"threshold.err_value", "“{word}” is not a value for <b>{kind}</b>: give {accepted}."},
    {"threshold.err_range", "<b>{kind}</b> takes {min} to {max}; “{word}” is outside."},
    {"threshold.err_duration", "“{word}” is not a duration. Use e.g. 30s, 5m, 10min or 1h (up to 24 h)."},
    {"threshold.err_offline",
     "<b>Offline</b> takes only a time and a severity, e.g. <code>/threshold offline 10m critical</code>."},
    {"threshold.err_clear_missing", "“clear” needs a value after it, e.g. <code>clear 80</code>."},
    {"threshold.err_clear_above",
     "The clear level {clear} is above the threshold {value}: an alert clears below the line it fires at."},
    {"threshold.err_unexpected",
     "“{word}” is not understood here. Form: <code>/threshold [server] kind value [duration] [clear value] "
     "[warning|critical] [here]</code>, or <code>/threshold [server] kind off|on|default</code>."},
};
} // namespace

const Table kThresholdEn{Lang::en, kEntries};

} // namespace serversan::bot::i18n
