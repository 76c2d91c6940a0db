// Configuration shared by the agent and the server: a schema of typed keys, and a loader that
// layers built-in defaults < a TOML file < environment variables < command-line flags.
//
// Keys are dotted names ("ingest.listen", "spool.max_bytes") that map onto TOML tables and keys.
// The environment variable for a key is the program's prefix followed by the key upper-cased
// with '.' turned into '_': with prefix "SERVERSAN_AGENT_", "server.url" is read from
// SERVERSAN_AGENT_SERVER_URL (see env_var_name). A variable that starts with the prefix but names
// no key is an error, so a typo cannot be silently ignored; variables of other programs (other
// prefixes) are ignored.
//
// load_config() reports every problem it finds, one per line, each naming where the bad value
// came from (file:line, variable or flag). A key marked secret never has its value in an error
// message or in Config::dump(). Values from the environment and from flags are strings parsed
// per the key's type; TOML values must already have the right type (a duration or byte size may
// also be given as a string such as "5m" or "64MiB").
//
// Asking a Config for a key that is not in the schema, or with the getter of another type, is a
// programming error and throws std::logic_error; so does a malformed schema (in add_*() where it
// can, in load_config() for a default out of range, since required() may yet void the default).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "serversan/core/result.h"

namespace serversan {

enum class ConfigType {
	boolean,
	integer, // int64
	number,  // double
	string,
	duration, // seconds as a double; TOML number, or a string like "90s", "5m", "1h30m", "250ms"
	bytes,    // uint64; TOML integer, or a string like "500KB", "64MiB", "1.5GiB"
};
std::string_view config_type_name(ConfigType type);

// Holds the alternative matching the key's type: bool, int64_t (integer), double (number and
// duration), std::string, uint64_t (bytes). monostate means "no value" (no default, no bound).
using ConfigValue = std::variant<std::monostate, bool, std::int64_t, double, std::string, std::uint64_t>;

struct ConfigKey {
	std::string name;
	ConfigType type = ConfigType::string;
	std::string help;
	ConfigValue default_value;        // monostate: required, load_config fails unless some layer sets it
	ConfigValue min, max;             // inclusive bounds; monostate: unbounded
	std::vector<std::string> choices; // string keys only; empty: any string
	std::string flag;                 // command-line spelling, e.g. "--interval"; empty: none
	bool secret = false;

	bool required() const { return std::holds_alternative<std::monostate>(default_value); }
};

// Built once at start-up, e.g.
//   ConfigSchema schema;
//   schema.add_string("server.url", "", "Where reports go").flag("--server")
//       .add_duration("interval", 60.0, "Seconds between reports", 0.1, 3600).flag("--interval")
//       .add_string("telegram.token", "", "Telegram bot token").secret();
// The modifiers (required, secret, flag, one_of) apply to the key added last.
class ConfigSchema {
public:
	ConfigSchema& add_bool(std::string name, bool def, std::string help);
	// min and max are inclusive; nullopt: unbounded.
	ConfigSchema& add_int(std::string name, std::int64_t def, std::string help,
	                      std::optional<std::int64_t> min = std::nullopt,
	                      std::optional<std::int64_t> max = std::nullopt);
	ConfigSchema& add_number(std::string name, double def, std::string help,
	                         std::optional<double> min = std::nullopt,
	                         std::optional<double> max = std::nullopt);
	ConfigSchema& add_string(std::string name, std::string def, std::string help);
	ConfigSchema& add_duration(std::string name, double def_seconds, std::string help,
	                           std::optional<double> min_seconds = std::nullopt,
	                           std::optional<double> max_seconds = std::nullopt);
	ConfigSchema& add_bytes(std::string name, std::uint64_t def, std::string help,
	                        std::optional<std::uint64_t> min = std::nullopt,
	                        std::optional<std::uint64_t> max = std::nullopt);

	// The key has no default: loading fails unless the file, the environment or a flag sets it.
	ConfigSchema& required();
	// The value is never shown: not in errors, not in dump().
	ConfigSchema& secret();
	// The command-line spelling (e.g. "--interval"); main registers these with its CLI parser
	// and passes what was given as ConfigSources::flags.
	ConfigSchema& flag(std::string spelling);
	// A string key must be one of these values.
	ConfigSchema& one_of(std::initializer_list<std::string_view> values);

	const std::vector<ConfigKey>& keys() const { return keys_; }
	const ConfigKey* find(std::string_view name) const;

private:
	ConfigSchema& add(ConfigKey key);
	ConfigKey& last();

	std::vector<ConfigKey> keys_;
};

struct FlagOverride {
	std::string key;      // schema key
	std::string value;    // as typed on the command line, parsed per the key's type
	std::string spelling; // for messages, e.g. "--interval"; empty: the key's flag or "--<key>"
};

struct ConfigSources {
	std::string file;           // TOML file; empty: none
	bool file_required = false; // false: a missing file is skipped (a default path); true: error
	// "NAME=VALUE" entries (main passes environ, see process_environment; tests their own).
	// Entries without '=' are skipped; a later entry for the same name wins.
	std::vector<std::string> env;
	std::string env_prefix; // e.g. "SERVERSAN_AGENT_"; empty: the environment is not read
	// Variables with the prefix that the program reads itself (e.g. SERVERSAN_AGENT_CONFIG, the
	// path of the file), so they are not reported as unknown.
	std::vector<std::string> env_ignore;
	std::vector<FlagOverride> flags; // applied in order; a later flag for the same key wins
};

// The loaded configuration: one value per schema key, plus where it came from. Immutable.
class Config {
public:
	Config() = default;

	const std::string& get_string(std::string_view key) const;
	std::int64_t get_int(std::string_view key) const;
	double get_double(std::string_view key) const;
	bool get_bool(std::string_view key) const;
	double get_duration_s(std::string_view key) const;
	std::uint64_t get_bytes(std::string_view key) const;

	// "default", "file /etc/serversan/agent.toml:3", "env SERVERSAN_AGENT_INTERVAL",
	// "flag --interval".
	const std::string& origin(std::string_view key) const;

	// The file that was read, or empty if none was (none given, or optional and missing).
	const std::string& file() const { return file_; }

	// One line per key in schema order, `key = value  # origin`, secrets shown as <redacted>
	// (an unset secret as ""). The lines are valid TOML apart from redacted values.
	std::string dump() const;

private:
	friend Result<Config> load_config(const ConfigSchema& schema, const ConfigSources& sources);

	struct Entry {
		ConfigKey key;
		ConfigValue value;
		std::string origin;
	};
	const Entry& entry(std::string_view key, ConfigType type) const;

	std::vector<Entry> entries_; // schema order
	std::map<std::string, std::size_t, std::less<>> index_;
	std::string file_;
};

Result<Config> load_config(const ConfigSchema& schema, const ConfigSources& sources);

// The environment variable that sets `key`: prefix + key upper-cased, '.' -> '_'.
std::string env_var_name(std::string_view prefix, std::string_view key);

// This process's environment as "NAME=VALUE" entries, for ConfigSources::env.
std::vector<std::string> process_environment();

// "90s", "5m", "1h30m", "250ms", "2d", "1.5h", or a bare number of seconds ("90", "0.5").
// Negative values are rejected.
Result<double> parse_duration(std::string_view text);
// "1048576", "500B", "500KB" (1000), "64MiB" (1024), "1.5GiB"; units: B, KB, MB, GB, TB, KiB, MiB,
// GiB, TiB (case-insensitive). Negative values and values over 2^64-1 are rejected.
Result<std::uint64_t> parse_bytes(std::string_view text);
// The inverses, picking the largest unit that is exact: format_duration(5400) == "90m",
// format_bytes(67108864) == "64MiB", format_bytes(1000) == "1000".
std::string format_duration(double seconds);
std::string format_bytes(std::uint64_t bytes);

} // namespace serversan
