// /notify's screens: the chat's notification settings in one compact message with buttons that
// change them (main), and three small pickers (quiet hours, reminder, digest) that return to it.
// Pure: the handler reads the settings, the chat's zone (alerts/chat_zone.h) and the silences.
//
// Callback data, all under "nt:" and carrying the target value (never "toggle"), so a double
// press or an old message sets the same thing twice instead of flipping it back:
//   nt:main  nt:on  nt:off  nt:k:<kind>:1|0  nt:c:1|0 (critical in quiet hours)  nt:s:1|0 (silent
//   warnings)  nt:q (picker)  nt:q:<from>:<to>|off (minutes)  nt:r  nt:r:<seconds>|0  nt:d
//   nt:d:<hour>|off  nt:l:<silence id> (lift)
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "serversan/server/bot/telegram/types.h"
#include "serversan/server/bot/views/view_context.h"
#include "serversan/server/store/store.h"

namespace serversan::bot::views {

inline constexpr size_t kNotifySilencesShown = 20; // each has a Lift button; the rest by typing

struct ShownSilence {
	uint64_t id = 0;
	std::string server_name; // empty: every server of the chat
	std::string kind;        // empty: every kind
	std::optional<int64_t> until_ms;
};

enum class NotifyPage { main, quiet, reminder, digest };

struct NotifyScreen {
	std::string text; // Telegram HTML
	telegram::InlineKeyboard keyboard;
};

// ctx.time_zone is the chat's zone; silences in the order they are numbered.
NotifyScreen notify_screen(const ViewContext& ctx, const store::ChatSettings& settings,
                           std::span<const ShownSilence> silences, NotifyPage page);

// "CPU", "Disk I/O"... from the catalogue (notify.kind.<name>).
std::string kind_label(Lang lang, std::string_view kind);
// "23:00"
std::string clock_text(int minutes);

} // namespace serversan::bot::views
