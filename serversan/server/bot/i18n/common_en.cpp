// English texts shared by every part of the bot. Keys are area.name; texts are Telegram HTML.
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"common.yes", "Yes"},
    {"common.no", "No"},
    {"common.cancel", "Cancel"},
    {"common.back", "« Back"},
    {"common.refresh", "Refresh"},
    {"common.error", "Something went wrong on our side. Please try again in a minute."},
};
} // namespace

const Table kCommonEn{Lang::en, kEntries};

} // namespace serversan::bot::i18n
