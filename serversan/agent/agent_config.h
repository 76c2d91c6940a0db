// The agent's configuration: the schema of /etc/serversan/agent.toml (every key can also be set
// by a SERVERSAN_AGENT_* variable and most by a flag), the command line, and AgentSettings from
// both through the shared loader (serversan/core/config.h: defaults < file < environment <
// flags), followed by the checks that involve several keys (a plain-http URL, the pin's form).
//
// The command line is parsed here by hand, from the schema's flag spellings: CLI11 (and the
// iostreams and locale machinery it brings) was the largest single cost in the static agent
// binary. Flags are "--name VALUE" or "--name=VALUE"; boolean keys take no value ("--allow-http"
// is "--allow-http=true").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "serversan/agent/settings.h"
#include "serversan/core/config.h"
#include "serversan/core/result.h"

namespace serversan::agent {

inline constexpr const char* kDefaultConfigFile = "/etc/serversan/agent.toml";
inline constexpr const char* kAgentEnvPrefix = "SERVERSAN_AGENT_";
inline constexpr const char* kConfigFileEnvVar = "SERVERSAN_AGENT_CONFIG";

const ConfigSchema& agent_schema();

struct CommandLine {
	std::string config_file; // --config; empty: SERVERSAN_AGENT_CONFIG, else the default path
	std::vector<FlagOverride> flags;
	bool once = false;
	bool print = false;
	std::optional<uint64_t> count;
	bool help = false;
	bool version = false;
};

// argv[0] is the program name. Errors name the offending argument.
Result<CommandLine> parse_command_line(int argc, const char* const* argv);
std::string usage_text();

// Loads the layers and converts them. env: "NAME=VALUE" entries (process_environment()). The
// file is optional at its default path and required when named by --config or the variable.
Result<AgentSettings> load_settings(const CommandLine& command_line, const std::vector<std::string>& env);

// The spool directory when spool.dir is empty: "spool" beside the state file.
std::string default_spool_dir(const std::string& state_file);

} // namespace serversan::agent
