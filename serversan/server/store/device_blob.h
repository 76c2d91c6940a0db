// The compact per-device part of a raw sample: every filesystem, disk, interface and sensor of one
// report with its slot values (metrics.h), in a few hundred bytes. It rides in the sample's row so
// that storing a report stays one row insert (research/perf-anchors.md, 2026-11-25: one row with
// a ~600-byte blob costs 9.4 us per report, 15 narrow rows 75 us); the roll-up job reads it back
// to build the per-device tiers. Engine-neutral (a PostgreSQL bytea holds the same bytes).
//
// Format, version 1: byte 1, then per device: kind (1 byte), name length (varint, 1..256), name,
// a presence mask (1 byte, bit i = slot i), then each present slot: integer slots as an unsigned
// varint, the others as an IEEE float32, little-endian. Rates and shares lose nothing a chart can
// show at float32; byte counts stay exact.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "serversan/core/report.h"
#include "serversan/core/result.h"
#include "serversan/server/store/metrics.h"

namespace serversan::store {

inline constexpr uint8_t kDeviceBlobVersion = 1;

// Appends the blob of r's devices to out (cleared first). Empty when r has no device.
void encode_devices(const Report& r, std::string& out);
void encode_devices(std::span<const DeviceSample> devices, std::string& out);

// Never reads past the input and never throws: a truncated or altered blob is an error.
Result<std::vector<DeviceSample>> decode_devices(std::span<const uint8_t> blob);

} // namespace serversan::store
