// The agent's main loop: collect a report every interval and deliver it (or print it).
//
// Reports are taken on a fixed cadence (start + k * interval, on the monotonic clock), so a slow
// send does not shift later samples; if a round overruns, the missed ticks are skipped rather
// than bunched. The first report measures CPU over a short priming sample instead of a whole
// interval. A stop request (SIGTERM, SIGINT) ends the loop within a second, mid-sleep or
// mid-request.
#pragma once

#include "serversan/agent/settings.h"
#include "serversan/agent/stop_signal.h"

namespace serversan::agent {

// Returns the process exit status: 0 when stopped by a signal, or after --count/--once when
// every report was delivered (printed); 1 when a report was not delivered; 2 for a start-up
// error (bad URL, unreadable token or state file), already logged.
int run_agent(const AgentSettings& settings, const StopSignal& stop);

} // namespace serversan::agent
