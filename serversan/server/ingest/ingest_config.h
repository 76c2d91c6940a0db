// The ingest role's settings: every key under "ingest." with its default, range and flag, and
// their translation into the options of the parts (IngestService, Writer, HttpServer). Defaults
// are reliability.md 2.2's. main.cpp calls add_ingest_config() while building its schema and
// ingest_options_from() after loading, and owns nothing else of the ingest's configuration.
#pragma once

#include "serversan/core/config.h"
#include "serversan/core/result.h"
#include "serversan/server/ingest/http_listener.h"
#include "serversan/server/ingest/ingest_service.h"
#include "serversan/server/ingest/writer.h"

namespace serversan::ingest {

struct Options {
	IngestOptions service;
	HttpOptions http;
	WriterOptions writer;
	bool preload_keys = true; // fill the key cache from the store at start
	// Files whose sizes make serversan_store_size_bytes (the SQLite database and its -wal);
	// main sets them, the config does not know the data directory.
	std::vector<std::string> store_files;
	// Who reads each committed group next (writer.h); main sets it to the alert engine's feed.
	CommitHook after_commit;
};

void add_ingest_config(ConfigSchema& schema);
// Errors name the key (a bad listen address, CIDR list, half a TLS pair...).
Result<Options> ingest_options_from(const Config& config);

// "127.0.0.1:8080", "[::1]:8443", "0.0.0.0:443".
Result<void> parse_listen(std::string_view text, std::string& address, uint16_t& port);

} // namespace serversan::ingest
