// The shell lines a user pastes on a server: install.sh fetched from the server's public URL,
// with the agent's token. Shared by the admin CLI and the bot, so the two never hand out
// different commands. The token is a secret: callers show the line once, never log it.
#pragma once

#include <string>

namespace serversan::store {

// Installs (or upgrades) the agent with token, reporting to public_url.
std::string install_line(const std::string& public_url, const std::string& token);
// Stops the agent and removes everything install.sh added (install.sh --uninstall).
std::string uninstall_line(const std::string& public_url);

} // namespace serversan::store
