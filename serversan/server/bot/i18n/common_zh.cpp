// 简体中文: texts shared by every part of the bot (keys as in common_en.cpp).
#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot::i18n {

namespace {
constexpr Entry kEntries[] = {
    {"common.yes", "是"},      {"common.no", "否"},        {"common.cancel", "取消"},
    {"common.back", "« 返回"}, {"common.refresh", "刷新"}, {"common.error", "服务器内部出错，请稍后再试。"},
};
} // namespace

const Table kCommonZh{Lang::zh, kEntries};

} // namespace serversan::bot::i18n
