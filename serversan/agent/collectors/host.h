// Host facts collector: the slowly changing identity of the machine (hostname, OS, kernel, CPU
// model and count, boot time) plus the agent's own version.
//
// Sources: uname(2) (passed in, so tests need no real host), <etc>/os-release (falling back to
// <root>/usr/lib/os-release, as os-release(5) says), <proc>/cpuinfo, <proc>/stat btime, and
// <sys>/devices/system/cpu/online when cpuinfo has no "processor" lines. A missing source leaves
// its facts empty and is listed in `problems`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "serversan/agent/host_paths.h"
#include "serversan/core/report.h"
#include "serversan/core/result.h"

namespace serversan::agent {

struct UnameInfo {
	std::string nodename, release, machine;
};
// This machine's uname(2); empty fields if the call fails.
UnameInfo system_uname();

struct OsRelease {
	std::string name, version_id;
};
OsRelease parse_os_release(std::string_view text);

struct CpuInfo {
	std::string model;
	std::optional<uint32_t> logical, physical;
	std::optional<double> mhz;
};
CpuInfo parse_cpuinfo(std::string_view text);
// "0-3,6,8-9" (the kernel's cpulist format) -> 7; nullopt if malformed.
std::optional<uint32_t> count_cpu_list(std::string_view text);

struct HostSample {
	HostFacts facts;
	std::vector<Error> problems;
};
HostSample collect_host(const HostPaths& paths, const UnameInfo& uname);

} // namespace serversan::agent
