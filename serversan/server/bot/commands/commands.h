// The commands and buttons of this slice, one file each under bot/commands/; each adds its
// command, buttons and dialog steps to the router. Shared pieces (picking a server by button or
// by typed name, the access refusals) are in server_pick.h.
#pragma once

#include "serversan/server/bot/context.h"
#include "serversan/server/bot/router.h"

namespace serversan::bot::commands {

void add_start(Router& r);
void add_help(Router& r);
void add_cancel(Router& r);
void add_language(Router& r);
void add_timezone(Router& r);
void add_add(Router& r);
void add_list(Router& r);
void add_stat(Router& r);
void add_chart(Router& r);
void add_delete(Router& r);
void add_rename(Router& r);
void add_reinstall(Router& r);
void add_notify(Router& r);
void add_threshold(Router& r);
void add_web(Router& r);
void add_tag(Router& r);
void add_route(Router& r);
// The admin commands (admin_gate.h).
void add_users(Router& r);
void add_ban(Router& r);
void add_broadcast(Router& r);
void add_fleet(Router& r);
void add_alert_buttons(Router& r);

// Where server's alerts go, in words for this chat (route.cpp): /route, /stat and /threshold.
std::string route_where(const Context& ctx, const store::ServerRecord& s);

inline void add_all(Router& r) {
	add_start(r);
	add_help(r);
	add_cancel(r);
	add_language(r);
	add_timezone(r);
	add_add(r);
	add_list(r);
	add_stat(r);
	add_chart(r);
	add_delete(r);
	add_rename(r);
	add_reinstall(r);
	add_notify(r);
	add_threshold(r);
	add_web(r);
	add_tag(r);
	add_route(r);
	add_users(r);
	add_ban(r);
	add_broadcast(r);
	add_fleet(r);
	add_alert_buttons(r);
}

} // namespace serversan::bot::commands
