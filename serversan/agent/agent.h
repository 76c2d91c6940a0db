// The agent's main loop: collect a report every interval, spool it, deliver what the spool holds
// (or print it instead).
//
// Reports are taken on a fixed cadence (start + k * interval, on the monotonic clock, each tick
// delayed by a random 0..jitter), so a slow send does not shift later samples; if a round
// overruns, the missed ticks are skipped rather than bunched. The first report measures CPU over
// a short priming sample instead of a whole interval. Each report is appended to the spool (on
// disk, fsynced) before its first send; between ticks the loop wakes when the sender's back-off
// ends, so a server that comes back is caught up within seconds, and a server that stays down
// costs one attempt per back-off step. The server's instructions (interval_s, collect) are
// applied as they arrive.
//
// Signals: SIGTERM or SIGINT ends the loop within a second, mid-sleep or mid-request (the state
// file is saved; the spool is always consistent); SIGHUP reloads the configuration through
// `reload`, and a configuration that does not load or check is logged and the running one kept.
#pragma once

#include <functional>

#include "serversan/agent/settings.h"
#include "serversan/agent/stop_signal.h"
#include "serversan/core/result.h"

namespace serversan::agent {

// Builds the settings anew (SIGHUP); empty: reloading is not possible.
using Reloader = std::function<Result<AgentSettings>()>;

// Returns the process exit status: 0 when stopped by a signal, or after --count/--once when
// every report was delivered (printed); 1 when some report was not delivered (it stays spooled
// for the next run); 2 for a start-up error (bad URL, unreadable token or state file, another
// agent running), already logged.
int run_agent(const AgentSettings& settings, StopSignal& stop, const Reloader& reload = {});

} // namespace serversan::agent
