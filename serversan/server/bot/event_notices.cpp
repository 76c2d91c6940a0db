#include "serversan/server/bot/event_notices.h"

#include <fmt/format.h>

#include "serversan/core/log.h"
#include "serversan/server/bot/chat_locale.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/bot/i18n.h"

namespace serversan::bot {

namespace {

// "Debian GNU/Linux 12, x86_64, 4 cores, 7.8 GiB RAM": what the agent told about its host.
std::string host_line(store::Store& store, uint64_t server_id, Lang lang) {
	auto s = store.find_server(server_id);
	std::vector<std::string> parts;
	if (s.ok() && *s && (*s)->host) {
		const HostFacts& h = *(*s)->host;
		std::string os = h.os_name;
		if (!h.os_version.empty())
			os += (os.empty() ? "" : " ") + h.os_version;
		if (!os.empty())
			parts.push_back(os);
		if (!h.arch.empty())
			parts.push_back(h.arch);
		if (h.cpu_logical)
			parts.push_back(tr(lang, "events.cores", {{"n", std::to_string(*h.cpu_logical)}}));
	}
	if (auto latest = store.latest(server_id); latest.ok() && *latest && (*latest)->report.memory.total)
		parts.push_back(
		    tr(lang, "events.ram",
		       {{"gib", fmt::format("{:.1f}", static_cast<double>(*(*latest)->report.memory.total) /
		                                          (1024.0 * 1024 * 1024))}}));
	std::string line;
	for (const auto& p : parts)
		line += (line.empty() ? "" : ", ") + p;
	return escape_html(line);
}

} // namespace

size_t EventNotices::step() {
	auto events = store_.unhandled_events(500);
	if (!events.ok()) {
		log::warn("bot: cannot read events: {}", events.error().message);
		return 0;
	}
	size_t queued = 0;
	for (const store::Event& e : *events) {
		bool first = e.kind == store::kEventServerFirstReport;
		if (!first && e.kind != store::kEventServerDeletedUnused)
			continue;
		if (e.owner_chat) {
			Lang lang = chat_locale(store_, *e.owner_chat).lang;
			std::string name = escape_html(e.server_name);
			Reply r;
			r.chat_id = *e.owner_chat;
			r.dedupe_key = fmt::format("event:{}", e.id);
			if (first) {
				std::string facts = e.server_id ? host_line(store_, *e.server_id, lang) : "";
				r.text = facts.empty() ? tr(lang, "events.first_report_bare", {{"name", name}})
				                       : tr(lang, "events.first_report", {{"name", name}, {"facts", facts}});
			} else {
				r.text = tr(lang, "events.removed_unused",
				            {{"name", name}, {"minutes", std::to_string(unused_after_.count())}});
			}
			r.handled_event = e.id; // marked in the transaction that queues the message
			out_.send(std::move(r));
			++queued;
			continue;
		}
		if (auto m = store_.mark_event_handled(e.id, clock_.unix_millis()); !m.ok())
			log::warn("bot: cannot mark event {} handled: {}", e.id, m.error().message);
	}
	return queued;
}

} // namespace serversan::bot
