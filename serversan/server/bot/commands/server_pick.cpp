#include "serversan/server/bot/commands/server_pick.h"

#include <algorithm>
#include <charconv>

#include "serversan/core/ascii.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/bot/server_name.h"

namespace serversan::bot::commands {

namespace {

constexpr size_t kMaxPickButtons = 98; // and Cancel: under Telegram's 100 buttons

std::optional<uint64_t> parse_id(std::string_view s) {
	uint64_t id = 0;
	auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
	if (ec != std::errc{} || end != s.data() + s.size() || s.empty() || id == 0)
		return std::nullopt;
	return id;
}

Result<std::optional<store::ServerRecord>> checked(Context& ctx, uint64_t id, Action action) {
	auto who = actor_of(ctx);
	if (!who.ok())
		return who.error();
	auto a = access_server(ctx.s.store, ctx.s.admins, *who, id, action);
	if (!a.ok())
		return a.error();
	if (a->verdict == Verdict::admins_only)
		ctx.notice(ctx.t("servers.admins_only"));
	else if (a->verdict == Verdict::hidden)
		ctx.notice(ctx.t("servers.not_found"));
	return std::move(a->server);
}

} // namespace

Result<Actor> actor_of(Context& ctx) {
	auto role = ctx.role();
	if (!role.ok())
		return role.error();
	return Actor{ctx.chat_id, ctx.user_id(), ctx.private_chat, role->allows(store::kPermAllServers)};
}

Result<bool> may_change_chat(Context& ctx) {
	auto who = actor_of(ctx);
	if (!who.ok())
		return who.error();
	auto verdict = check_chat_change(ctx.s.admins, *who);
	if (!verdict.ok())
		return verdict.error();
	if (*verdict != Verdict::allowed)
		ctx.notice(ctx.t("servers.admins_only"));
	return *verdict == Verdict::allowed;
}

Result<std::optional<store::ServerRecord>> pick_routable(Context& ctx, std::string_view ref) {
	// Among the user's own servers, not the chat's: the server is not the group's.
	auto mine = ctx.s.store.servers_of(ctx.user_id());
	if (!mine.ok())
		return mine.error();
	auto actor = actor_of(ctx);
	if (!actor.ok())
		return actor.error();
	for (auto& s : *mine) {
		if (std::to_string(s.id) != ref && !equal_ascii_ci(s.name, ref))
			continue;
		auto v = check_route(ctx.s.admins, *actor, s);
		if (!v.ok())
			return v.error();
		if (*v == Verdict::allowed)
			return std::optional<store::ServerRecord>(std::move(s));
		break;
	}
	ctx.reply(ctx.t("route.not_yours", {{"ref", escape_html(ref)}}));
	return std::optional<store::ServerRecord>{};
}

Result<std::optional<store::ServerRecord>> pick_by_id(Context& ctx, std::string_view id, Action action) {
	auto n = parse_id(id);
	if (!n) {
		ctx.notice(ctx.t("servers.not_found"));
		return std::optional<store::ServerRecord>{};
	}
	return checked(ctx, *n, action);
}

Result<std::optional<store::ServerRecord>> pick_typed(Context& ctx, std::string_view ref, Action action) {
	if (parse_id(ref))
		return pick_by_id(ctx, ref, action);
	auto servers = ctx.s.store.servers_of(ctx.chat_id);
	if (!servers.ok())
		return servers.error();
	for (const auto& s : *servers)
		if (equal_ascii_ci(s.name, ref))
			return checked(ctx, s.id, action);
	ctx.notice(ctx.t("servers.not_found"));
	return std::optional<store::ServerRecord>{};
}

Result<void> ask_server(Context& ctx, std::string_view prefix, std::string_view prompt_key) {
	auto servers = ctx.s.store.servers_of(ctx.chat_id);
	if (!servers.ok())
		return servers.error();
	if (servers->empty()) {
		ctx.show(ctx.t("servers.none"));
		return Ok();
	}
	// Two buttons a row: names fit a phone's width, and 50 servers stay 25 rows. Telegram takes
	// at most 100 buttons in a keyboard; past that the rest are reached by typing the name.
	telegram::InlineKeyboard kb;
	size_t shown = std::min(servers->size(), kMaxPickButtons);
	for (size_t i = 0; i < shown; ++i) {
		if (kb.empty() || kb.back().size() == 2)
			kb.emplace_back();
		kb.back().push_back({sanitize_utf8((*servers)[i].name), button_data(prefix, (*servers)[i].id), {}});
	}
	kb.push_back({{ctx.t("common.cancel"), "x", {}}});
	std::string text = ctx.t(prompt_key);
	if (shown < servers->size())
		text.append("\n").append(ctx.t("servers.pick_more", {{"n", std::to_string(shown)}}));
	ctx.show(std::move(text), std::move(kb));
	return Ok();
}

std::optional<std::string> accept_name(Context& ctx, std::string_view typed) {
	std::string name = trim_name(typed);
	switch (check_server_name(name)) {
	case NameProblem::none:
		return name;
	case NameProblem::empty:
		ctx.reply(ctx.t("servers.name_empty"));
		break;
	case NameProblem::too_long:
		ctx.reply(ctx.t("servers.name_too_long"));
		break;
	case NameProblem::bad_characters:
		ctx.reply(ctx.t("servers.name_bad"));
		break;
	}
	return std::nullopt;
}

std::string button_data(std::string_view prefix, uint64_t id) {
	return std::string(prefix) + ":" + std::to_string(id);
}

Result<void> with_typed_server(Context& ctx, std::string_view ref, std::string_view prefix,
                               std::string_view prompt_key, Action action, const ServerAction& act) {
	if (ref.empty())
		return ask_server(ctx, prefix, prompt_key);
	auto server = pick_typed(ctx, ref, action);
	if (!server.ok())
		return server.error();
	return *server ? act(ctx, **server) : Ok();
}

Handler server_button(Action action, ServerAction act) {
	return [action, act = std::move(act)](Context& ctx) -> Result<void> {
		auto server = pick_by_id(ctx, ctx.rest, action);
		if (!server.ok())
			return server.error();
		return *server ? act(ctx, **server) : Ok();
	};
}

void ask_confirm(Context& ctx, const store::ServerRecord& server, std::string_view text_key,
                 std::string_view yes_key, std::string_view prefix) {
	telegram::InlineKeyboard kb{
	    {{ctx.t(yes_key), button_data(prefix, server.id), {}}, {ctx.t("common.cancel"), "x", {}}}};
	ctx.show(ctx.t(text_key, {{"name", escape_html(server.name)}}), std::move(kb));
}

} // namespace serversan::bot::commands
