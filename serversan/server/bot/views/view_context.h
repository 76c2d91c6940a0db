// What every status view needs to know about its reader: the language, the IANA time zone
// (User::time_zone) and now, read by the caller from the injected Clock.
#pragma once

#include <cstdint>
#include <string>

#include "serversan/server/bot/i18n.h"

namespace serversan::bot::views {

struct ViewContext {
	Lang lang = Lang::en;
	std::string time_zone = "UTC";
	int64_t now_ms = 0;
};

} // namespace serversan::bot::views
