// The gate in front of every admin command and button: a user whose role lacks the permission
// gets exactly what an unknown command gets (nothing tells them the command exists), and an admin
// in a group is asked to use a private chat, so user lists and fleet figures never land in a
// group. Handlers go on only when it returns true.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "serversan/server/bot/context.h"
#include "serversan/server/bot/router.h"

namespace serversan::bot::commands {

Result<bool> admin_gate(Context& ctx, std::string_view permission);
// h behind the gate: how every admin command and button is registered.
Handler admin_only(std::string_view permission, Handler h);

// A user as admins see them, escaped: "<b>Alice</b> @alice · <code>1001</code>".
std::string user_label(const store::User& user);
// "1001" or "@alice" (any case): the registered user, or nothing.
Result<std::optional<store::User>> find_user_ref(store::Store& store, std::string_view ref);

} // namespace serversan::bot::commands
