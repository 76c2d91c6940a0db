// The catalogue's tables, one per area and language; i18n.cpp lists them all. Adding an area:
// write <area>_en.cpp and <area>_zh.cpp defining k<Area>En / k<Area>Zh, declare them here, list
// them in i18n.cpp's kTables and in CMake.
#pragma once

#include "serversan/server/bot/i18n.h"

namespace serversan::bot::i18n {

extern const Table kCommonEn, kCommonZh;
extern const Table kMenuEn, kMenuZh;
extern const Table kChatEn, kChatZh;
extern const Table kServersEn, kServersZh;
extern const Table kStatusEn, kStatusZh;
extern const Table kEventsEn, kEventsZh;
extern const Table kNotifyEn, kNotifyZh;
extern const Table kThresholdEn, kThresholdZh;
extern const Table kChartsEn, kChartsZh;
extern const Table kAdminEn, kAdminZh;
extern const Table kAlertsEn, kAlertsZh;
extern const Table kDigestEn, kDigestZh;
extern const Table kRoutingEn, kRoutingZh;

} // namespace serversan::bot::i18n
