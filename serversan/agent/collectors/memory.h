// Memory collector: <proc>/meminfo -> Memory (bytes). Definitions follow free(1) of procps 4:
// cached = Cached + SReclaimable, used = MemTotal - MemAvailable (on kernels before 3.14, which
// have no MemAvailable: total - free - buffers - cached). A field the kernel does not report stays
// empty, and so does anything derived from it.
#pragma once

#include <string>
#include <string_view>

#include "serversan/core/report.h"
#include "serversan/core/result.h"

namespace serversan::agent {

// Error only if the file cannot be read; missing fields are empty values.
Result<Memory> collect_memory(const std::string& proc_root);
Memory parse_meminfo(std::string_view text);

} // namespace serversan::agent
