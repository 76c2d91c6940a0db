// Server names as users type them: the rules are shared with the web API (fleet/server_name.h).
#pragma once

#include "serversan/server/fleet/server_name.h"

namespace serversan::bot {

using fleet::check_server_name;
using fleet::kMaxServerNameChars;
using fleet::NameProblem;
using fleet::trim_name;

} // namespace serversan::bot
