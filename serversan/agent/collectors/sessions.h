// Sessions collector: logged-in user sessions, as who(1) counts them: the USER_PROCESS entries
// of <root>/run/utmp (or <root>/var/run/utmp). utmp records are 384 bytes on every glibc Linux
// (a fixed layout, with 32-bit times even on 64-bit machines), parsed here with our own struct
// so the reading does not depend on the agent's libc.
//
// Systems that no longer write utmp (systemd-logind only) are counted from
// <root>/run/systemd/sessions: one file per session, counted if CLASS=user. No source: empty.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "serversan/agent/host_paths.h"
#include "serversan/core/result.h"

namespace serversan::agent {

// USER_PROCESS records with a user name, in a utmp file's bytes; a trailing partial record is
// ignored.
uint64_t count_utmp_sessions(std::string_view bytes);

// Tries first the source that worked last time, so a steady round reads one file into a buffer
// it keeps (utmp is replaced at boot, so it is opened anew each time rather than kept open).
class SessionCollector {
public:
	explicit SessionCollector(const HostPaths& paths);
	// Error if neither utmp nor the logind directory can be read.
	Result<uint64_t> collect();

private:
	std::optional<uint64_t> from_utmp(const std::string& path);
	std::optional<uint64_t> from_logind();

	std::string utmp_[2], logind_;
	int last_ = 0; // 0, 1: utmp_[i]; 2: logind
	std::string buf_;
};

// One-shot form.
Result<uint64_t> collect_sessions(const HostPaths& paths);

} // namespace serversan::agent
