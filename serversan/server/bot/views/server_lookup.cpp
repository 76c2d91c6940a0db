#include "serversan/server/bot/views/server_lookup.h"

#include "serversan/core/encoding.h"
#include "serversan/server/bot/views/agent_text.h"
#include "serversan/server/bot/views/stat_callback.h"

namespace serversan::bot::views {

namespace {

constexpr size_t kMaxCandidates = 10;

} // namespace

ServerMatch match_server(const std::vector<store::ServerRecord>& servers, std::string_view arg) {
	arg = trim_blanks(arg);
	ServerMatch m;
	if (arg.empty())
		return m;
	std::string_view digits = arg.starts_with('#') ? arg.substr(1) : arg;
	if (auto id = parse_u64(digits))
		for (const auto& s : servers)
			if (s.id == *id)
				return {{s.id}};
	std::string want = name_key(arg);
	for (const auto& s : servers)
		if (name_key(s.name) == want)
			m.ids.push_back(s.id);
	if (!m.ids.empty())
		return m;
	for (const auto& s : servers)
		if (name_key(s.name).starts_with(want))
			m.ids.push_back(s.id);
	return m;
}

MatchReply match_reply(Lang lang, const std::vector<store::ServerRecord>& servers, std::string_view arg,
                       const ServerMatch& match) {
	MatchReply r;
	std::string name = agent_text(trim_blanks(arg));
	if (match.ids.empty()) {
		r.text = tr(lang, "status.no_match", {{"name", name}});
		return r;
	}
	r.text = tr(lang, "status.ambiguous", {{"name", name}});
	for (const auto& s : servers) {
		if (r.keyboard.size() == kMaxCandidates)
			break;
		for (uint64_t id : match.ids)
			if (id == s.id)
				r.keyboard.push_back({{agent_plain_text(s.name), stat_callback_data(s.id), ""}});
	}
	return r;
}

} // namespace serversan::bot::views
