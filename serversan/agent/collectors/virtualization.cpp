#include "serversan/agent/collectors/virtualization.h"

#include <sys/stat.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#include <cstring>

#include "serversan/agent/collectors/text.h"

namespace serversan::agent {

std::string cpuid_hypervisor_vendor() {
#if defined(__x86_64__) || defined(__i386__)
	unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
	if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx) || !(ecx & (1u << 31)))
		return {};
	__cpuid(0x40000000, eax, ebx, ecx, edx);
	char vendor[13] = {};
	std::memcpy(vendor, &ebx, 4);
	std::memcpy(vendor + 4, &ecx, 4);
	std::memcpy(vendor + 8, &edx, 4);
	return std::string(vendor, ::strnlen(vendor, 12));
#else
	return {};
#endif
}

namespace {

bool exists(const std::string& path) {
	struct stat st {};
	return ::stat(path.c_str(), &st) == 0;
}

std::string first_line(const std::string& path) {
	auto text = read_text_file(path, 4096);
	if (!text)
		return {};
	std::string_view t = *text;
	return std::string(trim(next_line(t)));
}

} // namespace

std::string container_from_marker(std::string_view value) {
	value = trim(value);
	if (value.empty())
		return {};
	// systemd's spellings; anything else is passed on as given (it is what the runtime says).
	if (value == "oci")
		return "container-other";
	if (value == "lxc-libvirt")
		return "lxc-libvirt";
	return std::string(value);
}

std::string container_from_cgroup(std::string_view text) {
	// Only pid 1's cgroup path, on cgroup v1 or without a cgroup namespace, tells; with a namespace
	// it is "/" and says nothing.
	while (!text.empty()) {
		std::string_view line = next_line(text);
		size_t colon = line.rfind(':');
		if (colon == std::string_view::npos)
			continue;
		std::string_view path = line.substr(colon + 1);
		if (path.find("/docker/") != std::string_view::npos ||
		    path.find("/docker-") != std::string_view::npos)
			return "docker";
		if (path.find("/libpod") != std::string_view::npos)
			return "podman";
		if (path.find("/lxc/") != std::string_view::npos ||
		    path.find("/lxc.payload") != std::string_view::npos)
			return "lxc";
		if (path.find("/kubepods") != std::string_view::npos ||
		    path.find("/containerd") != std::string_view::npos)
			return "container-other";
	}
	return {};
}

std::string vm_from_cpuid(std::string_view vendor) {
	static constexpr std::pair<std::string_view, std::string_view> table[] = {
	    {"KVMKVMKVM", "kvm"},          {"Linux KVM Hv", "kvm"},       {"TCGTCGTCGTCG", "qemu"},
	    {"VMwareVMware", "vmware"},    {"Microsoft Hv", "microsoft"}, {"XenVMMXenVMM", "xen"},
	    {"bhyve bhyve ", "bhyve"},     {"QNXQVMBSQG", "qnx"},         {"ACRNACRNACRN", "acrn"},
	    {" lrpepyh  vr", "parallels"}, {"VBoxVBoxVBox", "oracle"},    {"SRESRESRESRE", "sre"},
	    {"Apple VZ", "apple"},
	};
	for (auto [key, name] : table) {
		if (vendor == key)
			return std::string(name);
	}
	return {};
}

std::string vm_from_dmi(std::string_view value) {
	value = trim(value);
	// Prefixes, as systemd matches them.
	static constexpr std::pair<std::string_view, std::string_view> table[] = {
	    {"KVM", "kvm"},
	    {"OpenStack", "kvm"},
	    {"KubeVirt", "kvm"},
	    {"Amazon EC2", "amazon"},
	    {"QEMU", "qemu"},
	    {"VMware", "vmware"},
	    {"VMW", "vmware"},
	    {"innotek GmbH", "oracle"},
	    {"VirtualBox", "oracle"},
	    {"Oracle Corporation", "oracle"},
	    {"Xen", "xen"},
	    {"Bochs", "bochs"},
	    {"Parallels", "parallels"},
	    {"BHYVE", "bhyve"},
	    {"Hyper-V", "microsoft"},
	    {"Apple Virtualization", "apple"},
	    {"Google Compute Engine", "google"},
	    {"Google", "google"},
	};
	for (auto [prefix, name] : table) {
		if (value.starts_with(prefix))
			return std::string(name);
	}
	return {};
}

std::string detect_virtualization(const HostPaths& paths, std::string_view cpuid_vendor,
                                  std::string_view cpuinfo) {
	// Containers.
	if (exists(join_path(paths.proc, "vz")) && !exists(join_path(paths.proc, "bc")))
		return "openvz";
	if (auto osrelease = read_text_file(join_path(paths.proc, "sys/kernel/osrelease"), 4096)) {
		if (osrelease->find("Microsoft") != std::string::npos || osrelease->find("WSL") != std::string::npos)
			return "wsl";
	}
	if (auto marker = container_from_marker(first_line(join_path(paths.root, "run/systemd/container")));
	    !marker.empty())
		return marker;
	if (auto environ = read_text_file(join_path(paths.proc, "1/environ"), 64 << 10)) {
		std::string_view env = *environ;
		while (!env.empty()) {
			size_t nul = env.find('\0');
			std::string_view var = env.substr(0, nul);
			env.remove_prefix(nul == std::string_view::npos ? env.size() : nul + 1);
			if (var.starts_with("container=")) {
				if (auto c = container_from_marker(var.substr(10)); !c.empty())
					return c;
			}
		}
	}
	if (exists(join_path(paths.root, "run/.containerenv")))
		return "podman";
	if (exists(join_path(paths.root, ".dockerenv")))
		return "docker";
	if (auto cgroup = read_text_file(join_path(paths.proc, "1/cgroup"), 64 << 10)) {
		if (auto c = container_from_cgroup(*cgroup); !c.empty())
			return c;
	}

	// Virtual machines. CPUID first: it names the hypervisor actually running (KVM behind a
	// "QEMU" DMI vendor), except that Hyper-V's vendor is also shown by other hypervisors that
	// emulate it, so there DMI is asked first.
	std::string by_cpuid = vm_from_cpuid(cpuid_vendor);
	if (!by_cpuid.empty() && by_cpuid != "microsoft")
		return by_cpuid;
	if (first_line(join_path(paths.sys, "hypervisor/type")) == "xen")
		return "xen";
	std::string by_dmi;
	for (const char* file : {"product_name", "sys_vendor", "board_vendor", "bios_vendor"}) {
		by_dmi = vm_from_dmi(first_line(join_path(paths.sys, std::string("class/dmi/id/") + file)));
		if (!by_dmi.empty())
			break;
	}
	if (by_dmi.empty() &&
	    first_line(join_path(paths.sys, "class/dmi/id/sys_vendor")) == "Microsoft Corporation" &&
	    first_line(join_path(paths.sys, "class/dmi/id/product_name")) == "Virtual Machine")
		by_dmi = "microsoft";
	if ((by_dmi.empty() || by_dmi == "qemu") &&
	    first_line(join_path(paths.sys, "devices/system/clocksource/clocksource0/available_clocksource"))
	            .find("kvm-clock") != std::string::npos)
		return "kvm";
	if (!by_dmi.empty())
		return by_dmi;
	if (!by_cpuid.empty())
		return by_cpuid;

	std::string owned;
	if (cpuinfo.empty()) {
		if (auto text = read_text_file(join_path(paths.proc, "cpuinfo"), 4 << 20)) {
			owned = std::move(*text);
			cpuinfo = owned;
		}
	}
	// The first "flags" line is enough: every CPU has the same hypervisor bit.
	size_t at = cpuinfo.find("\nflags");
	if (at == std::string_view::npos)
		return {};
	std::string_view rest = cpuinfo.substr(at + 1);
	std::string_view line = next_line(rest);
	size_t colon = line.find(':');
	if (colon == std::string_view::npos)
		return {};
	rest = line.substr(colon + 1);
	for (std::string_view flag = next_field(rest); !flag.empty(); flag = next_field(rest)) {
		if (flag == "hypervisor")
			return "other";
	}
	return "none";
}

} // namespace serversan::agent
