// Loading the agent token from its file (default /etc/serversan/auth.log).
//
// The token is the agent's only credential, so like ssh with a private key the agent refuses a
// file that others could read (any group or world permission bit) or that is owned by another
// unprivileged user (who could swap the token). The token itself never reaches an error
// message or a log line.
#pragma once

#include <string>

#include "serversan/core/result.h"
#include "serversan/core/token.h"

namespace serversan::agent {

inline constexpr const char* kDefaultTokenFile = "/etc/serversan/auth.log";

Result<AgentToken> load_token_file(const std::string& path);

} // namespace serversan::agent
