// Reports the store keeps whole (the newest report of each server, its slow sections) are kept in
// the protocol's own JSON form (docs/report-format.md, section 4) and read back through the same
// strict decoder that ingest uses, so a value altered by hand is caught there and reported, never
// trusted. Engine-neutral.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "serversan/core/report.h"
#include "serversan/core/result.h"
#include "serversan/server/store/metrics.h"

namespace serversan::store {

// One report as a JSON object (encode_report).
std::string encode_stored_report(const Report& r);
// A report holding only one slow section of r (with r's seq and time), or empty if r lacks it.
std::string encode_top_cpu(const Report& r);
std::string encode_top_memory(const Report& r);
std::string encode_tcp_states(const Report& r);

// Decodes one stored report object with the protocol's validation.
Result<Report> decode_stored_report(std::string_view json);

// Brings a snapshot up to a newer raw sample (store.h, LatestReport): the sample's time and
// sequence, its main values and its devices replace the snapshot's; what only the snapshot has
// (per-core shares, addresses, a filesystem's free bytes and device...) is kept for the devices
// that are still there; uptime moves on by the time between the two.
void refresh_report(Report& r, int64_t ts_ms, uint64_t seq, const MainValues& v,
                    const std::vector<DeviceSample>& devices);

} // namespace serversan::store
