#include "serversan/server/bot/commands/admin_gate.h"

#include <iterator>

#include <fmt/format.h>

#include "serversan/core/ascii.h"
#include "serversan/core/encoding.h"
#include "serversan/server/bot/html.h"

namespace serversan::bot::commands {

Result<bool> admin_gate(Context& ctx, std::string_view permission) {
	auto role = ctx.role();
	if (!role.ok())
		return role.error();
	if (!role->allows(permission)) {
		// As the dispatcher answers a command it does not know: a stale button, "Unknown command"
		// in private or when named, silence for a bare command in a group.
		if (ctx.is_callback())
			ctx.answer(ctx.t("chat.stale_button"));
		else if (ctx.private_chat || ctx.named)
			ctx.reply(ctx.t("chat.unknown_command"));
		return false;
	}
	if (!ctx.private_chat) {
		ctx.notice(ctx.t("admin.private_only"));
		return false;
	}
	return true;
}

Handler admin_only(std::string_view permission, Handler h) {
	return [permission = std::string(permission), h = std::move(h)](Context& ctx) -> Result<void> {
		auto pass = admin_gate(ctx, permission);
		if (!pass.ok())
			return pass.error();
		return *pass ? h(ctx) : Ok();
	};
}

std::string user_label(const store::User& u) {
	std::string out;
	if (!u.display_name.empty())
		fmt::format_to(std::back_inserter(out), "<b>{}</b> ", escape_html(u.display_name));
	if (!u.username.empty())
		fmt::format_to(std::back_inserter(out), "@{} ", escape_html(u.username));
	// A user with neither name nor username is just their id.
	fmt::format_to(std::back_inserter(out), "{}<code>{}</code>", out.empty() ? "" : "· ", u.telegram_id);
	return out;
}

Result<std::optional<store::User>> find_user_ref(store::Store& store, std::string_view ref) {
	if (!ref.empty() && ref[0] == '@') {
		auto users = store.list_users();
		if (!users.ok())
			return users.error();
		for (auto& u : *users)
			if (!u.username.empty() && equal_ascii_ci(u.username, ref.substr(1)))
				return std::optional<store::User>(std::move(u));
		return std::optional<store::User>{};
	}
	auto id = parse_u64(ref);
	if (!id || *id > static_cast<uint64_t>(INT64_MAX))
		return std::optional<store::User>{};
	return store.find_user(static_cast<int64_t>(*id));
}

} // namespace serversan::bot::commands
