// Uptime collector: <proc>/uptime -> whole seconds since boot.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "serversan/core/result.h"

namespace serversan::agent {

// Error if the file cannot be read; nullopt inside if it does not start with a number.
Result<std::optional<uint64_t>> collect_uptime(const std::string& proc_root);
std::optional<uint64_t> parse_uptime(std::string_view text);

} // namespace serversan::agent
