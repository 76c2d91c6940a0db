#include "serversan/server/store/install_line.h"

#include <fmt/format.h>

namespace serversan::store {

std::string install_line(const std::string& url, const std::string& token) {
	return fmt::format("curl -fsSL {}/install.sh | sudo sh -s -- {} {}", url, token, url);
}

std::string uninstall_line(const std::string& url) {
	return fmt::format("curl -fsSL {}/install.sh | sudo sh -s -- --uninstall", url);
}

} // namespace serversan::store
