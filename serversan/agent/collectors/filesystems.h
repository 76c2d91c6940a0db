// Filesystems collector: the mounted filesystems that hold data, with their size and inode use.
//
// Reads <proc>/self/mounts, skips pseudo and memory-backed filesystems (proc, sysfs, tmpfs,
// cgroup, snap images on squashfs, ...), and asks statvfs for sizes. A filesystem mounted more
// than once (bind mounts, e.g. a container volume) has one device number and is reported once,
// under its shortest mount point. A mount point that cannot be statted is left out. statvfs is
// called inline, so a hung network mount stalls the collection round; the full collector set
// moves it off the main thread.
//
// total is the size, free what an unprivileged user may still write (df's "Avail"), used what
// is allocated (size - all free blocks); so used + free < total on filesystems that reserve
// blocks for root. Inode counts are empty on filesystems without a fixed inode table (btrfs).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/agent/host_paths.h"
#include "serversan/core/report.h"
#include "serversan/core/result.h"

namespace serversan::agent {

struct MountEntry {
	std::string device, mount, type;
};
// Parses the mounts table, undoing the kernel's octal escapes (\040 for a space, ...).
std::vector<MountEntry> parse_mounts(std::string_view text);
bool is_pseudo_filesystem(std::string_view type);

struct FsStat {
	uint64_t device_id = 0; // st_dev of the mount point: equal for bind mounts of one filesystem
	uint64_t block_size = 0;
	uint64_t blocks = 0, blocks_free = 0, blocks_avail = 0;
	uint64_t files = 0, files_free = 0;
};
// Given the path to stat (mount point under HostPaths::root); nullopt if it cannot be statted.
using StatFs = std::function<std::optional<FsStat>(const std::string& path)>;
std::optional<FsStat> stat_filesystem(const std::string& path); // statvfs(3) + stat(2)

// Error only if the mounts table cannot be read.
Result<std::vector<Filesystem>> collect_filesystems(const HostPaths& paths,
                                                    const StatFs& statfs = stat_filesystem);

} // namespace serversan::agent
