// /servers: the list with latest values, one server's detail, add (the install line), rename,
// delete and a new agent token. Names follow the bot's rules (fleet/server_name.h).
#include "serversan/server/fleet/ownership.h"
#include "serversan/server/fleet/server_name.h"
#include "serversan/server/store/install_line.h"
#include "serversan/server/web/api_endpoints.h"
#include "serversan/server/web/server_json.h"

namespace serversan::web {

namespace {

// The name from the body, trimmed and checked, or why not.
std::variant<std::string, ApiError> body_name(const ApiRequest& r) {
	if (!r.body.contains("name") || !r.body["name"].is_string())
		return bad_request("name is required");
	std::string name = fleet::trim_name(r.body["name"].get<std::string>());
	switch (fleet::check_server_name(name)) {
	case fleet::NameProblem::none:
		return name;
	case fleet::NameProblem::empty:
		return bad_request("the name is empty");
	case fleet::NameProblem::too_long:
		return bad_request("the name is longer than 64 characters");
	case fleet::NameProblem::bad_characters:
		break;
	}
	return bad_request("the name has characters a name cannot have");
}

// May this user add servers? The console operator always; a Telegram user by role, as /add.
Result<bool> may_add(store::Store& store, const Principal& who) {
	if (who.user_id == fleet::kConsoleOperator)
		return true;
	auto user = store.find_user(who.user_id);
	if (!user.ok())
		return user.error();
	if (!*user)
		return false;
	auto roles = store.list_roles();
	if (!roles.ok())
		return roles.error();
	for (const store::Role& role : *roles)
		if (role.name == (*user)->role)
			return role.allows(store::kPermAddServers);
	return false;
}

nlohmann::json with_group(nlohmann::json server, const fleet::UserServer& s) {
	server["group"] = group_json(s);
	return server;
}

} // namespace

void add_server_endpoints(ApiRouter& router, const ApiDeps& deps) {
	router.add("GET", "/servers", [deps](const ApiRequest& r) -> ApiAnswer {
		auto servers = visible_servers(deps, r.who);
		if (!servers.ok())
			return internal(servers.error());
		std::vector<store::ServerRecord> records;
		for (const fleet::UserServer& s : *servers)
			records.push_back(s.server);
		auto views = load_views(*deps.store, std::move(records));
		if (!views.ok())
			return internal(views.error());
		nlohmann::json list = nlohmann::json::array();
		for (size_t i = 0; i < views->size(); ++i)
			list.push_back(with_group(server_summary((*views)[i], r.now_ms), (*servers)[i]));
		return json_response({{"servers", std::move(list)}, {"now_ms", r.now_ms}});
	});

	router.add("GET", "/servers/{id}", [deps](const ApiRequest& r) -> ApiAnswer {
		auto s = owned(deps, r.who, r.params.at("id"));
		if (auto* e = std::get_if<ApiError>(&s))
			return *e;
		const fleet::UserServer& us = std::get<fleet::UserServer>(s);
		auto view = load_view(*deps.store, us.server);
		if (!view.ok())
			return internal(view.error());
		return json_response(with_group(server_detail(*view, r.now_ms), us));
	});

	router.add("POST", "/servers", [deps](const ApiRequest& r) -> ApiAnswer {
		auto name = body_name(r);
		if (auto* e = std::get_if<ApiError>(&name))
			return *e;
		// Only the user's own chat: a group's servers are added from the group (its admins).
		if (r.body.contains("chat_id") && !r.body["chat_id"].is_null() &&
		    r.body["chat_id"].get<int64_t>() != r.who.user_id)
			return forbidden("servers of a group are added in the group");
		auto allowed = may_add(*deps.store, r.who);
		if (!allowed.ok())
			return internal(allowed.error());
		if (!*allowed)
			return forbidden("your role may not add servers");
		std::optional<int64_t> owner;
		if (r.who.user_id != fleet::kConsoleOperator)
			owner = r.who.user_id;
		auto e = store::enroll_server(*deps.store, owner, std::get<std::string>(name), r.now_ms);
		if (!e.ok())
			return internal(e.error());
		auto s = fleet::owned_server(*deps.store, r.who.user_id, e->server_id);
		if (!s.ok() || !*s)
			return internal(s.ok() ? Error{"the new server vanished"} : s.error());
		auto view = load_view(*deps.store, std::move(**s));
		if (!view.ok())
			return internal(view.error());
		return json_response({{"server", with_group(server_summary(*view, r.now_ms), fleet::UserServer{})},
		                      {"install", store::install_line(deps.public_url, e->token)}},
		                     201);
	});

	router.add("PATCH", "/servers/{id}", [deps](const ApiRequest& r) -> ApiAnswer {
		auto s = owned(deps, r.who, r.params.at("id"), fleet::UserAction::change);
		if (auto* e = std::get_if<ApiError>(&s))
			return *e;
		auto name = body_name(r);
		if (auto* e = std::get_if<ApiError>(&name))
			return *e;
		fleet::UserServer& us = std::get<fleet::UserServer>(s);
		auto done = deps.store->rename_server(us.server.id, std::get<std::string>(name));
		if (!done.ok())
			return internal(done.error());
		if (!*done)
			return not_found();
		us.server.name = std::get<std::string>(name);
		auto view = load_view(*deps.store, us.server);
		if (!view.ok())
			return internal(view.error());
		return json_response(with_group(server_summary(*view, r.now_ms), us));
	});

	router.add("DELETE", "/servers/{id}", [deps](const ApiRequest& r) -> ApiAnswer {
		auto s = owned(deps, r.who, r.params.at("id"), fleet::UserAction::remove);
		if (auto* e = std::get_if<ApiError>(&s))
			return *e;
		auto done = deps.store->delete_server(std::get<fleet::UserServer>(s).server.id);
		if (!done.ok())
			return internal(done.error());
		return json_response(nlohmann::json::object());
	});

	router.add("POST", "/servers/{id}/token", [deps](const ApiRequest& r) -> ApiAnswer {
		auto s = owned(deps, r.who, r.params.at("id"), fleet::UserAction::remove);
		if (auto* e = std::get_if<ApiError>(&s))
			return *e;
		auto token = store::rotate_token(*deps.store, std::get<fleet::UserServer>(s).server.id);
		if (!token.ok())
			return internal(token.error());
		if (!*token)
			return not_found();
		return json_response({{"install", store::install_line(deps.public_url, **token)}});
	});
}

} // namespace serversan::web
