// serversan-agent: collects this server's health every interval and reports it to a ServerSan
// server (or prints it with --print). Settings come from the command line; run_agent() takes
// them as an AgentSettings, whichever layer (flags today, the config file later) produced them.
#include <cstdio>
#include <exception>
#include <string>

#include <CLI/CLI.hpp>

#include "serversan/agent/agent.h"
#include "serversan/agent/settings.h"
#include "serversan/agent/stop_signal.h"
#include "serversan/core/log.h"

using namespace serversan;
using namespace serversan::agent;

namespace {

// Fills settings from argv. Returns an exit status if the program should end now (--help,
// --version, a bad flag), nullopt to run.
std::optional<int> settings_from_command_line(int argc, char** argv, AgentSettings& settings) {
	CLI::App app{"serversan-agent: reports this server's health to a ServerSan server.", "serversan-agent"};
	app.set_version_flag("--version", std::string("serversan-agent ") + SERVERSAN_VERSION);
	app.add_option("--server", settings.server_url, "Server URL, e.g. http://monitor.example.com:8080/");
	app.add_option("--token-file", settings.token_file,
	               "File holding this agent's token; must not be readable by group or others")
	    ->capture_default_str();
	app.add_option("--state-file", settings.state_file, "Where the report stream id and sequence are kept")
	    ->capture_default_str();
	auto* interval = app.add_option("--interval", settings.interval_s, "Seconds between reports")
	                     ->check(CLI::Range(kMinIntervalS, kMaxIntervalS))
	                     ->capture_default_str();
	auto* once = app.add_flag("--once", settings.once,
	                          "Send one report and exit: status 0 if the server accepted it, 1 if not");
	app.add_option("--count", settings.count, "Stop after N reports")
	    ->check(CLI::PositiveNumber)
	    ->excludes(once);
	app.add_flag("--print", settings.print,
	             "Write each report batch to stdout as JSON instead of sending it");
	std::string host_root = "/";
	app.add_option("--host-root", host_root,
	               "Read the host's /proc, /sys and /etc under this directory (an agent in a container)")
	    ->capture_default_str();
	app.add_option("--timeout", settings.timeout_s, "Seconds allowed for each of connect, send and receive")
	    ->check(CLI::Range(0.1, 600.0))
	    ->capture_default_str();
	std::string level = "info";
	app.add_option("--log-level", level, "debug, info, warn, error or off")
	    ->check(CLI::IsMember({"debug", "info", "warn", "warning", "error", "off"}))
	    ->capture_default_str();

	try {
		app.parse(argc, argv);
	} catch (const CLI::ParseError& e) {
		return app.exit(e);
	}
	settings.interval_given = interval->count() > 0;
	settings.paths = HostPaths::under(host_root);
	log::parse_level(level, settings.log_level);
	return std::nullopt;
}

} // namespace

int main(int argc, char** argv) {
	AgentSettings settings;
	if (auto exit_status = settings_from_command_line(argc, argv, settings))
		return *exit_status;
	log::set_level(settings.log_level);
	try {
		StopSignal stop;
		stop.install();
		return run_agent(settings, stop);
	} catch (const std::exception& e) {
		log::error("fatal: {}", e.what());
		return 2;
	}
}
