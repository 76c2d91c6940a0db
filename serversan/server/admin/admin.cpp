#include "serversan/server/admin/admin.h"

#include <chrono>
#include <filesystem>
#include <ostream>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include "serversan/server/store/install_line.h"

namespace serversan::admin {

namespace {

int fail(std::ostream& err, const std::string& message) {
	err << "serversan-server: " << message << "\n";
	return 1;
}

std::string human_bytes(double b) {
	const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	int u = 0;
	while (b >= 1024 && u < 4) {
		b /= 1024;
		++u;
	}
	return u == 0 ? fmt::format("{:.0f} B", b) : fmt::format("{:.1f} {}", b, units[u]);
}

std::string human_span(int64_t ms) {
	if (ms >= store::kDayMs)
		return fmt::format("{:.1f} d", static_cast<double>(ms) / static_cast<double>(store::kDayMs));
	if (ms >= store::kHourMs)
		return fmt::format("{:.1f} h", static_cast<double>(ms) / static_cast<double>(store::kHourMs));
	return fmt::format("{} min", ms / store::kMinuteMs);
}

std::string utc(int64_t ms) {
	std::time_t t = static_cast<std::time_t>(ms / 1000);
	return fmt::format("{:%Y-%m-%d %H:%M}", fmt::gmtime(t));
}

int64_t ms_of(const Config& cfg, std::string_view key) {
	return static_cast<int64_t>(cfg.get_duration_s(key) * 1000.0);
}

std::string last_seen(const Clock& clock, const store::ServerRecord& s) {
	return s.last_seen_ms ? fmt::format("{} s ago", (clock.unix_millis() - *s.last_seen_ms) / 1000)
	                      : std::string("never");
}

} // namespace

// ---- Configuration -------------------------------------------------------------------------

void add_config_keys(ConfigSchema& s) {
	constexpr double day = 86400;
	s.add_string("store.key_file", "",
	             "File holding the key that seals signing keys (default DATA_DIR/keys/store.key)");
	s.add_int("store.readers", 4, "Read connections to the database", 1, 64);
	s.add_int("store.wal_checkpoint_pages", 4000,
	          "Pages in SQLite's WAL before they are copied into the database", 100, 1'000'000);
	s.add_duration("store.retention_raw", 7 * day, "How long raw reports are kept", 3600, 3650 * day);
	s.add_duration("store.retention_5m", 60 * day, "How long 5-minute roll-ups are kept", 3600, 3650 * day);
	s.add_duration("store.retention_1h", 180 * day, "How long 1-hour roll-ups are kept", 3600, 3650 * day);
	s.add_duration("store.retention_events", 180 * day, "How long events are kept", 3600, 3650 * day);
	s.add_duration("store.retention_outbox", 30 * day, "How long sent bot messages are kept", 3600,
	               3650 * day);
	s.add_duration("jobs.unused_server_after", 1800, "A server that never reported is deleted after this", 60,
	               7 * day);
	s.add_duration("jobs.cleanup_every", 60, "How often unused servers are looked for", 1, day);
	s.add_duration("jobs.rollup_every", 60, "How often roll-ups run", 1, 3600);
	s.add_duration("jobs.retention_every", 600, "How often old data is deleted", 1, day);
}

store::StoreOptions store_options(const Config& cfg, const std::string& data_dir) {
	store::StoreOptions o;
	o.path = (std::filesystem::path(data_dir) / "serversan.db").string();
	o.key_file = cfg.get_string("store.key_file");
	o.readers = static_cast<int>(cfg.get_int("store.readers"));
	o.wal_checkpoint_pages = static_cast<int>(cfg.get_int("store.wal_checkpoint_pages"));
	o.retention.raw_ms = ms_of(cfg, "store.retention_raw");
	o.retention.m5_ms = ms_of(cfg, "store.retention_5m");
	o.retention.h1_ms = ms_of(cfg, "store.retention_1h");
	o.retention.events_ms = ms_of(cfg, "store.retention_events");
	o.retention.outbox_ms = ms_of(cfg, "store.retention_outbox");
	return o;
}

jobs::JobsOptions jobs_options(const Config& cfg) {
	jobs::JobsOptions o;
	o.unused_server_after = std::chrono::milliseconds(ms_of(cfg, "jobs.unused_server_after"));
	o.cleanup_every = std::chrono::milliseconds(ms_of(cfg, "jobs.cleanup_every"));
	o.rollup_every = std::chrono::milliseconds(ms_of(cfg, "jobs.rollup_every"));
	o.retention_every = std::chrono::milliseconds(ms_of(cfg, "jobs.retention_every"));
	return o;
}

// ---- Users ---------------------------------------------------------------------------------

int user_add(store::Store& store, const Clock& clock, const UserAddArgs& a, std::ostream& out,
             std::ostream& err) {
	if (a.telegram_id == 0)
		return fail(err, "--telegram-id must be a Telegram user id (not 0)");
	if (a.username.size() > 64 || a.display_name.size() > 128)
		return fail(err, "--username is at most 64 characters, --name at most 128");
	store::User u;
	u.telegram_id = a.telegram_id;
	u.role = a.role;
	u.username = a.username;
	u.display_name = a.display_name;
	u.language = a.language;
	u.time_zone = a.time_zone;
	u.created_ms = clock.unix_millis();
	auto created = store.create_user(u);
	if (!created.ok())
		return fail(err, created.error().message);
	if (!*created)
		return fail(
		    err, fmt::format("user {} exists already (use user set-role to change the role)", a.telegram_id));
	out << fmt::format("User {} added with role {}.\n", a.telegram_id, a.role);
	return 0;
}

int user_list(store::Store& store, std::ostream& out, std::ostream& err) {
	auto users = store.list_users();
	if (!users.ok())
		return fail(err, users.error().message);
	out << fmt::format("{:>14}  {:<8} {:<20} {:<24} {:<5} {:<16} {:<7} {}\n", "TELEGRAM ID", "ROLE",
	                   "USERNAME", "NAME", "LANG", "TIME ZONE", "BOT", "CREATED (UTC)");
	for (const store::User& u : *users)
		out << fmt::format("{:>14}  {:<8} {:<20} {:<24} {:<5} {:<16} {:<7} {}\n", u.telegram_id, u.role,
		                   u.username.empty() ? "-" : "@" + u.username,
		                   u.display_name.empty() ? "-" : u.display_name, u.language, u.time_zone,
		                   u.bot_blocked ? "blocked" : "ok", utc(u.created_ms));
	return 0;
}

int user_set_role(store::Store& store, int64_t telegram_id, const std::string& role, std::ostream& out,
                  std::ostream& err) {
	auto roles = store.list_roles();
	if (!roles.ok())
		return fail(err, roles.error().message);
	bool known = false;
	std::string names;
	for (const store::Role& r : *roles) {
		known = known || r.name == role;
		names += (names.empty() ? "" : ", ") + r.name;
	}
	if (!known)
		return fail(err, fmt::format("unknown role \"{}\" (roles: {})", role, names));
	auto changed = store.set_user_role(telegram_id, role);
	if (!changed.ok())
		return fail(err, changed.error().message);
	if (!*changed)
		return fail(err, fmt::format("no user with Telegram id {}", telegram_id));
	out << fmt::format("User {} now has role {}.\n", telegram_id, role);
	return 0;
}

// ---- Servers -------------------------------------------------------------------------------

int server_add(store::Store& store, const Clock& clock, const ServerAddArgs& a, std::ostream& out,
               std::ostream& err) {
	if (a.name.empty() || a.name.size() > 64)
		return fail(err, "--name must be 1 to 64 characters");
	auto e = store::enroll_server(store, a.owner, a.name, clock.unix_millis());
	if (!e.ok())
		return fail(err, e.error().message);
	if (a.token_only) {
		out << e->token << "\n";
		return 0;
	}
	out << fmt::format("Server {} \"{}\" added.\nToken (shown once; keep it secret):\n  {}\n"
	                   "Install the agent on that machine with:\n  {}\n",
	                   e->server_id, a.name, e->token, store::install_line(a.public_url, e->token));
	return 0;
}

int server_list(store::Store& store, const Clock& clock, std::ostream& out, std::ostream& err) {
	auto servers = store.list_servers();
	if (!servers.ok())
		return fail(err, servers.error().message);
	out << fmt::format("{:>6}  {:<24} {:>14}  {:<20} {:<10} {:>9}  {}\n", "ID", "NAME", "OWNER", "HOST",
	                   "AGENT", "REPORTS", "LAST SEEN");
	for (const auto& s : *servers) {
		auto n = store.count_samples(s.id);
		out << fmt::format("{:>6}  {:<24} {:>14}  {:<20} {:<10} {:>9}  {}{}\n", s.id, s.name,
		                   s.owner_chat ? std::to_string(*s.owner_chat) : "-",
		                   s.host && !s.host->hostname.empty() ? s.host->hostname : "-",
		                   s.agent_version.empty() ? "-" : s.agent_version, n.ok() ? *n : 0,
		                   last_seen(clock, s), s.key_ok ? "" : "  (signing key unreadable)");
	}
	return 0;
}

int server_show(store::Store& store, const Clock& clock, uint64_t id, std::ostream& out, std::ostream& err) {
	auto s = store.find_server(id);
	if (!s.ok())
		return fail(err, s.error().message);
	if (!*s)
		return fail(err, fmt::format("no server with id {}", id));
	auto n = store.count_samples(id);
	if (!n.ok())
		return fail(err, n.error().message);
	const auto& r = **s;
	out << fmt::format(
	    "id: {}\nname: {}\nowner: {}\nagent: {}\nreports: {}\nlast seen: {}\ncreated: {} UTC\n", r.id, r.name,
	    r.owner_chat ? std::to_string(*r.owner_chat) : "-", r.agent_version.empty() ? "-" : r.agent_version,
	    *n, last_seen(clock, r), utc(r.created_ms));
	if (r.host) {
		const HostFacts& h = *r.host;
		out << fmt::format("host: {}\nos: {} {}\nkernel: {} ({})\ncpu: {}{}\n", h.hostname, h.os_name,
		                   h.os_version, h.kernel, h.arch, h.cpu_model,
		                   h.cpu_logical ? fmt::format(", {} logical", *h.cpu_logical) : std::string());
	}
	return 0;
}

int server_delete(store::Store& store, uint64_t id, std::ostream& out, std::ostream& err) {
	auto r = store.delete_server(id);
	if (!r.ok())
		return fail(err, r.error().message);
	if (!*r)
		return fail(err, fmt::format("no server with id {}", id));
	out << fmt::format("Server {} deleted (its history is removed by the next retention run).\n", id);
	return 0;
}

int server_rotate_token(store::Store& store, uint64_t id, bool token_only, std::ostream& out,
                        std::ostream& err) {
	auto t = store::rotate_token(store, id);
	if (!t.ok())
		return fail(err, t.error().message);
	if (!*t)
		return fail(err, fmt::format("no server with id {}", id));
	if (token_only)
		out << **t << "\n";
	else
		out << fmt::format("New token for server {} (the old one no longer works):\n  {}\n", id, **t);
	return 0;
}

// ---- Database ------------------------------------------------------------------------------

int db_migrate(const store::StoreOptions& options, std::ostream& out, std::ostream& err) {
	store::StoreOptions o = options;
	o.migrate_on_open = false;
	auto s = store::open_store(o);
	if (!s.ok())
		return fail(err, s.error().message);
	auto before = (*s)->schema_version();
	if (!before.ok())
		return fail(err, before.error().message);
	if (auto r = (*s)->migrate(); !r.ok())
		return fail(err, r.error().message);
	auto after = (*s)->schema_version();
	if (!after.ok())
		return fail(err, after.error().message);
	if (*after == *before)
		out << fmt::format("Database {} is at schema version {} (up to date).\n", options.path, *after);
	else
		out << fmt::format("Database {} migrated from schema version {} to {}.\n", options.path, *before,
		                   *after);
	return 0;
}

int db_stats(store::Store& store, std::ostream& out, std::ostream& err) {
	auto st = store.stats();
	if (!st.ok())
		return fail(err, st.error().message);
	out << fmt::format("{}, schema version {}: file {}, WAL {}; {} servers\n\n", st->engine,
	                   st->schema_version, human_bytes(static_cast<double>(st->file_bytes)),
	                   human_bytes(static_cast<double>(st->wal_bytes)), st->servers);
	out << fmt::format("{:<16} {:<5} {:>12} {:>12}\n", "TABLE", "TIER", "ROWS", "SIZE");
	for (const store::TableStats& t : st->tables)
		out << fmt::format("{:<16} {:<5} {:>12} {:>12}\n", t.name, t.tier.empty() ? "-" : t.tier, t.rows,
		                   human_bytes(static_cast<double>(t.bytes)));
	out << fmt::format("\n{:<5} {:>12} {:>12} {:>8} {:>9} {:>16} {:>8} {:>18}\n", "TIER", "ROWS", "SIZE",
	                   "SERVERS", "SPAN", "PER SERVER-DAY", "KEPT", "PER SERVER, KEPT");
	for (const store::TierStats& t : st->tiers) {
		double kept_days = static_cast<double>(t.retention_ms) / static_cast<double>(store::kDayMs);
		bool known = t.bytes_per_server_day > 0;
		out << fmt::format("{:<5} {:>12} {:>12} {:>8} {:>9} {:>16} {:>8} {:>18}\n", store::tier_name(t.tier),
		                   t.rows, human_bytes(static_cast<double>(t.bytes)), t.servers,
		                   t.span_ms > 0 ? human_span(t.span_ms) : "-",
		                   known ? human_bytes(t.bytes_per_server_day) : "-", human_span(t.retention_ms),
		                   known ? human_bytes(t.bytes_per_server_day * kept_days) : "-");
	}
	out << "\nPER SERVER-DAY is the tier's size over servers and the days it spans (shown from one hour of "
	       "data);\n"
	       "PER SERVER, KEPT multiplies it by the days the tier is kept: what one server costs at steady "
	       "state.\n";
	return 0;
}

int db_backup(store::Store& store, const std::string& file, std::ostream& out, std::ostream& err) {
	if (file.empty())
		return fail(err, "db backup needs a FILE");
	auto b = store.backup(file);
	if (!b.ok())
		return fail(err, b.error().message);
	out << fmt::format("Backup written to {} ({}, mode 0600, integrity_check: {}).\n", b->path,
	                   human_bytes(static_cast<double>(b->bytes)), b->integrity);
	return 0;
}

} // namespace serversan::admin
