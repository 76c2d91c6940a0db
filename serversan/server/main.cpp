// serversan-server: one binary, several roles (`serve`), plus the admin commands that act on
// the store directly (`server add`, `db migrate`...). This file only wires parts together.
#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <map>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "serversan/core/clock.h"
#include "serversan/core/config.h"
#include "serversan/core/log.h"
#include "serversan/core/token.h"
#include "serversan/server/ingest/http_listener.h"
#include "serversan/server/ingest/ingest_service.h"
#include "serversan/server/store/store.h"

using namespace serversan;

namespace {

// Every setting: TOML file, then SERVERSAN_SERVER_* variables, then flags (config.h).
ConfigSchema server_schema() {
	ConfigSchema s;
	s.add_string("data_dir", "/var/lib/serversan", "Data directory (database, keys)").flag("--data-dir");
	s.add_string("log_level", "info", "Log level")
	    .one_of({"debug", "info", "warn", "error"})
	    .flag("--log-level");
	s.add_string("public_url", "http://127.0.0.1:8080", "URL agents use to reach this server (install lines)")
	    .flag("--url");
	s.add_string("ingest.listen", "127.0.0.1:8080", "ADDRESS:PORT of the report endpoint").flag("--listen");
	s.add_int("ingest.threads", 2, "HTTP worker threads", 1, 64).flag("--threads");
	s.add_duration("ingest.agent_interval", 0, "Reporting interval suggested to agents (0: theirs)", 0, 3600)
	    .flag("--agent-interval");
	s.add_duration("ingest.timestamp_window", 300, "Accepted clock difference of signed requests", 30, 900);
	s.add_bytes("ingest.max_body", 1 << 20, "Largest request body on the wire", 4096, 64 << 20);
	s.add_int("ingest.max_connections", 10000, "Concurrent connections", 1, 1000000);
	return s;
}

struct Common {
	std::string data_dir;
	std::string log_level;
};

std::string db_path(const Common& c) {
	return (std::filesystem::path(c.data_dir) / "serversan.db").string();
}

Result<std::unique_ptr<store::Store>> open_store(const Common& c) {
	std::error_code ec;
	std::filesystem::create_directories(c.data_dir, ec);
	if (ec)
		return Err(fmt::format("cannot create data directory {}: {}", c.data_dir, ec.message()));
	return store::open_sqlite_store(db_path(c));
}

int fail(const std::string& message) {
	std::cerr << "serversan-server: " << message << "\n";
	return 1;
}

std::string install_line(const std::string& url, const std::string& token) {
	return fmt::format("curl -fsSL {}/install.sh | sudo sh -s -- {} {}", url, token, url);
}

std::atomic<int> g_signal{0};
extern "C" void on_signal(int sig) {
	g_signal.store(sig);
}

int serve(const Common& c, const Config& cfg, const std::string& roles) {
	for (std::string_view role : {std::string_view(roles)}) {
		if (role != "ingest" && role != "all")
			return fail(
			    fmt::format("role \"{}\" is not available in this build yet (available: ingest)", role));
	}
	auto store = open_store(c);
	if (!store.ok())
		return fail(store.error().message);
	ingest::IngestOptions io;
	io.interval_s = cfg.get_duration_s("ingest.agent_interval");
	io.timestamp_window_s = static_cast<int64_t>(cfg.get_duration_s("ingest.timestamp_window"));
	io.max_body_bytes = cfg.get_bytes("ingest.max_body");
	ingest::IngestService service(**store, SystemClock::instance(), io);

	ingest::HttpOptions ho;
	const std::string& listen = cfg.get_string("ingest.listen");
	size_t colon = listen.rfind(':');
	if (colon == std::string::npos)
		return fail(fmt::format("ingest.listen wants ADDRESS:PORT, got \"{}\"", listen));
	ho.address = listen.substr(0, colon);
	if (ho.address.size() > 2 && ho.address.front() == '[' && ho.address.back() == ']')
		ho.address = ho.address.substr(1, ho.address.size() - 2);
	try {
		size_t used = 0;
		int port = std::stoi(listen.substr(colon + 1), &used);
		if (port < 0 || port > 65535 || used != listen.size() - colon - 1)
			throw std::out_of_range("port");
		ho.port = static_cast<uint16_t>(port);
	} catch (const std::exception&) {
		return fail(fmt::format("bad port in ingest.listen \"{}\"", listen));
	}
	ho.threads = static_cast<int>(cfg.get_int("ingest.threads"));
	ho.max_connections = static_cast<size_t>(cfg.get_int("ingest.max_connections"));
	ingest::HttpServer http(service, ho);
	if (auto r = http.start(); !r.ok())
		return fail(r.error().message);
	log::info("serversan-server {} listening on {}:{} (data in {})", SERVERSAN_VERSION, ho.address,
	          http.port(), c.data_dir);

	std::signal(SIGINT, on_signal);
	std::signal(SIGTERM, on_signal);
	while (g_signal.load() == 0)
		std::this_thread::sleep_for(std::chrono::milliseconds(100));
	log::info("shutting down (signal {})", g_signal.load());
	http.stop();
	return 0;
}

} // namespace

int main(int argc, char** argv) {
	CLI::App app{"ServerSan server: report ingest, store, bot, alerts, dashboard"};
	app.require_subcommand(1);
	app.set_version_flag("--version", std::string("serversan-server ") + SERVERSAN_VERSION);
	// Flags are kept as text and handed to the config loader, which parses and range-checks
	// them like file and environment values, so every layer gets the same errors.
	ConfigSchema schema = server_schema();
	std::string config_file;
	app.add_option("--config", config_file,
	               "TOML config file (default /etc/serversan/server.toml if present)");
	std::map<std::string, std::string> flag_values;
	auto flag = [&](CLI::App* on, const std::string& key, const std::string& help) {
		const ConfigKey* k = schema.find(key);
		on->add_option_function<std::string>(
		    k->flag, [&flag_values, key](const std::string& v) { flag_values[key] = v; }, help);
	};
	flag(&app, "data_dir", "Data directory (database, keys)");
	flag(&app, "log_level", "debug, info, warn, error");

	auto* serve_cmd = app.add_subcommand("serve", "Run the server");
	std::string roles = "all";
	flag(serve_cmd, "ingest.listen", "ADDRESS:PORT for the report endpoint (default 127.0.0.1:8080)");
	flag(serve_cmd, "ingest.threads", "HTTP worker threads (default 2)");
	flag(serve_cmd, "ingest.agent_interval", "Reporting interval to suggest to agents (0 = theirs)");
	serve_cmd->add_option("--roles", roles, "Roles to run")->capture_default_str();

	auto* config_cmd =
	    app.add_subcommand("config", "Show the effective configuration and where each value comes from");

	auto* server_cmd = app.add_subcommand("server", "Manage watched servers");
	server_cmd->require_subcommand(1);
	auto* add_cmd = server_cmd->add_subcommand("add", "Add a server and print its agent token");
	std::string name;
	std::optional<int64_t> owner;
	bool token_only = false;
	add_cmd->add_option("--name", name, "Display name")->required();
	add_cmd->add_option("--owner", owner, "Telegram chat id of the owner");
	flag(add_cmd, "public_url", "Public URL of this server, for the install line");
	add_cmd->add_flag("--token-only", token_only, "Print only the token");
	auto* list_cmd = server_cmd->add_subcommand("list", "List servers");
	auto* show_cmd = server_cmd->add_subcommand("show", "Show one server");
	uint64_t show_id = 0;
	show_cmd->add_option("id", show_id, "Server id")->required();
	auto* delete_cmd = server_cmd->add_subcommand("delete", "Delete a server and all its data");
	uint64_t id = 0;
	delete_cmd->add_option("id", id, "Server id")->required();
	auto* rotate_cmd =
	    server_cmd->add_subcommand("rotate-token", "Issue a new token; the old one stops working at once");
	rotate_cmd->add_option("id", id, "Server id")->required();
	rotate_cmd->add_flag("--token-only", token_only, "Print only the token");

	auto* db_cmd = app.add_subcommand("db", "Database maintenance");
	db_cmd->require_subcommand(1);
	auto* migrate_cmd = db_cmd->add_subcommand("migrate", "Apply pending schema migrations");

	try {
		app.parse(argc, argv);
	} catch (const CLI::ParseError& e) {
		return app.exit(e);
	}
	ConfigSources sources;
	sources.file = config_file.empty() ? "/etc/serversan/server.toml" : config_file;
	sources.file_required = !config_file.empty();
	sources.env = process_environment();
	sources.env_prefix = "SERVERSAN_SERVER_";
	for (const auto& [key, value] : flag_values)
		sources.flags.push_back({key, value, ""});
	auto cfg = load_config(schema, sources);
	if (!cfg.ok())
		return fail(cfg.error().message);
	Common common{cfg->get_string("data_dir"), cfg->get_string("log_level")};
	log::Level lvl;
	log::parse_level(common.log_level, lvl);
	log::set_level(lvl);

	if (config_cmd->parsed()) {
		std::cout << cfg->dump();
		return 0;
	}
	if (serve_cmd->parsed())
		return serve(common, *cfg, roles);

	auto store = open_store(common);
	if (!store.ok())
		return fail(store.error().message);
	const Clock& clock = SystemClock::instance();

	if (add_cmd->parsed()) {
		if (name.empty() || name.size() > 64)
			return fail("--name must be 1 to 64 characters");
		// The id is not known before the insert, so insert with a placeholder key and set the
		// real one at once; the placeholder is random too, so no window accepts a known key.
		AgentToken placeholder = generate_token(1);
		auto new_id =
		    (*store)->create_server(owner, name, derive_signing_key(placeholder), clock.unix_millis());
		if (!new_id.ok())
			return fail(new_id.error().message);
		AgentToken token = generate_token(*new_id);
		if (auto r = (*store)->set_signing_key(*new_id, derive_signing_key(token)); !r.ok())
			return fail(r.error().message);
		std::string text = format_token(token);
		if (token_only) {
			std::cout << text << "\n";
		} else {
			std::cout << fmt::format("Server {} \"{}\" added.\nToken (shown once; keep it secret):\n  {}\n"
			                         "Install the agent on that machine with:\n  {}\n",
			                         *new_id, name, text, install_line(cfg->get_string("public_url"), text));
		}
		return 0;
	}
	auto last_seen = [&](const store::ServerRecord& s) {
		return s.last_seen_ms ? fmt::format("{} s ago", (clock.unix_millis() - *s.last_seen_ms) / 1000)
		                      : std::string("never");
	};
	if (list_cmd->parsed()) {
		auto servers = (*store)->list_servers();
		if (!servers.ok())
			return fail(servers.error().message);
		std::cout << fmt::format("{:>6}  {:<24} {:>14}  {:<10} {:>9}  {}\n", "ID", "NAME", "OWNER", "AGENT",
		                         "REPORTS", "LAST SEEN");
		for (const auto& s : *servers) {
			auto n = (*store)->count_samples(s.id);
			std::cout << fmt::format("{:>6}  {:<24} {:>14}  {:<10} {:>9}  {}\n", s.id, s.name,
			                         s.owner_chat ? std::to_string(*s.owner_chat) : "-",
			                         s.agent_version.empty() ? "-" : s.agent_version, n.ok() ? *n : 0,
			                         last_seen(s));
		}
		return 0;
	}
	if (show_cmd->parsed()) {
		auto s = (*store)->find_server(show_id);
		if (!s.ok())
			return fail(s.error().message);
		if (!*s)
			return fail(fmt::format("no server with id {}", show_id));
		auto n = (*store)->count_samples(show_id);
		if (!n.ok())
			return fail(n.error().message);
		const auto& r = **s;
		std::cout << fmt::format("id: {}\nname: {}\nowner: {}\nagent: {}\nreports: {}\nlast seen: {}\n", r.id,
		                         r.name, r.owner_chat ? std::to_string(*r.owner_chat) : "-",
		                         r.agent_version.empty() ? "-" : r.agent_version, *n, last_seen(r));
		return 0;
	}
	if (delete_cmd->parsed()) {
		auto r = (*store)->delete_server(id);
		if (!r.ok())
			return fail(r.error().message);
		if (!*r)
			return fail(fmt::format("no server with id {}", id));
		std::cout << fmt::format("Server {} deleted.\n", id);
		return 0;
	}
	if (rotate_cmd->parsed()) {
		if (id == 0 || id > kMaxServerId)
			return fail(fmt::format("no server with id {}", id));
		AgentToken token = generate_token(id);
		auto r = (*store)->set_signing_key(id, derive_signing_key(token));
		if (!r.ok())
			return fail(r.error().message);
		if (!*r)
			return fail(fmt::format("no server with id {}", id));
		std::cout << (token_only
		                  ? format_token(token) + "\n"
		                  : fmt::format("New token for server {} (the old one no longer works):\n  {}\n", id,
		                                format_token(token)));
		return 0;
	}
	if (migrate_cmd->parsed()) {
		auto v = (*store)->schema_version();
		if (!v.ok())
			return fail(v.error().message);
		std::cout << fmt::format("Database {} is at schema version {}.\n", db_path(common), *v);
		return 0;
	}
	return 0;
}
