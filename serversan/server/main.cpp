// serversan-server: one binary, several roles (`serve --roles`), plus the admin commands that act
// on the store directly (`server add`, `user list`, `db backup`...). This file only wires parts
// together: each part's settings, behaviour and output live in its own folder.
#include <atomic>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "serversan/core/clock.h"
#include "serversan/core/config.h"
#include "serversan/core/log.h"
#include "serversan/server/admin/admin.h"
#include "serversan/server/alerts/alerts_config.h"
#include "serversan/server/alerts/commit_feed.h"
#include "serversan/server/alerts/delivery_gate.h"
#include "serversan/server/alerts/digest.h"
#include "serversan/server/alerts/engine.h"
#include "serversan/server/alerts/forecast_check.h"
#include "serversan/server/bot/bot_config.h"
#include "serversan/server/bot/bot_runtime.h"
#include "serversan/server/ingest/ingest_config.h"
#include "serversan/server/ingest/ingest_server.h"
#include "serversan/server/ingest/test_clock_route.h"
#include "serversan/server/jobs/scheduler.h"
#include "serversan/server/jobs/store_jobs.h"
#include "serversan/server/store/store.h"
#include "serversan/server/web/api.h"
#include "serversan/server/web/auth_routes.h"
#include "serversan/server/web/live_hub.h"
#include "serversan/server/web/session_auth.h"
#include "serversan/server/web/static_site.h"
#include "serversan/server/web/web_config.h"

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
	// Every ingest.* key; flags --listen, --threads, --agent-interval, --tls-cert, --tls-key.
	ingest::add_ingest_config(s);
	// store.* and jobs.* keys.
	admin::add_config_keys(s);
	// bot.* keys; flags --bot-token, --bot-api-url, --bot-mode...
	bot::add_bot_config(s);
	// alerts.* keys; flags --alerts, --alerts-tick, --alerts-forecast, --forecast-horizon, --forecast-window.
	alerts::add_alerts_config(s);
	// web.* keys; flags --web, --web-root...
	web::add_web_config(s);
	return s;
}

struct Common {
	std::string data_dir;
	std::string log_level;
};

std::string db_path(const Common& c) {
	return (std::filesystem::path(c.data_dir) / "serversan.db").string();
}

Result<std::unique_ptr<store::Store>> open_store(const Common& c, const Config& cfg) {
	std::error_code ec;
	std::filesystem::create_directories(c.data_dir, ec);
	if (ec)
		return Err(fmt::format("cannot create data directory {}: {}", c.data_dir, ec.message()));
	return store::open_store(admin::store_options(cfg, c.data_dir));
}

int fail(const std::string& message) {
	std::cerr << "serversan-server: " << message << "\n";
	return 1;
}

std::atomic<int> g_signal{0};
extern "C" void on_signal(int sig) {
	g_signal.store(sig);
}

// "all", or a comma-separated list of the roles this build has. "all" includes the bot only when a
// token is configured.
Result<std::set<std::string>> parse_roles(const std::string& text, bool have_token) {
	static const std::set<std::string> available = {"ingest", "jobs", "bot"};
	static const std::set<std::string> planned = {"web", "charts"};
	std::set<std::string> roles;
	size_t start = 0;
	while (start <= text.size()) {
		size_t comma = text.find(',', start);
		std::string role = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
		if (role == "all") {
			roles.insert(available.begin(), available.end());
			if (!have_token)
				roles.erase("bot");
		} else if (available.contains(role))
			roles.insert(role);
		else if (role == "alerts") // they read what the writer commits, in memory
			return Err("the alerts run inside the ingest role (alerts.enabled); there is no role \"alerts\"");
		else if (planned.contains(role))
			return Err(
			    fmt::format("role \"{}\" is not in this build yet (available: ingest, jobs, bot)", role));
		else
			return Err(fmt::format("unknown role \"{}\" (available: ingest, jobs, bot, all)", role));
		if (comma == std::string::npos)
			break;
		start = comma + 1;
	}
	return roles;
}

// --test-clock START_MS (or SERVERSAN_TEST_CLOCK): the whole server on a ManualClock that only
// POST /test/clock moves (ingest/test_clock_route.h), for end-to-end tests. Empty: the system clock.
Result<std::unique_ptr<ManualClock>> test_clock_from(std::string text) {
	if (text.empty())
		if (const char* env = std::getenv("SERVERSAN_TEST_CLOCK"))
			text = env;
	if (text.empty())
		return std::unique_ptr<ManualClock>();
	int64_t ms = 0;
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
	if (ec != std::errc() || end != text.data() + text.size() || ms <= 0)
		return Err("--test-clock takes the start time in unix milliseconds, got \"" + text + "\"");
	return std::make_unique<ManualClock>(Clock::time_point{std::chrono::milliseconds{ms}});
}

int serve(const Common& c, const Config& cfg, const std::string& roles_text,
          const std::string& test_clock_text) {
	auto bot_cfg = bot::bot_config_from(cfg);
	if (!bot_cfg.ok())
		return fail(bot_cfg.error().message);
	auto roles = parse_roles(roles_text, !bot_cfg->token.empty());
	if (!roles.ok())
		return fail(roles.error().message);
	if (roles->contains("bot") && bot_cfg->token.empty())
		return fail("role bot needs bot.token (or SERVERSAN_SERVER_BOT_TOKEN, --bot-token)");
	auto store = open_store(c, cfg);
	if (!store.ok())
		return fail(store.error().message);
	auto test_clock = test_clock_from(test_clock_text);
	if (!test_clock.ok())
		return fail(test_clock.error().message);
	if (*test_clock)
		log::warn("TEST CLOCK: time stands at {} ms and moves only by POST /test/clock; jobs run only "
		          "then. For tests, never in production.",
		          (*test_clock)->unix_millis());
	const Clock& clock = *test_clock ? static_cast<const Clock&>(**test_clock) : SystemClock::instance();

	// The alerts run where the writer runs: they read each committed group from it (in memory).
	const alerts::AlertsSettings alerts_cfg = alerts::alerts_settings_from(cfg);
	std::unique_ptr<alerts::Engine> engine;
	std::unique_ptr<alerts::CommitFeed> feed;
	if (roles->contains("ingest") && alerts_cfg.enabled) {
		engine = std::make_unique<alerts::Engine>(**store, alerts_cfg.engine,
		                                          alerts::store_delivery_gate(**store));
		if (auto r = engine->load(clock.unix_millis()); !r.ok())
			return fail("alerts: " + r.error().message);
		feed = std::make_unique<alerts::CommitFeed>(*engine, clock);
		feed->start();
	}

	std::unique_ptr<jobs::Scheduler> scheduler;
	if (roles->contains("jobs") || engine)
		scheduler = std::make_unique<jobs::Scheduler>(clock);
	if (roles->contains("jobs"))
		jobs::add_store_jobs(*scheduler, **store, admin::jobs_options(cfg));
	if (engine) // on the jobs' scheduler, or on one of its own when this process runs no jobs
		scheduler->add("alerts", alerts_cfg.tick_every, [e = engine.get()](int64_t now_ms) -> Result<bool> {
			auto r = e->tick(now_ms);
			if (!r.ok())
				return r.error();
			return false;
		});
	if (engine &&
	    alerts_cfg.forecast) // hourly disk-full forecast (alerts/forecast_check.h), first 5 min after start
		scheduler->add(
		    "disk-forecast", std::chrono::milliseconds(alerts::kForecastEveryMs),
		    [s = store->get(), gate = alerts::store_delivery_gate(**store),
		     o = alerts_cfg.forecast_options](int64_t now_ms) -> Result<bool> {
			    auto r = alerts::check_disk_forecasts(*s, gate, now_ms, o);
			    if (!r.ok())
				    return r.error();
			    return false;
		    },
		    std::chrono::minutes(5));
	if (engine) // the daily digests (alerts/digest.h): looked at every 5 minutes, first 1 min after start
		scheduler->add(
		    "digest", std::chrono::milliseconds(alerts::kDigestEveryMs),
		    [s = store->get(), o = alerts_cfg.forecast_options](int64_t now_ms) -> Result<bool> {
			    auto r = alerts::queue_digests(*s, now_ms, o);
			    if (!r.ok())
				    return r.error();
			    return false;
		    },
		    std::chrono::minutes(1));
	if (scheduler && !*test_clock) // on the test clock, POST /test/clock runs the due jobs
		scheduler->start();
	const web::WebSettings web_cfg = web::web_settings_from(cfg);
	// Built before ingest: in webhook mode the listener routes the webhook path to it.
	std::unique_ptr<bot::BotRuntime> telegram_bot;
	if (roles->contains("bot")) {
		if (bot_cfg->webhook && !roles->contains("ingest"))
			return fail("bot.mode = webhook needs the ingest role: its HTTP listener receives the updates");
		bot::RuntimeOptions o{*bot_cfg, cfg.get_string("public_url")};
		o.unused_after =
		    std::chrono::duration_cast<std::chrono::minutes>(admin::jobs_options(cfg).unused_server_after);
		if (*test_clock) // Telegram's flood limits are real seconds, whatever the test clock says
			o.sender.pace_clock = &SystemClock::instance();
		if (engine) // /threshold in this process: the engine reloads its rules at once
			o.rules_changed = [e = engine.get()] { e->rules_changed(); };
		o.login_link_ttl_ms =
		    std::chrono::duration_cast<std::chrono::milliseconds>(web_cfg.login_link_ttl).count();
		telegram_bot = std::make_unique<bot::BotRuntime>(**store, clock, std::move(o));
	}
	std::unique_ptr<ingest::IngestServer> reports;
	std::unique_ptr<web::SessionAuth> session_auth; // outlives the listener whose routes use it
	std::unique_ptr<web::LiveHub> live_hub;
	if (roles->contains("ingest")) {
		auto options = ingest::ingest_options_from(cfg);
		if (!options.ok())
			return fail(options.error().message);
		auto routes = std::make_shared<ingest::Routes>();
		if (telegram_bot && bot_cfg->webhook) {
			routes->add(
			    "POST", telegram_bot->webhook_path(),
			    [b = telegram_bot.get()](const ingest::RouteRequest& r) {
				    int status = b->webhook_receive(r.header("X-Telegram-Bot-Api-Secret-Token"), r.body);
				    return ingest::RouteResponse{status, "application/json", status == 200 ? "{}" : ""};
			    },
			    {"X-Telegram-Bot-Api-Secret-Token"});
		}
		if (*test_clock) {
			ingest::TestClockSteps steps;
			// Reports answered before the move are evaluated at the time they came in.
			steps.settle = [&reports, &feed] {
				for (int i = 0; i < 10'000; ++i) {
					if ((!reports || reports->writer().idle()) && (!feed || feed->idle()))
						return;
					std::this_thread::sleep_for(std::chrono::milliseconds(1));
				}
				log::warn("test clock: the writer or the alerts are still busy after 10 s");
			};
			steps.run_due = [s = scheduler.get()] { return s ? s->run_due() : size_t{0}; };
			steps.flush = [&telegram_bot] {
				if (telegram_bot)
					telegram_bot->flush_outbox();
			};
			ingest::add_test_clock_routes(*routes, **test_clock, std::move(steps));
		}
		// The dashboard on the same port: the login routes, the JSON API with its live updates, and
		// its files for every GET no other route takes.
		if (web_cfg.enabled) {
			session_auth = std::make_unique<web::SessionAuth>(
			    **store, clock,
			    std::chrono::duration_cast<std::chrono::milliseconds>(web_cfg.session_ttl).count());
			web::add_auth_routes(*routes, web::AuthDeps{**store, clock, *session_auth, bot_cfg->token});
			live_hub = std::make_unique<web::LiveHub>(**store, clock);
			if (engine) // alerts that fire or resolve reach open dashboards as `event: alert`
				engine->set_observer([h = live_hub.get()](const std::vector<store::AlertState>& changed) {
					h->alerts_changed(changed);
				});
			web::ApiDeps api{store->get(), session_auth.get(), &clock, cfg.get_string("public_url"),
			                 {},           live_hub.get()};
			if (engine) // a threshold written on the page: the engine reloads its rules at once
				api.rules_changed = [e = engine.get()] { e->rules_changed(); };
			// A group's servers on the dashboard: its members see them, its admins change them. Only
			// the bot can ask Telegram who is in a group; without it, private servers only.
			if (telegram_bot)
				api.membership = &telegram_bot->membership();
			if (web_cfg.api_rate_per_minute > 0) {
				const ingest::RateLimit rate{web_cfg.api_rate_per_minute / 60.0, 60};
				api.limits.per_address = rate;
				api.limits.per_user = rate;
			}
			web::add_api_routes(*routes, api);
			auto site = web::StaticSite::load(web_cfg.root);
			if (!site.ok() && web_cfg.root_configured)
				return fail("web.root: " + site.error().message);
			if (!site.ok())
				log::warn("web: {}; the dashboard's pages say it is not installed", site.error().message);
			else
				log::info("web: serving {} files ({} kB) from {}", (*site)->file_count(),
				          (*site)->total_bytes() / 1024, web_cfg.root.string());
			web::add_static_site(*routes, site.ok() ? *site : web::StaticSite::missing());
		}
		if (!routes->empty())
			options->http.routes = std::move(routes);
		options->store_files = {db_path(c), db_path(c) + "-wal"};
		if (feed)
			options->after_commit = [f = feed.get()](std::vector<store::IngestBatch>&& batches,
			                                         std::vector<store::IngestOutcome>&& outcomes) {
				f->push(std::move(batches), std::move(outcomes));
			};
		if (live_hub) {
			options->after_commit = web::with_live_hub(*live_hub, std::move(options->after_commit));
			live_hub->start();
		}
		reports = std::make_unique<ingest::IngestServer>(**store, clock, std::move(*options));
		if (feed) {
			auto gauge = [&](std::string name, std::string help, auto field) {
				reports->metrics().add_gauge(std::move(name), std::move(help), [f = feed.get(), field] {
					return static_cast<double>(f->stats().*field);
				});
			};
			gauge("serversan_alerts_reports", "Committed reports handed to the alert engine.",
			      &alerts::CommitFeedStats::reports);
			gauge("serversan_alerts_dropped_reports",
			      "Reports the alert engine never saw (its queue was full).",
			      &alerts::CommitFeedStats::dropped);
			gauge("serversan_alerts_queued_reports", "Reports waiting for the alert engine.",
			      &alerts::CommitFeedStats::queued);
			gauge("serversan_alerts_max_lag_seconds",
			      "Longest time from a commit to the end of its evaluation.",
			      &alerts::CommitFeedStats::max_lag_s);
		}
		if (auto r = reports->start(); !r.ok()) {
			if (scheduler)
				scheduler->stop();
			if (feed)
				feed->stop();
			return fail(r.error().message);
		}
		log::info("serversan-server {} listening on {}:{} over {} (data in {})", SERVERSAN_VERSION,
		          reports->options().http.address, reports->port(), reports->tls() ? "HTTPS" : "plain HTTP",
		          c.data_dir);
	}

	// Last and on its own threads: a bot that cannot start (bad token, Telegram unreachable) is one
	// line and the rest of the server runs on.
	if (telegram_bot) {
		// Kept even when it fails: the webhook route points at it (and answers 503).
		if (auto r = telegram_bot->start(); !r.ok())
			log::error("bot: {}", r.error().message);
	}

	std::signal(SIGINT, on_signal);
	std::signal(SIGTERM, on_signal);
	while (g_signal.load() == 0)
		std::this_thread::sleep_for(std::chrono::milliseconds(100));
	log::info("shutting down (signal {})", g_signal.load());
	if (telegram_bot)
		telegram_bot->stop();
	// Ingest first: requests already queued for the writer still get their answer; then the
	// alerts evaluate what the writer committed last.
	if (reports)
		reports->stop();
	if (live_hub)
		live_hub->stop();
	if (feed)
		feed->stop();
	if (scheduler)
		scheduler->stop();
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
	std::string test_clock;
	serve_cmd->add_option("--test-clock", test_clock,
	                      "TESTS ONLY: start the clock at this unix time in ms; POST /test/clock moves it");
	flag(serve_cmd, "ingest.listen", "ADDRESS:PORT for the report endpoint (default 127.0.0.1:8080)");
	flag(serve_cmd, "ingest.threads", "HTTP worker threads (default 2)");
	flag(serve_cmd, "ingest.agent_interval", "Reporting interval to suggest to agents (0 = theirs)");
	flag(serve_cmd, "ingest.tls_cert", "PEM certificate chain: serve HTTPS (with --tls-key)");
	flag(serve_cmd, "ingest.tls_key", "PEM private key of --tls-cert");
	flag(serve_cmd, "alerts.enabled", "Evaluate alert rules on ingest: true or false (default true)");
	flag(serve_cmd, "alerts.tick_every", "Offline sweep and reminders every this long (default 15s)");
	flag(serve_cmd, "alerts.forecast", "Disk-full forecast: true or false (default true)");
	flag(serve_cmd, "alerts.forecast_horizon", "Warn when a disk is predicted full within this (default 7d)");
	flag(serve_cmd, "alerts.forecast_window", "History the disk-full forecast fits (default 24h)");
	for (const char* key :
	     {"web.enabled", "web.root", "web.session_ttl", "web.login_link_ttl", "web.api_rate"})
		flag(serve_cmd, key, schema.find(key)->help);
	for (const char* key :
	     {"bot.token", "bot.token_file", "bot.api_url", "bot.proxy", "bot.mode", "bot.webhook_url",
	      "bot.webhook_secret", "bot.admins", "bot.max_servers_per_user"})
		flag(serve_cmd, key, schema.find(key)->help);
	serve_cmd
	    ->add_option("--roles", roles,
	                 "Roles to run: all, or a list of ingest, jobs, bot (all: bot only with a token)")
	    ->capture_default_str();

	auto* config_cmd =
	    app.add_subcommand("config", "Show the effective configuration and where each value comes from");

	auto* server_cmd = app.add_subcommand("server", "Manage watched servers");
	server_cmd->require_subcommand(1);
	auto* add_cmd = server_cmd->add_subcommand("add", "Add a server and print its agent token");
	admin::ServerAddArgs sa;
	add_cmd->add_option("--name", sa.name, "Display name")->required();
	add_cmd->add_option("--owner", sa.owner, "Telegram chat id of the owner");
	add_cmd->add_flag("--token-only", sa.token_only, "Print only the token");
	flag(add_cmd, "public_url", "Public URL of this server, for the install line");
	auto* list_cmd = server_cmd->add_subcommand("list", "List servers");
	auto* show_cmd = server_cmd->add_subcommand("show", "Show one server");
	uint64_t id = 0;
	show_cmd->add_option("id", id, "Server id")->required();
	auto* delete_cmd = server_cmd->add_subcommand("delete", "Delete a server and all its data");
	delete_cmd->add_option("id", id, "Server id")->required();
	auto* rotate_cmd =
	    server_cmd->add_subcommand("rotate-token", "Issue a new token; the old one stops working at once");
	bool token_only = false;
	rotate_cmd->add_option("id", id, "Server id")->required();
	rotate_cmd->add_flag("--token-only", token_only, "Print only the token");

	auto* user_cmd = app.add_subcommand("user", "Manage users");
	user_cmd->require_subcommand(1);
	admin::UserAddArgs ua;
	auto* user_add = user_cmd->add_subcommand("add", "Add a user");
	user_add->add_option("--telegram-id", ua.telegram_id, "Telegram user id")->required();
	user_add->add_option("--role", ua.role, "admin, user, blocked")->capture_default_str();
	user_add->add_option("--username", ua.username, "Telegram username without @");
	user_add->add_option("--name", ua.display_name, "Display name");
	user_add->add_option("--language", ua.language, "Language code")->capture_default_str();
	user_add->add_option("--time-zone", ua.time_zone, "IANA time zone")->capture_default_str();
	auto* user_list = user_cmd->add_subcommand("list", "List users");
	auto* user_role = user_cmd->add_subcommand("set-role", "Change a user's role");
	int64_t role_user = 0;
	std::string role_name;
	user_role->add_option("telegram_id", role_user, "Telegram user id")->required();
	user_role->add_option("role", role_name, "admin, user, blocked")->required();

	auto* web_cmd = app.add_subcommand("web", "The web dashboard");
	web_cmd->require_subcommand(1);
	auto* link_cmd = web_cmd->add_subcommand(
	    "login-link", "Print a one-time dashboard login link (web.login_link_ttl, 5 minutes by default)");
	std::optional<int64_t> link_user;
	bool url_only = false;
	link_cmd->add_option("--user", link_user, "Telegram user id (default: the console operator, an admin)");
	link_cmd->add_flag("--url-only", url_only, "Print only the link");
	flag(link_cmd, "public_url", "Public URL of this server, for the link");
	flag(link_cmd, "web.login_link_ttl", schema.find("web.login_link_ttl")->help);

	auto* db_cmd = app.add_subcommand("db", "Database maintenance");
	db_cmd->require_subcommand(1);
	auto* migrate_cmd = db_cmd->add_subcommand("migrate", "Apply pending schema migrations");
	auto* stats_cmd = db_cmd->add_subcommand("stats", "Size per table and tier, bytes per server per day");
	auto* backup_cmd = db_cmd->add_subcommand("backup", "Online consistent copy (0600, integrity-checked)");
	std::string backup_file;
	backup_cmd->add_option("file", backup_file, "Destination (must not exist)")->required();

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
	log::Level lvl = log::Level::info;
	log::parse_level(common.log_level, lvl);
	log::set_level(lvl);

	if (config_cmd->parsed()) {
		std::cout << cfg->dump();
		return 0;
	}
	if (serve_cmd->parsed())
		return serve(common, *cfg, roles, test_clock);
	// db migrate opens the database without migrating first, to report from -> to.
	if (migrate_cmd->parsed()) {
		std::error_code ec;
		std::filesystem::create_directories(common.data_dir, ec);
		return admin::db_migrate(admin::store_options(*cfg, common.data_dir), std::cout, std::cerr);
	}

	auto store = open_store(common, *cfg);
	if (!store.ok())
		return fail(store.error().message);
	store::Store& st = **store;
	const Clock& clock = SystemClock::instance();
	sa.public_url = cfg->get_string("public_url");
	if (add_cmd->parsed())
		return admin::server_add(st, clock, sa, std::cout, std::cerr);
	if (list_cmd->parsed())
		return admin::server_list(st, clock, std::cout, std::cerr);
	if (show_cmd->parsed())
		return admin::server_show(st, clock, id, std::cout, std::cerr);
	if (delete_cmd->parsed())
		return admin::server_delete(st, id, std::cout, std::cerr);
	if (rotate_cmd->parsed())
		return admin::server_rotate_token(st, id, token_only, std::cout, std::cerr);
	if (user_add->parsed())
		return admin::user_add(st, clock, ua, std::cout, std::cerr);
	if (user_list->parsed())
		return admin::user_list(st, std::cout, std::cerr);
	if (user_role->parsed())
		return admin::user_set_role(st, role_user, role_name, std::cout, std::cerr);
	if (link_cmd->parsed())
		return admin::web_login_link(
		    st, clock, sa.public_url, link_user, url_only, std::cout, std::cerr,
		    std::chrono::duration_cast<std::chrono::milliseconds>(web::web_settings_from(*cfg).login_link_ttl)
		        .count());
	if (stats_cmd->parsed())
		return admin::db_stats(st, std::cout, std::cerr);
	if (backup_cmd->parsed())
		return admin::db_backup(st, backup_file, std::cout, std::cerr);
	return 0;
}
