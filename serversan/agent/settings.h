// AgentSettings: everything the agent's run loop needs to know, in one plain struct. main fills
// it from the command line today; the shared config loader (TOML file < environment < flags)
// fills the same struct, so run_agent() does not care where a value came from.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "serversan/agent/host_paths.h"
#include "serversan/agent/token_file.h"
#include "serversan/core/log.h"

namespace serversan::agent {

inline constexpr const char* kDefaultStateFile = "/var/lib/serversan/agent.state";
inline constexpr double kDefaultIntervalS = 60;
inline constexpr double kMinIntervalS = 0.1;
inline constexpr double kMaxIntervalS = 3600;
// The first report's CPU shares come from a sample this long, so they do not wait an interval.
inline constexpr double kPrimingSampleS = 0.25;

struct AgentSettings {
	std::string server_url;
	std::string token_file = kDefaultTokenFile;
	std::string state_file = kDefaultStateFile;
	double interval_s = kDefaultIntervalS;
	bool interval_given = false;   // set explicitly: the server's suggested interval is not adopted
	bool print = false;            // write batches to stdout instead of sending them
	std::optional<uint64_t> count; // stop after this many reports; nullopt: run until stopped
	bool once = false;             // one report; the exit status says whether it was accepted
	double timeout_s = 10;         // per network phase (connect, send, receive)
	HostPaths paths;
	log::Level log_level = log::Level::info;
};

} // namespace serversan::agent
