// English: what the bot tells an owner about their servers' life (first report, removal).
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"events.first_report", "✅ <b>{name}</b> is reporting: {facts}.\nSend /stat to see it."},
    {"events.first_report_bare", "✅ <b>{name}</b> is reporting.\nSend /stat to see it."},
    {"events.cores", "{n} cores"},
    {"events.ram", "{gib} GiB RAM"},
    {"events.removed_unused", "🗑 <b>{name}</b> was removed: no report within {minutes} minutes.\nSend "
                              "/add for a new install line."},
};
} // namespace

const Table kEventsEn{Lang::en, kEntries};

} // namespace serversan::bot::i18n
