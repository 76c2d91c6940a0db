// /tag: server tags. "/tag SERVER db prod" adds tags, "/tag SERVER -prod" removes one (a '#'
// before a tag is allowed), "/tag" lists the chat's servers by tag. Changing a server's tags is
// changing the server (access.h Action::change); the store checks the words and the limit again.
#include <algorithm>
#include <map>

#include "serversan/core/ascii.h"
#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/commands/server_pick.h"
#include "serversan/server/bot/html.h"

namespace serversan::bot::commands {

namespace {

std::string joined(const std::vector<std::string>& words, std::string_view prefix) {
	std::string out;
	for (const auto& w : words)
		out.append(out.empty() ? "" : ", ").append(prefix).append(escape_html(w));
	return out;
}

Result<void> list_tags(Context& ctx) {
	auto servers = ctx.s.store.servers_of(ctx.chat_id);
	if (!servers.ok())
		return servers.error();
	auto tags = ctx.s.store.chat_server_tags(ctx.chat_id);
	if (!tags.ok())
		return tags.error();
	if (tags->empty()) {
		ctx.reply(ctx.t("tag.list_empty"));
		return Ok();
	}
	std::map<uint64_t, std::string> names;
	for (const auto& s : *servers)
		names[s.id] = s.name;
	std::map<std::string, std::vector<std::string>> by_tag;
	std::vector<uint64_t> tagged;
	for (const auto& t : *tags) {
		by_tag[t.tag].push_back(names[t.server_id]);
		tagged.push_back(t.server_id);
	}
	std::string text = ctx.t("tag.list_title");
	for (auto& [tag, list] : by_tag) {
		std::sort(list.begin(), list.end());
		text.append("\n").append(
		    ctx.t("tag.list_line", {{"tag", escape_html(tag)}, {"names", joined(list, "")}}));
	}
	std::vector<std::string> untagged;
	for (const auto& s : *servers)
		if (std::find(tagged.begin(), tagged.end(), s.id) == tagged.end())
			untagged.push_back(s.name);
	if (!untagged.empty())
		text.append("\n").append(ctx.t("tag.untagged", {{"names", joined(untagged, "")}}));
	ctx.reply(std::move(text));
	return Ok();
}

Result<void> change_tags(Context& ctx, const store::ServerRecord& s, const std::vector<std::string>& words) {
	auto now = ctx.s.store.server_tags(s.id);
	if (!now.ok())
		return now.error();
	std::vector<std::string> tags = *now;
	for (std::string w : words) {
		bool remove = !w.empty() && w.front() == '-';
		if (remove)
			w.erase(0, 1);
		if (!w.empty() && w.front() == '#')
			w.erase(0, 1);
		std::transform(w.begin(), w.end(), w.begin(), [](char c) { return ascii_lower(c); });
		if (!store::valid_server_tag(w)) {
			ctx.reply(ctx.t("tag.bad", {{"tag", escape_html(w)}}));
			return Ok();
		}
		auto at = std::find(tags.begin(), tags.end(), w);
		if (remove && at != tags.end())
			tags.erase(at);
		else if (!remove && at == tags.end())
			tags.push_back(w);
	}
	if (tags.size() > store::kMaxServerTags) {
		ctx.reply(ctx.t("tag.too_many"));
		return Ok();
	}
	auto done = ctx.s.store.set_server_tags(s.id, tags);
	if (!done.ok())
		return done.error();
	std::sort(tags.begin(), tags.end());
	if (ctx.s.settings.rules_changed) // an engine in this process: tag rules follow at once
		ctx.s.settings.rules_changed();
	ctx.reply(ctx.t("tag.done", {{"name", escape_html(s.name)},
	                             {"tags", tags.empty() ? ctx.t("tag.none") : joined(tags, "#")}}));
	return Ok();
}

} // namespace

void add_tag(Router& r) {
	r.on_command("tag", [](Context& ctx) -> Result<void> {
		if (ctx.args.empty())
			return list_tags(ctx);
		if (ctx.args.size() == 1) {
			ctx.reply(ctx.t("tag.usage"));
			return Ok();
		}
		auto server = pick_typed(ctx, ctx.args[0], Action::change);
		if (!server.ok())
			return server.error();
		if (!*server)
			return Ok();
		return change_tags(ctx, **server, {ctx.args.begin() + 1, ctx.args.end()});
	});
}

} // namespace serversan::bot::commands
