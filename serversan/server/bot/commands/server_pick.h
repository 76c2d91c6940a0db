// Picking a server, the same way for every command: by a button ("prefix:<id>") or by what the
// user typed (an id or a name of this chat's servers). Every path ends in access_server(), and a
// refusal is told to the user here (one wording for "not here" and "admins only"), so handlers
// only see servers they may act on.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "serversan/server/bot/access.h"
#include "serversan/server/bot/context.h"
#include "serversan/server/bot/router.h"

namespace serversan::bot::commands {

Result<Actor> actor_of(Context& ctx);
// May this user change the chat's own settings (check_chat_change)? A refusal is told to them.
Result<bool> may_change_chat(Context& ctx);
// An id as text ("42"): the server if the user may do action on it; otherwise tells them why.
Result<std::optional<store::ServerRecord>> pick_by_id(Context& ctx, std::string_view id, Action action);
// A typed reference: an id, or the name of one of this chat's servers (any case).
Result<std::optional<store::ServerRecord>> pick_typed(Context& ctx, std::string_view ref, Action action);
// One of the user's own servers (an id or a name, any case) whose alerts they may send to this
// chat (check_route: the owner, from any chat they are in; /route and /threshold ... here). A
// refusal is told to them, the same for "no such server" and "not yours".
Result<std::optional<store::ServerRecord>> pick_routable(Context& ctx, std::string_view ref);
// Asks which server, with one button per server of this chat ("prefix:<id>"); or says there
// are none.
Result<void> ask_server(Context& ctx, std::string_view prefix, std::string_view prompt_key);
using ServerAction = std::function<Result<void>(Context&, const store::ServerRecord&)>;
// A command taking an optional server: with a typed reference (ref: an id or a name, which may
// contain spaces) that server, else buttons "prefix:<id>" under prompt_key; then act on it.
Result<void> with_typed_server(Context& ctx, std::string_view ref, std::string_view prefix,
                               std::string_view prompt_key, Action action, const ServerAction& act);
// The handler of the buttons "prefix:<id>": re-checks the id, then acts.
Handler server_button(Action action, ServerAction act);
// Asks to confirm an irreversible step on server: text_key with {name}, a yes button sending
// "prefix:<id>" and a cancel button.
void ask_confirm(Context& ctx, const store::ServerRecord& server, std::string_view text_key,
                 std::string_view yes_key, std::string_view prefix);

// A typed name trimmed and checked (server_name.h); a refused one is explained to the user.
std::optional<std::string> accept_name(Context& ctx, std::string_view typed);

// "prefix:<id>" within Telegram's 64 bytes.
std::string button_data(std::string_view prefix, uint64_t id);

} // namespace serversan::bot::commands
