// Store: the server's only way to its data. Callers (ingest, jobs, bot, web) see this
// interface; each engine (SQLite now, PostgreSQL later) implements it in its own folder, and no
// SQL exists anywhere else. Every method reports expected failures (I/O, a corrupt file, a busy
// database) as Result errors; none throws on bad data.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "serversan/core/report.h"
#include "serversan/core/result.h"
#include "serversan/core/token.h"

namespace serversan::store {

struct ServerRecord {
	uint64_t id = 0;
	std::optional<int64_t> owner_chat; // Telegram chat of the owner; empty for servers added by the CLI
	std::string name;
	SigningKey signing_key{};
	int64_t created_ms = 0;
	std::optional<int64_t> last_seen_ms;
	std::string agent_version;
};

// One verified batch from one agent stream, ready to be stored.
struct IngestBatch {
	uint64_t server_id = 0;
	ReportBatch batch;
	int64_t received_ms = 0;
};

struct IngestOutcome {
	uint64_t accepted = 0;   // reports stored now
	uint64_t duplicates = 0; // already stored earlier (an honest retry)
	uint64_t stale = 0;      // below the sequence window: not stored
};

struct SampleRow {
	int64_t ts_ms = 0;
	uint64_t seq = 0;
	std::optional<double> cpu_busy_percent;
	std::optional<double> load1;
	std::optional<uint64_t> mem_total, mem_used;
};

class Store {
public:
	virtual ~Store() = default;

	// Applies pending migrations. Fails (and changes nothing) if the database was written by a
	// newer ServerSan than this binary.
	virtual Result<void> migrate() = 0;
	virtual Result<int> schema_version() = 0;

	virtual Result<uint64_t> create_server(std::optional<int64_t> owner_chat, const std::string& name,
	                                       const SigningKey& key, int64_t now_ms) = 0;
	virtual Result<std::optional<ServerRecord>> find_server(uint64_t id) = 0;
	virtual Result<std::vector<ServerRecord>> list_servers() = 0;
	// Replaces the signing key at once (token rotation); false if no such server.
	virtual Result<bool> set_signing_key(uint64_t id, const SigningKey& key) = 0;
	virtual Result<bool> delete_server(uint64_t id) = 0;

	// Stores the batches in ONE transaction (group commit) that also advances each stream's
	// sequence window; durable when this returns success. outcomes[i] belongs to batches[i].
	virtual Result<std::vector<IngestOutcome>> append(const std::vector<IngestBatch>& batches) = 0;

	virtual Result<uint64_t> count_samples(uint64_t server_id) = 0;
	virtual Result<std::vector<SampleRow>> samples(uint64_t server_id, int64_t from_ms, int64_t to_ms) = 0;
};

// Opens (creating if needed) the SQLite database at path and migrates it.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path);

} // namespace serversan::store
