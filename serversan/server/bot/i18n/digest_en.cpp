// English: the daily digest (views/digest_view.h). Keys: digest.*.
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"digest.title", "📋 <b>Daily digest</b> · {date}"},
    {"digest.count", "Servers online: {online}/{count}"},
    {"digest.server_offline", "🔴 <b>{server}</b> · offline · last report {time}"},
    {"digest.server_never", "⚪ <b>{server}</b> · no report yet"},
    {"digest.no_alerts", "✅ No alerts in the last 24 h"},
    {"digest.alerts_head", "<b>Alerts · last 24 h</b>"},
    {"digest.alert_resolved", "✅ <b>{server}</b> · {what}{value} at {time} · lasted {held}"},
    {"digest.alert_firing", "{icon} <b>{server}</b> · {what}{value} since {time} · still firing"},
    {"digest.alert_offline_resolved", "✅ <b>{server}</b> · offline at {time} · lasted {held}"},
    {"digest.alert_offline_firing", "{icon} <b>{server}</b> · offline since {time} · still offline"},
    {"digest.outage_resolved", "✅ <b>{count} servers</b> offline at {time} · lasted {held}: {names}"},
    {"digest.outage_firing", "{icon} <b>{count} servers</b> offline since {time} · still offline: {names}"},
    {"digest.name_sep", ", "},
    {"digest.names_more", " and {count} more"},
    {"digest.trends_head", "<b>Heading for a threshold</b>"},
    {"digest.trend_full", "⏳ <b>{server}</b> · {what} full around {date} (in ~{eta})"},
    {"digest.trend_average", "📈 <b>{server}</b> · {what} averaged {value} over 24 h · alert at {limit}"},
};
} // namespace

const Table kDigestEn{Lang::en, kEntries};

} // namespace serversan::bot::i18n
