#include "serversan/agent/agent_config.h"

#include <fmt/format.h>

#include "serversan/agent/http_client.h"
#include "serversan/core/encoding.h"

namespace serversan::agent {

namespace {

ConfigSchema make_schema() {
	ConfigSchema s;
	s.add_string("server.url", "",
	             "Server URL, https://host[:port]/ (http:// only to this host, or with tls.allow_http)")
	    .flag("--server");
	s.add_string("token_file", kDefaultTokenFile,
	             "File holding this agent's token; must not be readable by group or others")
	    .flag("--token-file");
	s.add_string("state_file", kDefaultStateFile, "Where the report stream id and sequence are kept")
	    .flag("--state-file");
	s.add_duration(
	     "interval", kDefaultIntervalS,
	     "Seconds between reports (fractions allowed); the server may change it unless given as a flag",
	     kMinIntervalS, kMaxIntervalS)
	    .flag("--interval");
	s.add_duration("jitter", 5, "Each report is delayed by a random 0..jitter seconds (at most interval/2)",
	               0, 3600)
	    .flag("--jitter");
	s.add_duration("slow_interval", kDefaultSlowIntervalS,
	               "Seconds between top-process and TCP-state passes; 0 turns them off", 0, 86400)
	    .flag("--slow-interval");
	s.add_duration("timeout", 10, "Seconds allowed for each of connect, TLS handshake, send and receive", 0.1,
	               600)
	    .flag("--timeout");
	s.add_string("log_level", "info", "debug, info, warn, error or off")
	    .one_of({"debug", "info", "warn", "warning", "error", "off"})
	    .flag("--log-level");
	s.add_string("host_root", "/",
	             "Read the host's /proc, /sys and /etc under this directory (an agent in a container)")
	    .flag("--host-root");
	s.add_string("spool.dir", "", "Where unsent reports wait (default: \"spool\" beside the state file)")
	    .flag("--spool-dir");
	s.add_bytes("spool.max_bytes", kDefaultSpoolMaxBytes,
	            "Size limit of the spool; the oldest reports go first", 64 << 10, 1ull << 40)
	    .flag("--spool-max-bytes");
	s.add_duration("spool.max_age", kDefaultSpoolMaxAgeS,
	               "Unsent reports older than this are dropped; 0: no limit", 0, 366 * 86400.0)
	    .flag("--spool-max-age");
	s.add_string("tls.ca_file", "", "CA certificates (PEM) for https; default: the system's bundle")
	    .flag("--ca-file");
	s.add_string(
	     "tls.pin_sha256", "",
	     "SHA-256 of the server's certificate (hex); alone, it replaces CA verification (self-signed)")
	    .flag("--pin-sha256");
	s.add_bool("tls.allow_http", false, "Allow plain http:// to another host (reports travel unencrypted)")
	    .flag("--allow-http");
	return s;
}

struct CliOnly {
	const char* spelling;
	const char* arg;
	const char* help;
};
constexpr CliOnly kCliOnly[] = {
    {"--config", "PATH", "TOML configuration file (default /etc/serversan/agent.toml, if present)"},
    {"--once", "", "Send one report (and any spooled ones) and exit: status 0 if the server accepted it"},
    {"--count", "N", "Stop after N reports"},
    {"--print", "", "Write each report batch to stdout as JSON instead of sending it"},
    {"--help", "", "Show this help"},
    {"--version", "", "Show the version"},
};

} // namespace

const ConfigSchema& agent_schema() {
	static const ConfigSchema schema = make_schema();
	return schema;
}

std::string default_spool_dir(const std::string& state_file) {
	size_t slash = state_file.rfind('/');
	if (slash == std::string::npos)
		return "spool";
	return state_file.substr(0, slash + 1) + "spool";
}

std::string usage_text() {
	std::string out =
	    fmt::format("Usage: serversan-agent [OPTIONS]\n"
	                "Reports this server's health to a ServerSan server (agent {}).\n\nOptions:\n",
	                SERVERSAN_VERSION);
	auto line = [&](std::string_view left, std::string_view help) {
		out += fmt::format("  {:<26} {}\n", left, help);
	};
	for (const CliOnly& o : kCliOnly)
		line(*o.arg ? fmt::format("{} {}", o.spelling, o.arg) : std::string(o.spelling), o.help);
	for (const ConfigKey& k : agent_schema().keys()) {
		if (k.flag.empty())
			continue;
		std::string left = k.type == ConfigType::boolean ? k.flag : fmt::format("{} VALUE", k.flag);
		line(left, fmt::format("{} [{}]", k.help, k.name));
	}
	out += fmt::format(
	    "\nEvery [key] can also be set in the config file (TOML, e.g. spool.max_bytes = \"64MiB\" under\n"
	    "[spool]) or by the variable SERVERSAN_AGENT_<KEY> (SERVERSAN_AGENT_SPOOL_MAX_BYTES). Flags win\n"
	    "over variables, variables over the file. SIGHUP reloads the file; SIGTERM stops.\n");
	return out;
}

Result<CommandLine> parse_command_line(int argc, const char* const* argv) {
	CommandLine cl;
	for (int i = 1; i < argc; ++i) {
		std::string_view arg = argv[i];
		if (arg == "-h") {
			cl.help = true;
			continue;
		}
		if (!arg.starts_with("--") || arg.size() == 2)
			return Err(fmt::format("unexpected argument \"{}\" (see --help)", arg));
		std::string_view name = arg;
		std::optional<std::string> value;
		if (size_t eq = arg.find('='); eq != std::string_view::npos) {
			name = arg.substr(0, eq);
			value = std::string(arg.substr(eq + 1));
		}
		auto take_value = [&]() -> Result<std::string> {
			if (value)
				return *value;
			if (i + 1 >= argc)
				return Err(fmt::format("{} needs a value", name));
			return std::string(argv[++i]);
		};
		auto no_value = [&]() -> Result<void> {
			if (value)
				return Err(fmt::format("{} takes no value", name));
			return Ok();
		};
		if (name == "--help" || name == "--version" || name == "--once" || name == "--print") {
			if (auto nv = no_value(); !nv)
				return nv.error();
			(name == "--help"      ? cl.help
			 : name == "--version" ? cl.version
			 : name == "--once"    ? cl.once
			                       : cl.print) = true;
			continue;
		}
		if (name == "--config") {
			auto v = take_value();
			if (!v)
				return v.error();
			cl.config_file = *v;
			continue;
		}
		if (name == "--count") {
			auto v = take_value();
			if (!v)
				return v.error();
			auto n = parse_u64(*v);
			if (!n || *n == 0)
				return Err(fmt::format("--count wants a positive whole number, got \"{}\"", *v));
			cl.count = *n;
			continue;
		}
		const ConfigKey* key = nullptr;
		for (const ConfigKey& k : agent_schema().keys())
			if (k.flag == name)
				key = &k;
		if (!key)
			return Err(fmt::format("unknown option {} (see --help)", name));
		if (key->type == ConfigType::boolean) {
			cl.flags.push_back({key->name, value.value_or("true"), std::string(name)});
			continue;
		}
		auto v = take_value();
		if (!v)
			return v.error();
		cl.flags.push_back({key->name, *v, std::string(name)});
	}
	if (cl.once && cl.count)
		return Err("--once and --count exclude each other");
	return cl;
}

Result<AgentSettings> load_settings(const CommandLine& cl, const std::vector<std::string>& env) {
	ConfigSources sources;
	sources.env = env;
	sources.env_prefix = kAgentEnvPrefix;
	sources.env_ignore = {kConfigFileEnvVar};
	sources.flags = cl.flags;
	sources.file = cl.config_file;
	sources.file_required = !cl.config_file.empty();
	if (sources.file.empty()) {
		std::string var = std::string(kConfigFileEnvVar) + "=";
		for (const std::string& e : env)
			if (e.starts_with(var))
				sources.file = e.substr(var.size());
		sources.file_required = !sources.file.empty();
	}
	if (sources.file.empty())
		sources.file = kDefaultConfigFile;

	auto loaded = load_config(agent_schema(), sources);
	if (!loaded)
		return loaded.error();
	const Config& c = *loaded;

	AgentSettings s;
	s.config_file = c.file();
	s.server_url = c.get_string("server.url");
	s.token_file = c.get_string("token_file");
	s.state_file = c.get_string("state_file");
	s.interval_s = c.get_duration_s("interval");
	s.interval_given = c.origin("interval").starts_with("flag");
	s.jitter_s = c.get_duration_s("jitter");
	s.slow_interval_s = c.get_duration_s("slow_interval");
	s.timeout_s = c.get_duration_s("timeout");
	log::parse_level(c.get_string("log_level"), s.log_level);
	s.host_root = c.get_string("host_root");
	s.paths = HostPaths::under(s.host_root);
	s.spool.dir = c.get_string("spool.dir");
	if (s.spool.dir.empty())
		s.spool.dir = default_spool_dir(s.state_file);
	s.spool.max_bytes = c.get_bytes("spool.max_bytes");
	s.spool.max_age_s = c.get_duration_s("spool.max_age");
	s.tls.ca_file = c.get_string("tls.ca_file");
	s.tls.pin_sha256 = c.get_string("tls.pin_sha256");
	s.allow_http = c.get_bool("tls.allow_http");
	s.once = cl.once;
	s.print = cl.print;
	s.count = cl.count;

	// Checks across keys, each naming where the value came from.
	if (!s.server_url.empty()) {
		auto url = parse_url(s.server_url);
		if (!url)
			return Err(fmt::format("server.url ({}): {}", c.origin("server.url"), url.error().message));
		if (!url->tls && !s.allow_http && !is_loopback_host(url->host))
			return Err(fmt::format(
			    "server.url ({}) is plain http:// to {}: reports (process names included) would travel "
			    "unencrypted. Use https://, or set tls.allow_http = true (--allow-http) if that is intended",
			    c.origin("server.url"), url->host));
	}
	if (!s.tls.pin_sha256.empty()) {
		if (auto pin = parse_pin_sha256(s.tls.pin_sha256); !pin)
			return Err(fmt::format("{} ({})", pin.error().message, c.origin("tls.pin_sha256")));
	}
	return s;
}

} // namespace serversan::agent
