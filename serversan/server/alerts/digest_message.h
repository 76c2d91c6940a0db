// The facts of one chat's daily digest, as the digest job writes them into the outbox
// (OutboxMessage.kind "digest", payload = encode(Digest)); the bot renders them in the chat's
// language and zone (bot/digest_notice.h). JSON, versioned ("v"); decode refuses anything
// without the required fields.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/core/result.h"

namespace serversan::alerts {

inline constexpr std::string_view kOutboxKindDigest = "digest";
inline constexpr int kDigestVersion = 1;

// One server as it is at the digest: online or not, and its worst current values.
struct DigestServer {
	uint64_t id = 0;
	std::string name;
	bool online = false;
	std::optional<int64_t> last_seen_ms; // empty: never reported
	std::optional<double> cpu, ram;      // percent, the newest report
	std::string disk_mount;              // the fullest storage filesystem
	std::optional<double> disk;          // its percent
	bool operator==(const DigestServer&) const = default;
};

// One alert of the last 24 h: fired in it, resolved in it, or firing through it.
struct DigestAlert {
	uint64_t server_id = 0;
	std::string server_name;
	std::string kind;   // an alert_kinds() name
	std::string device; // mount, interface...; empty for server-wide kinds
	std::string severity = "warning";
	bool above = true;
	std::optional<double> value; // at firing (offline: minutes silent)
	double threshold = 0;
	int64_t started_ms = 0;
	std::optional<int64_t> resolved_ms; // empty: still firing at the digest
	bool operator==(const DigestAlert&) const = default;
};

// Something heading for a threshold: a disk predicted full (full_ms), or a kind whose 24 h
// average is close under its rule's threshold (average).
struct DigestTrend {
	uint64_t server_id = 0;
	std::string server_name;
	std::string kind;
	std::string device;
	std::optional<double> average;
	double threshold = 0;
	std::optional<int64_t> full_ms;
	std::optional<double> fill_per_s; // bytes per second
	bool operator==(const DigestTrend&) const = default;
};

struct Digest {
	std::string day;     // the chat's local date, "2026-12-08"
	int64_t from_ms = 0; // the span the alerts cover: [from_ms, at_ms)
	int64_t at_ms = 0;
	bool silent = false; // sent during quiet hours: without a sound
	std::vector<DigestServer> servers;
	std::vector<DigestAlert> alerts;
	std::vector<DigestTrend> trends;
	bool operator==(const Digest&) const = default;
};

std::string encode(const Digest& d);
Result<Digest> decode_digest(std::string_view json);

} // namespace serversan::alerts
