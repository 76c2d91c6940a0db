// Virtualization collector: what the host runs in, named as systemd-detect-virt(1) names it
// ("kvm", "qemu", "vmware", "microsoft", "xen", "oracle", "amazon", "google", "docker", "lxc",
// "podman", "openvz", "wsl", "systemd-nspawn", ...), "none" on bare metal, or "" when the sources
// do not say.
//
// A container wins over the VM it may run in: it is the environment the monitored system sees.
// Container markers, all under the host root, first hit wins: <proc>/vz without <proc>/bc
// (OpenVZ), WSL in <proc>/sys/kernel/osrelease, <root>/run/systemd/container, "container=" in
// <proc>/1/environ (readable by root only), <root>/run/.containerenv (podman), <root>/.dockerenv,
// and the cgroup path of pid 1 (<proc>/1/cgroup: /docker/, /lxc/, /libpod..., /kubepods).
// VM markers: the CPUID hypervisor vendor (passed in: the CPU is the host's even when the files
// are read under another root), <sys>/hypervisor/type, the DMI strings in <sys>/class/dmi/id
// (sys_vendor, product_name, board_vendor, bios_vendor), the "kvm-clock" clocksource, and the
// "hypervisor" flag of <proc>/cpuinfo ("other" when nothing names the hypervisor).
// "none" needs positive evidence: x86 cpuinfo flags without "hypervisor" and no VM marker. On
// other architectures (no such flag) no marker means "".
#pragma once

#include <string>
#include <string_view>

#include "serversan/agent/host_paths.h"

namespace serversan::agent {

// This machine's CPUID hypervisor vendor string (leaf 0x40000000, e.g. "KVMKVMKVM"), "" on a
// non-x86 build or when the CPU reports no hypervisor.
std::string cpuid_hypervisor_vendor();

// The container type for a value of systemd's $container or /run/systemd/container.
std::string container_from_marker(std::string_view value);
// The container type from a /proc/1/cgroup text, "" if it names none.
std::string container_from_cgroup(std::string_view text);
// The VM type from CPUID's vendor string, "" if unknown.
std::string vm_from_cpuid(std::string_view vendor);
// The VM type from one DMI string (vendor or product name), "" if it names none.
std::string vm_from_dmi(std::string_view value);

// `cpuinfo` is the <proc>/cpuinfo text if the caller has it already (empty: read it here).
std::string detect_virtualization(const HostPaths& paths, std::string_view cpuid_vendor,
                                  std::string_view cpuinfo = {});

} // namespace serversan::agent
