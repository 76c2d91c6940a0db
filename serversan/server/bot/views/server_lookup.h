// /stat <server>: which of the chat's servers the typed argument means. An id ("12" or "#12"),
// else a name compared without regard to case, else a unique prefix of one name. Several matches
// are listed for the reader to pick from (buttons), never guessed. Only the chat's own servers are
// searched, so a name can never reach another chat's server.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/server/bot/i18n.h"
#include "serversan/server/bot/telegram/types.h"
#include "serversan/server/store/store.h"

namespace serversan::bot::views {

struct ServerMatch {
	std::vector<uint64_t> ids; // one: found; several: ambiguous; none: no such server
};

ServerMatch match_server(const std::vector<store::ServerRecord>& servers, std::string_view arg);
// The reply when a match is not exactly one server: text, and a button per candidate.
struct MatchReply {
	std::string text;
	telegram::InlineKeyboard keyboard;
};
MatchReply match_reply(Lang lang, const std::vector<store::ServerRecord>& servers, std::string_view arg,
                       const ServerMatch& match);

} // namespace serversan::bot::views
