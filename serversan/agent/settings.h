// AgentSettings: everything the agent's run loop needs to know, in one plain struct. It is
// filled by agent_config.h from the layers of the shared loader (built-in defaults < the TOML
// file < SERVERSAN_AGENT_* variables < command-line flags), so run_agent() does not care where a
// value came from; SIGHUP builds a new one the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "serversan/agent/host_paths.h"
#include "serversan/agent/spool.h"
#include "serversan/agent/tls_stream.h"
#include "serversan/agent/token_file.h"
#include "serversan/core/log.h"

namespace serversan::agent {

inline constexpr const char* kDefaultStateFile = "/var/lib/serversan/agent.state";
inline constexpr double kDefaultIntervalS = 60;
inline constexpr double kMinIntervalS = 0.1;
inline constexpr double kMaxIntervalS = 3600;
inline constexpr double kDefaultSlowIntervalS = 300;
// The first report's CPU shares come from a sample this long, so they do not wait an interval.
inline constexpr double kPrimingSampleS = 0.25;

struct AgentSettings {
	std::string server_url;
	std::string token_file = kDefaultTokenFile;
	std::string state_file = kDefaultStateFile;
	double interval_s = kDefaultIntervalS;
	bool interval_given = false; // set by a flag: the server's suggested interval is not adopted
	double jitter_s = 0;         // each tick is delayed by a random 0..jitter (at most interval/2)
	double slow_interval_s = kDefaultSlowIntervalS; // top processes and TCP states; 0: off
	bool print = false;                             // write batches to stdout instead of sending them
	std::optional<uint64_t> count; // stop after this many reports; nullopt: run until stopped
	bool once = false;             // one report (and the spool); the exit status says whether it arrived
	double timeout_s = 10;         // per network phase (connect, handshake, send, receive)
	TlsSettings tls;
	bool allow_http = false; // plain http:// to a host other than this one
	SpoolSettings spool;
	HostPaths paths;
	std::string host_root = "/";
	log::Level log_level = log::Level::info;
	std::string config_file; // the file that was read, empty if none (for logs)
};

} // namespace serversan::agent
