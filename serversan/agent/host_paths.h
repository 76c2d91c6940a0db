// Where the collectors look for the host's kernel interfaces. Production reads "/proc", "/sys"
// and "/etc"; tests point them at fixture trees, and an agent in a container can read a host
// mounted elsewhere (e.g. under /host) without any collector knowing.
#pragma once

#include <string>

namespace serversan::agent {

struct HostPaths {
	std::string proc = "/proc";
	std::string sys = "/sys";
	std::string etc = "/etc";
	std::string root = "/"; // prefix for mount points (statvfs) and /usr/lib/os-release

	// All four under one prefix: under("/host") reads /host/proc, /host/sys, ...
	static HostPaths under(const std::string& prefix) {
		std::string p = prefix;
		while (p.size() > 1 && p.back() == '/')
			p.pop_back();
		if (p == "/" || p.empty())
			return HostPaths{};
		return HostPaths{p + "/proc", p + "/sys", p + "/etc", p};
	}
};

} // namespace serversan::agent
