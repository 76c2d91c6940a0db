// Filesystems collector: the mounted filesystems that hold data, with their size and inode use.
//
// Reads <proc>/self/mountinfo (<proc>/1/mountinfo, the host's table, when HostPaths::root is
// not "/"; <proc>/self/mounts on kernels before 2.6.26), skips pseudo and memory-backed
// filesystems (proc, sysfs, tmpfs, cgroup, snap images on squashfs, ...) and overlay mounts
// other than "/" (a container host's per-container root images; inside a container, "/" is its
// only view of its disk), and asks statvfs for sizes. A filesystem mounted
// more than once (bind mounts, e.g. a container volume) has one device number and is reported
// once: under the mount of its own root ("/" in mountinfo's root field) if any, else under its
// shortest mount point; the other mounts are not statted at all. A mount point that cannot be
// statted is left out.
//
// The mount table is parsed again only when it changes: the kernel marks the kept-open
// mountinfo descriptor with POLLPRI on every mount and unmount.
//
// statvfs of a network filesystem (is_network_filesystem: NFS, SMB, Ceph, FUSE, ...) blocks for
// as long as its server is gone, so it runs in a child process and the round waits for it at
// most the time-out (1 s by default), as node_exporter does with a goroutine. A mount that times
// out is left out of the report, logged once and marked stuck: it is not statted again (no pile
// of blocked children, at most one per mount) until the blocked call returns, and from the round
// after that it is statted normally again. Bind mounts of a stuck filesystem are skipped too.
// Local filesystems are statted inline, without a fork or an allocation.
//
// total is the size, free what an unprivileged user may still write (df's "Avail"), used what
// is allocated (size - all free blocks); so used + free < total on filesystems that reserve
// blocks for root. Inode counts are empty on filesystems without a fixed inode table (btrfs).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/agent/collectors/proc_file.h"
#include "serversan/agent/host_paths.h"
#include "serversan/core/report.h"
#include "serversan/core/result.h"

namespace serversan::agent {

struct MountEntry {
	std::string device, mount, type;
	std::string root = "/";              // mountinfo: the directory of the filesystem mounted here
	std::optional<uint64_t> device_id{}; // mountinfo: makedev(major, minor)
};
// Parses the mounts table, undoing the kernel's octal escapes (\040 for a space, ...).
std::vector<MountEntry> parse_mounts(std::string_view text);
// Parses a mountinfo table (proc(5)); lines without the " - " separator are skipped.
std::vector<MountEntry> parse_mountinfo(std::string_view text);
bool is_pseudo_filesystem(std::string_view type);
// Filesystems whose statvfs can block on a server or a user-space daemon: statted off-thread.
bool is_network_filesystem(std::string_view type);

struct FsStat {
	uint64_t device_id = 0; // st_dev of the mount point: equal for bind mounts of one filesystem
	uint64_t block_size = 0;
	uint64_t blocks = 0, blocks_free = 0, blocks_avail = 0;
	uint64_t files = 0, files_free = 0;
};
// Given the path to stat (mount point under HostPaths::root); nullopt if it cannot be statted.
using StatFs = std::function<std::optional<FsStat>(const std::string& path)>;
std::optional<FsStat> stat_filesystem(const std::string& path); // statvfs(3) + stat(2)

class FilesystemCollector {
public:
	static constexpr std::chrono::milliseconds kNetworkTimeout{1000};

	// network_timeout: how long a round waits for the statfs of a network filesystem.
	explicit FilesystemCollector(const HostPaths& paths, StatFs statfs = stat_filesystem,
	                             std::chrono::milliseconds network_timeout = kNetworkTimeout);
	~FilesystemCollector();
	FilesystemCollector(const FilesystemCollector&) = delete;
	FilesystemCollector& operator=(const FilesystemCollector&) = delete;

	// Error only if no mount table can be read.
	Result<void> collect(std::vector<Filesystem>& out);

private:
	struct Candidate {
		MountEntry mount;
		std::string path; // mount point under HostPaths::root
	};
	struct Stuck {
		std::string path, mount, type;
		int pid = 0; // the child still blocked in statfs when last looked at
		int fd = -1; // its reply pipe
	};
	Result<void> load_table();
	// Stats c in a child process into out; false if it timed out (c is stuck now).
	bool stat_network(const Candidate& c, std::optional<FsStat>& out);

	HostPaths paths_;
	StatFs statfs_;
	ProcFile mountinfo_, mounts_;
	bool use_mountinfo_ = true;
	bool have_table_ = false;
	std::vector<Candidate> candidates_; // grouped by device id when known, preferred mount first
	std::vector<uint64_t> done_;
	std::chrono::milliseconds network_timeout_;
	std::vector<Stuck> stuck_; // network mounts whose statfs timed out and has not returned yet
};

// One-shot form. Error only if the mounts table cannot be read.
Result<std::vector<Filesystem>> collect_filesystems(const HostPaths& paths,
                                                    const StatFs& statfs = stat_filesystem);

} // namespace serversan::agent
