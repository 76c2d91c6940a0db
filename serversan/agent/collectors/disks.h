// Disks collector: I/O per block device from <proc>/diskstats deltas: bytes and completed
// requests per second, read and write, and busy percent (the share of the interval with at least
// one request in flight, from io_ticks; 100 for a device that was never idle, which on SSDs and
// RAID volumes serving requests in parallel does not mean saturated).
//
// Which devices are reported (the rule):
// - whole devices only: partitions are left out, because their I/O is already in their disk's.
//   A partition is a name with <sys>/class/block/NAME/partition, or, where /sys cannot tell
//   (containers, fixtures), a name node_exporter's default rule calls one: sda1, vdb2, xvda1,
//   hda3, nvme0n1p2, mmcblk0p1, md0p1, nbd0p1;
// - not loop*, ram*, zram*, fd*: images, memory and floppies, not storage I/O;
// - not a device that has not completed a single read or write since boot (the 16 idle nbd
//   devices, an empty CD drive);
// - stacked devices (md*, dm-*) are kept: their I/O is what the filesystem on them sees.
// At most kMaxDisks, in kernel order.
//
// Sectors in diskstats are 512 bytes whatever the device's sector size. Every kernel since 2.6
// has the 11 fields used here (4.18 added discards, 5.5 flushes, both ignored). A counter that
// went backwards (a device re-created under the same name) gives no rate for that round.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/agent/collectors/proc_file.h"
#include "serversan/agent/host_paths.h"
#include "serversan/core/report.h"
#include "serversan/core/result.h"

namespace serversan::agent {

struct DiskCounters {
	std::string name;
	uint64_t reads = 0, sectors_read = 0, writes = 0, sectors_written = 0;
	uint64_t io_ticks_ms = 0;
	bool operator==(const DiskCounters&) const = default;
};

// Partition by name alone (the fallback rule above).
bool looks_like_partition(std::string_view name);
// loop, ram, zram, fd.
bool is_virtual_disk(std::string_view name);

// Every line with at least 11 counters, into `out` (capacity reused); no filtering.
void parse_diskstats_into(std::string_view text, std::vector<DiskCounters>& out);
std::vector<DiskCounters> parse_diskstats(std::string_view text);

// Rates between two samples `seconds` apart, for the devices in `after` that are also in
// `before` (same order expected, searched otherwise).
void disks_between(const std::vector<DiskCounters>& before, const std::vector<DiskCounters>& after,
                   double seconds, std::vector<DiskIo>& out);

class DiskCollector {
public:
	explicit DiskCollector(const HostPaths& paths);

	// Reads diskstats; fills `out` with rates since the previous call (nothing on the first
	// call, or when seconds <= 0). Error if the file cannot be read.
	Result<void> collect(std::optional<double> seconds, std::vector<DiskIo>& out);

private:
	bool reported(const std::string& name);

	std::string sys_block_;
	ProcFile file_;
	std::vector<DiskCounters> prev_, cur_, all_;
	bool have_prev_ = false;
	std::vector<std::pair<std::string, bool>> verdicts_; // name -> reported, decided once per name
};

} // namespace serversan::agent
