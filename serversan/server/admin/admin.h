// The admin commands of serversan-server (`user ...`, `server ...`, `db ...`) as plain functions:
// main.cpp parses the command line and calls one of these; tests call them with string streams.
//
// Each command writes what it did to `out` and any problem to `err` (one line, starting with
// "serversan-server: "), and returns the process exit code: 0 on success, 1 on failure (bad
// input, no such object, an error from the store). Nothing here touches SQL: it goes through the
// Store. The config helpers add the store's and the jobs' keys to main's schema and read them back.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "serversan/core/clock.h"
#include "serversan/core/config.h"
#include "serversan/server/jobs/store_jobs.h"
#include "serversan/server/store/store.h"
#include "serversan/server/store/web_login.h"

namespace serversan::admin {

// ---- Configuration -------------------------------------------------------------------------

// Adds store.key_file, store.readers, store.retention_{raw,5m,1h,events,outbox} and
// jobs.{unused_server_after,cleanup_every,rollup_every,retention_every} to the schema.
void add_config_keys(ConfigSchema& schema);
// The store's options: the database is data_dir/serversan.db, the key file data_dir/keys/store.key
// unless store.key_file says otherwise.
store::StoreOptions store_options(const Config& cfg, const std::string& data_dir);
jobs::JobsOptions jobs_options(const Config& cfg);

// ---- Users ---------------------------------------------------------------------------------

struct UserAddArgs {
	int64_t telegram_id = 0;
	std::string role = "user";
	std::string username;
	std::string display_name;
	std::string language = "en";
	std::string time_zone = "UTC";
};
int user_add(store::Store& store, const Clock& clock, const UserAddArgs& args, std::ostream& out,
             std::ostream& err);
int user_list(store::Store& store, std::ostream& out, std::ostream& err);
int user_set_role(store::Store& store, int64_t telegram_id, const std::string& role, std::ostream& out,
                  std::ostream& err);

// ---- Servers -------------------------------------------------------------------------------

struct ServerAddArgs {
	std::string name;
	std::optional<int64_t> owner;
	std::string public_url; // for the install line
	bool token_only = false;
};
// Prints the token and the install one-liner (exactly what the bot's /add sends).
int server_add(store::Store& store, const Clock& clock, const ServerAddArgs& args, std::ostream& out,
               std::ostream& err);
int server_list(store::Store& store, const Clock& clock, std::ostream& out, std::ostream& err);
int server_show(store::Store& store, const Clock& clock, uint64_t id, std::ostream& out, std::ostream& err);
int server_delete(store::Store& store, uint64_t id, std::ostream& out, std::ostream& err);
int server_rotate_token(store::Store& store, uint64_t id, bool token_only, std::ostream& out,
                        std::ostream& err);

// ---- Web dashboard -------------------------------------------------------------------------

// Prints a one-time login link to the dashboard (single use, valid for ttl_ms: web.login_link_ttl)
// for a registered user, or for the console operator (the owner of servers added without --owner,
// an admin) when user is empty. url_only: the link alone, for scripts.
int web_login_link(store::Store& store, const Clock& clock, const std::string& public_url,
                   std::optional<int64_t> user, bool url_only, std::ostream& out, std::ostream& err,
                   int64_t ttl_ms = store::kLoginLinkTtlMs);

// ---- Database ------------------------------------------------------------------------------

// Opens the store itself (without migrating first), applies pending migrations and says what it
// did. Call it instead of opening the store for `db migrate`.
int db_migrate(const store::StoreOptions& options, std::ostream& out, std::ostream& err);
// Size per table and tier, bytes per server per day, projected size at the retention.
int db_stats(store::Store& store, std::ostream& out, std::ostream& err);
// An online, consistent copy to file (mode 0600, integrity-checked); file must not exist.
int db_backup(store::Store& store, const std::string& file, std::ostream& out, std::ostream& err);

} // namespace serversan::admin
