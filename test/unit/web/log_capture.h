// The test binary's log backend: every line goes to memory (and nowhere else), so tests can check
// what was logged, e.g. that no secret ever was.
#pragma once

#include <string>

namespace serversan::testing {

std::string captured_log(); // every line so far, '\n'-separated
void clear_captured_log();

} // namespace serversan::testing
