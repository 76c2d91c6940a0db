#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "serversan/core/config.h"

namespace serversan {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kSecret = "123456:AAsup3rS3cretT0ken";

ConfigSchema agent_schema() {
	ConfigSchema s;
	s.add_string("server.url", "https://localhost:8443", "Where reports go")
	    .flag("--server")
	    .add_duration("interval", 60.0, "Seconds between reports", 0.1, 3600)
	    .flag("--interval")
	    .add_int("workers", 4, "Worker threads", 1, 64)
	    .add_number("load.threshold", 0.75, "Alert above this load", 0.0, 1.0)
	    .add_bool("verbose", false, "Chatty logs")
	    .add_bytes("spool.max_bytes", 64ull << 20, "Spool size cap", 1024, 1ull << 40)
	    .add_string("ingest.listen", "0.0.0.0:8443", "Listen address")
	    .add_string("log.level", "info", "Log level")
	    .one_of({"debug", "info", "warn", "error"})
	    .add_string("telegram.token", "", "Telegram bot token")
	    .secret()
	    .flag("--telegram-token");
	return s;
}

// A file in the temp directory that is removed when the test ends.
class TempFile {
public:
	explicit TempFile(const std::string& content, const std::string& suffix = ".toml") {
		static std::atomic<int> counter{0};
		path_ =
		    std::filesystem::temp_directory_path() / ("serversan_config_test_" + std::to_string(::getpid()) +
		                                              "_" + std::to_string(counter++) + suffix);
		std::ofstream(path_, std::ios::binary) << content;
	}
	~TempFile() {
		std::error_code ec;
		std::filesystem::remove(path_, ec);
	}
	TempFile(const TempFile&) = delete;
	TempFile& operator=(const TempFile&) = delete;
	std::string path() const { return path_.string(); }

private:
	std::filesystem::path path_;
};

std::string missing_path() {
	return (std::filesystem::temp_directory_path() /
	        ("serversan_config_test_missing_" + std::to_string(::getpid()) + ".toml"))
	    .string();
}

ConfigSources agent_sources() {
	ConfigSources src;
	src.env_prefix = "SERVERSAN_AGENT_";
	return src;
}

Config load_ok(const ConfigSchema& schema, const ConfigSources& src) {
	auto r = load_config(schema, src);
	EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
	if (!r.ok())
		throw std::runtime_error("load failed");
	return std::move(r).value();
}

std::string load_error(const ConfigSchema& schema, const ConfigSources& src) {
	auto r = load_config(schema, src);
	EXPECT_FALSE(r.ok());
	return r.ok() ? std::string() : r.error().message;
}

std::string file_error(const std::string& content) {
	TempFile f(content);
	auto src = agent_sources();
	src.file = f.path();
	std::string err = load_error(agent_schema(), src);
	EXPECT_THAT(err, HasSubstr(f.path() + ":"));
	return err;
}

std::string env_error(const std::string& entry) {
	auto src = agent_sources();
	src.env = {entry};
	return load_error(agent_schema(), src);
}

std::string flag_error(const std::string& key, const std::string& value) {
	auto src = agent_sources();
	src.flags = {{key, value, ""}};
	return load_error(agent_schema(), src);
}

// ---- layers ----

TEST(Config, DefaultsOnly) {
	Config c = load_ok(agent_schema(), agent_sources());
	EXPECT_EQ(c.get_string("server.url"), "https://localhost:8443");
	EXPECT_DOUBLE_EQ(c.get_duration_s("interval"), 60.0);
	EXPECT_EQ(c.get_int("workers"), 4);
	EXPECT_DOUBLE_EQ(c.get_double("load.threshold"), 0.75);
	EXPECT_FALSE(c.get_bool("verbose"));
	EXPECT_EQ(c.get_bytes("spool.max_bytes"), 64ull << 20);
	EXPECT_EQ(c.get_string("telegram.token"), "");
	EXPECT_EQ(c.origin("interval"), "default");
	EXPECT_EQ(c.file(), "");
}

TEST(Config, FileOverridesDefault) {
	TempFile f("# agent\nworkers = 8\n\n[server]\nurl = \"https://mon.example:443\"\n[spool]\nmax_bytes = "
	           "\"1GiB\"\n");
	auto src = agent_sources();
	src.file = f.path();
	src.file_required = true;
	Config c = load_ok(agent_schema(), src);
	EXPECT_EQ(c.get_int("workers"), 8);
	EXPECT_EQ(c.origin("workers"), "file " + f.path() + ":2");
	EXPECT_EQ(c.get_string("server.url"), "https://mon.example:443");
	EXPECT_EQ(c.origin("server.url"), "file " + f.path() + ":5");
	EXPECT_EQ(c.get_bytes("spool.max_bytes"), 1ull << 30);
	EXPECT_EQ(c.get_duration_s("interval"), 60.0);
	EXPECT_EQ(c.origin("interval"), "default");
	EXPECT_EQ(c.file(), f.path());
}

TEST(Config, DottedKeysAndInlineTablesInFile) {
	TempFile f("server.url = \"https://a\"\nspool = { max_bytes = 2048 }\n");
	auto src = agent_sources();
	src.file = f.path();
	Config c = load_ok(agent_schema(), src);
	EXPECT_EQ(c.get_string("server.url"), "https://a");
	EXPECT_EQ(c.get_bytes("spool.max_bytes"), 2048u);
}

TEST(Config, FullPrecedenceChainOnOneKey) {
	TempFile f("interval = 30\n");
	auto src = agent_sources();
	src.file = f.path();
	Config c = load_ok(agent_schema(), src);
	EXPECT_EQ(c.get_duration_s("interval"), 30.0);
	EXPECT_EQ(c.origin("interval"), "file " + f.path() + ":1");

	src.env = {"SERVERSAN_AGENT_INTERVAL=2m"};
	c = load_ok(agent_schema(), src);
	EXPECT_EQ(c.get_duration_s("interval"), 120.0);
	EXPECT_EQ(c.origin("interval"), "env SERVERSAN_AGENT_INTERVAL");

	src.flags = {{"interval", "250ms", "--interval"}};
	c = load_ok(agent_schema(), src);
	EXPECT_DOUBLE_EQ(c.get_duration_s("interval"), 0.25);
	EXPECT_EQ(c.origin("interval"), "flag --interval");
}

TEST(Config, DifferentKeysFromDifferentLayers) {
	TempFile f("workers = 2\nverbose = true\n");
	auto src = agent_sources();
	src.file = f.path();
	src.env = {"PATH=/usr/bin", "SERVERSAN_AGENT_SERVER_URL=https://env", "SERVERSAN_AGENT_VERBOSE=no"};
	src.flags = {{"load.threshold", "0.5", "--load-threshold"}};
	Config c = load_ok(agent_schema(), src);
	EXPECT_EQ(c.get_int("workers"), 2);
	EXPECT_EQ(c.origin("workers"), "file " + f.path() + ":1");
	EXPECT_FALSE(c.get_bool("verbose"));
	EXPECT_EQ(c.origin("verbose"), "env SERVERSAN_AGENT_VERBOSE");
	EXPECT_EQ(c.get_string("server.url"), "https://env");
	EXPECT_DOUBLE_EQ(c.get_double("load.threshold"), 0.5);
	EXPECT_EQ(c.origin("load.threshold"), "flag --load-threshold");
	EXPECT_EQ(c.origin("log.level"), "default");
}

TEST(Config, LaterEnvEntriesAndFlagsWin) {
	auto src = agent_sources();
	src.env = {"SERVERSAN_AGENT_WORKERS=3", "SERVERSAN_AGENT_WORKERS=5", "NOEQUALSIGN"};
	src.flags = {{"verbose", "true", ""}, {"verbose", "off", ""}};
	Config c = load_ok(agent_schema(), src);
	EXPECT_EQ(c.get_int("workers"), 5);
	EXPECT_FALSE(c.get_bool("verbose"));
	EXPECT_EQ(c.origin("verbose"), "flag --verbose"); // no flag in the schema: "--" + key
}

TEST(Config, FlagSpellingFromSchema) {
	auto src = agent_sources();
	src.flags = {{"server.url", "https://flag", ""}};
	Config c = load_ok(agent_schema(), src);
	EXPECT_EQ(c.origin("server.url"), "flag --server");
}

// ---- unknown keys and variables ----

TEST(Config, UnknownKeyInFileNamesFileAndLine) {
	std::string err = file_error("workers = 2\n\n# comment\nintervall = 5\n");
	EXPECT_THAT(err, HasSubstr(":4: unknown key \"intervall\" (did you mean \"interval\"?)"));
}

TEST(Config, UnknownKeyInNestedTable) {
	std::string err = file_error("[ingest]\nlisten = \"0.0.0.0:1\"\nlistn = \"x\"\n");
	EXPECT_THAT(err, HasSubstr(":3: unknown key \"ingest.listn\" (did you mean \"ingest.listen\"?)"));
}

TEST(Config, UnknownTable) {
	std::string err = file_error("[ingestt]\nlisten = \"x\"\n");
	EXPECT_THAT(err, HasSubstr(":1: unknown key \"ingestt\" (did you mean \"ingest\"?)"));
}

TEST(Config, KeyInWrongTableSuggestsTheRightOne) {
	std::string err = file_error("max_bytes = 5\n");
	EXPECT_THAT(err, HasSubstr(":1: unknown key \"max_bytes\" (did you mean \"spool.max_bytes\"?)"));
}

TEST(Config, AllFileErrorsReportedInLineOrder) {
	std::string err = file_error("zzz = 1\nworkers = \"many\"\naaa = 2\n");
	auto first = err.find(":1: unknown key \"zzz\"");
	auto second = err.find(":2: \"workers\" must be an integer, got string");
	auto third = err.find(":3: unknown key \"aaa\"");
	ASSERT_NE(first, std::string::npos) << err;
	ASSERT_NE(second, std::string::npos) << err;
	ASSERT_NE(third, std::string::npos) << err;
	EXPECT_LT(first, second);
	EXPECT_LT(second, third);
}

TEST(Config, UnknownEnvVarWithPrefix) {
	std::string err = env_error("SERVERSAN_AGENT_INTERVALL=5");
	EXPECT_EQ(err, "SERVERSAN_AGENT_INTERVALL: unknown variable (did you mean SERVERSAN_AGENT_INTERVAL?)");
}

TEST(Config, OtherProgramsPrefixIgnored) {
	auto src = agent_sources();
	src.env = {"SERVERSAN_SERVER_INTERVALL=5", "SERVERSAN_SERVER_DB_PATH=/x", "SERVERSAN_AGENTX=1",
	           "HOME=/root"};
	Config c = load_ok(agent_schema(), src);
	EXPECT_EQ(c.origin("interval"), "default");
}

TEST(Config, PrefixIsAParameter) {
	auto src = agent_sources();
	src.env_prefix = "SERVERSAN_SERVER_";
	src.env = {"SERVERSAN_SERVER_WORKERS=9", "SERVERSAN_AGENT_BOGUS=1"};
	Config c = load_ok(agent_schema(), src);
	EXPECT_EQ(c.get_int("workers"), 9);
	EXPECT_EQ(c.origin("workers"), "env SERVERSAN_SERVER_WORKERS");
}

TEST(Config, IgnoredEnvVarsAreNotUnknown) {
	auto src = agent_sources();
	src.env = {"SERVERSAN_AGENT_CONFIG=/etc/serversan/agent.toml"};
	src.env_ignore = {"SERVERSAN_AGENT_CONFIG"};
	load_ok(agent_schema(), src);
}

TEST(Config, UnknownFlagKey) {
	auto src = agent_sources();
	src.flags = {{"workrs", "3", "--set"}};
	EXPECT_EQ(load_error(agent_schema(), src), "--set: unknown key \"workrs\" (did you mean \"workers\"?)");
}

TEST(Config, EnvVarNameDerivation) {
	EXPECT_EQ(env_var_name("SERVERSAN_AGENT_", "server.url"), "SERVERSAN_AGENT_SERVER_URL");
	EXPECT_EQ(env_var_name("SERVERSAN_AGENT_", "spool.max_bytes"), "SERVERSAN_AGENT_SPOOL_MAX_BYTES");
	auto src = agent_sources();
	src.env = {"SERVERSAN_AGENT_SPOOL_MAX_BYTES=500KB"};
	EXPECT_EQ(load_ok(agent_schema(), src).get_bytes("spool.max_bytes"), 500'000u);
}

// ---- wrong types, per layer ----

TEST(Config, WrongTypesInFile) {
	EXPECT_THAT(
	    file_error("interval = true\n"),
	    HasSubstr(":1: \"interval\" must be a duration (seconds, or a string like \"90s\"), got boolean"));
	EXPECT_THAT(file_error("\nworkers = 2.5\n"), HasSubstr(":2: \"workers\" must be an integer, got float"));
	EXPECT_THAT(file_error("verbose = \"yes\"\n"),
	            HasSubstr(":1: \"verbose\" must be a boolean, got string"));
	EXPECT_THAT(file_error("load.threshold = \"high\"\n"),
	            HasSubstr(":1: \"load.threshold\" must be a number, got string"));
	EXPECT_THAT(file_error("[server]\nurl = 5\n"),
	            HasSubstr(":2: \"server.url\" must be a string, got integer"));
	EXPECT_THAT(file_error("spool.max_bytes = 1.5\n"),
	            HasSubstr(":1: \"spool.max_bytes\" must be a byte size (an integer, or a string like "
	                      "\"64MiB\"), got float"));
	EXPECT_THAT(file_error("interval = 1979-05-27\n"), HasSubstr("got date"));
	EXPECT_THAT(file_error("server = \"https://x\"\n"),
	            HasSubstr(":1: \"server\" must be a table, got string"));
}

TEST(Config, NumberAcceptsIntegerInFile) {
	TempFile f("load.threshold = 1\n");
	auto src = agent_sources();
	src.file = f.path();
	EXPECT_DOUBLE_EQ(load_ok(agent_schema(), src).get_double("load.threshold"), 1.0);
}

TEST(Config, NonFiniteNumberInFile) {
	EXPECT_THAT(file_error("load.threshold = nan\n"),
	            HasSubstr("\"load.threshold\" must be a finite number"));
	EXPECT_THAT(file_error("interval = inf\n"), HasSubstr("\"interval\" must be a finite number"));
}

TEST(Config, ArraysAndInlineTablesWhereScalarExpected) {
	EXPECT_THAT(file_error("workers = [1, 2]\n"), HasSubstr(":1: \"workers\" must be an integer, got array"));
	EXPECT_THAT(file_error("\ninterval = { seconds = 5 }\n"),
	            HasSubstr(":2: \"interval\" must be a duration"));
	EXPECT_THAT(file_error("\ninterval = { seconds = 5 }\n"), HasSubstr("got inline table"));
	EXPECT_THAT(file_error("[verbose]\non = true\n"),
	            HasSubstr(":1: \"verbose\" must be a boolean, got table"));
	EXPECT_THAT(file_error("[[workers]]\nn = 1\n"), HasSubstr("\"workers\" must be an integer, got array"));
}

TEST(Config, WrongTypesInEnv) {
	EXPECT_EQ(env_error("SERVERSAN_AGENT_WORKERS=many"),
	          "SERVERSAN_AGENT_WORKERS: \"workers\" must be an integer, got \"many\"");
	EXPECT_EQ(env_error("SERVERSAN_AGENT_WORKERS=99999999999999999999"),
	          "SERVERSAN_AGENT_WORKERS: \"workers\" must be a 64-bit integer, got \"99999999999999999999\" "
	          "(out of range)");
	EXPECT_EQ(env_error("SERVERSAN_AGENT_VERBOSE=maybe"),
	          "SERVERSAN_AGENT_VERBOSE: \"verbose\" must be true or false, got \"maybe\"");
	EXPECT_EQ(env_error("SERVERSAN_AGENT_LOAD_THRESHOLD=nan"),
	          "SERVERSAN_AGENT_LOAD_THRESHOLD: \"load.threshold\" must be a number, got \"nan\"");
	EXPECT_EQ(env_error("SERVERSAN_AGENT_INTERVAL="),
	          "SERVERSAN_AGENT_INTERVAL: \"interval\": invalid duration \"\": empty");
	EXPECT_THAT(
	    env_error("SERVERSAN_AGENT_SPOOL_MAX_BYTES=lots"),
	    HasSubstr("SERVERSAN_AGENT_SPOOL_MAX_BYTES: \"spool.max_bytes\": invalid byte size \"lots\""));
}

TEST(Config, WrongTypesInFlags) {
	EXPECT_EQ(flag_error("workers", "3.5"), "--workers: \"workers\" must be an integer, got \"3.5\"");
	EXPECT_EQ(flag_error("interval", "soon"),
	          "--interval: \"interval\": invalid duration \"soon\": expected a number");
	EXPECT_EQ(flag_error("verbose", ""), "--verbose: \"verbose\" must be true or false, got \"\"");
}

TEST(Config, EnvAndFlagValuesAreTrimmedExceptStrings) {
	auto src = agent_sources();
	src.env = {"SERVERSAN_AGENT_WORKERS= 7 ", "SERVERSAN_AGENT_INGEST_LISTEN= :80 "};
	Config c = load_ok(agent_schema(), src);
	EXPECT_EQ(c.get_int("workers"), 7);
	EXPECT_EQ(c.get_string("ingest.listen"), " :80 ");
}

TEST(Config, ErrorsFromAllLayersAreReportedTogether) {
	TempFile f("workers = 0\n");
	auto src = agent_sources();
	src.file = f.path();
	src.env = {"SERVERSAN_AGENT_VERBOSE=perhaps"};
	src.flags = {{"interval", "-1s", "--interval"}};
	std::string err = load_error(agent_schema(), src);
	EXPECT_THAT(err, HasSubstr(f.path() + ":1: \"workers\" must be between 1 and 64, got 0"));
	EXPECT_THAT(err, HasSubstr("SERVERSAN_AGENT_VERBOSE:"));
	EXPECT_THAT(err, HasSubstr("--interval: \"interval\": invalid duration \"-1s\": must not be negative"));
}

// ---- ranges and choices ----

TEST(Config, OutOfRange) {
	EXPECT_THAT(file_error("\n\nworkers = 65\n"),
	            HasSubstr(":3: \"workers\" must be between 1 and 64, got 65"));
	EXPECT_THAT(file_error("interval = \"2h\"\n"),
	            HasSubstr(":1: \"interval\" must be between 100ms and 1h, got 2h"));
	EXPECT_THAT(file_error("interval = 0.05\n"),
	            HasSubstr(":1: \"interval\" must be between 100ms and 1h, got 50ms"));
	EXPECT_EQ(env_error("SERVERSAN_AGENT_LOAD_THRESHOLD=1.5"),
	          "SERVERSAN_AGENT_LOAD_THRESHOLD: \"load.threshold\" must be between 0 and 1, got 1.5");
	EXPECT_EQ(flag_error("spool.max_bytes", "1000"),
	          "--spool.max_bytes: \"spool.max_bytes\" must be between 1KiB and 1TiB, got 1000");
	EXPECT_EQ(flag_error("spool.max_bytes", "2TiB"),
	          "--spool.max_bytes: \"spool.max_bytes\" must be between 1KiB and 1TiB, got 2TiB");
}

TEST(Config, Boundaries) {
	auto src = agent_sources();
	src.flags = {{"workers", "64", ""}, {"interval", "1h", ""}, {"load.threshold", "0", ""}};
	Config c = load_ok(agent_schema(), src);
	EXPECT_EQ(c.get_int("workers"), 64);
	EXPECT_EQ(c.get_duration_s("interval"), 3600.0);
}

TEST(Config, OneOf) {
	EXPECT_EQ(env_error("SERVERSAN_AGENT_LOG_LEVEL=verbose"),
	          "SERVERSAN_AGENT_LOG_LEVEL: \"log.level\" must be one of \"debug\", \"info\", \"warn\", "
	          "\"error\"; got "
	          "\"verbose\"");
	auto src = agent_sources();
	src.env = {"SERVERSAN_AGENT_LOG_LEVEL=debug"};
	EXPECT_EQ(load_ok(agent_schema(), src).get_string("log.level"), "debug");
}

// ---- file handling ----

TEST(Config, BadTomlSyntaxGivesLineAndColumn) {
	std::string err = file_error("workers = 2\ninterval = = 5\n");
	EXPECT_THAT(err, HasSubstr(":2:12: "));
	EXPECT_THAT(err, HasSubstr("Error while parsing"));

	err = file_error("[server]\nurl = \"https://x\n");
	EXPECT_THAT(err, HasSubstr(":2:"));
	EXPECT_THAT(err, HasSubstr("string"));

	EXPECT_THAT(file_error("workers = 1\nworkers = 2\n"), HasSubstr(":2:"));
}

TEST(Config, EmptyFileIsFine) {
	TempFile f("");
	auto src = agent_sources();
	src.file = f.path();
	src.file_required = true;
	Config c = load_ok(agent_schema(), src);
	EXPECT_EQ(c.origin("workers"), "default");
	EXPECT_EQ(c.file(), f.path());
}

TEST(Config, MissingExplicitFileIsAnError) {
	auto src = agent_sources();
	src.file = missing_path();
	src.file_required = true;
	EXPECT_THAT(
	    load_error(agent_schema(), src),
	    AllOf(HasSubstr(missing_path()), HasSubstr("cannot read config file"), HasSubstr("No such file")));
}

TEST(Config, MissingOptionalDefaultFileIsSkipped) {
	auto src = agent_sources();
	src.file = missing_path();
	src.file_required = false;
	Config c = load_ok(agent_schema(), src);
	EXPECT_EQ(c.origin("workers"), "default");
	EXPECT_EQ(c.file(), "");
}

TEST(Config, DirectoryAsFileIsAnErrorEvenIfOptional) {
	auto src = agent_sources();
	src.file = std::filesystem::temp_directory_path().string();
	EXPECT_THAT(load_error(agent_schema(), src), HasSubstr("is a directory"));
}

// ---- durations and sizes ----

TEST(ConfigParse, Durations) {
	EXPECT_DOUBLE_EQ(*parse_duration("90s"), 90);
	EXPECT_DOUBLE_EQ(*parse_duration("5m"), 300);
	EXPECT_DOUBLE_EQ(*parse_duration("1h"), 3600);
	EXPECT_DOUBLE_EQ(*parse_duration("250ms"), 0.25);
	EXPECT_DOUBLE_EQ(*parse_duration("2d"), 172800);
	EXPECT_DOUBLE_EQ(*parse_duration("1.5h"), 5400);
	EXPECT_DOUBLE_EQ(*parse_duration("1h30m"), 5400);
	EXPECT_DOUBLE_EQ(*parse_duration(" 1h 30m "), 5400);
	EXPECT_DOUBLE_EQ(*parse_duration("5 m"), 300);
	EXPECT_DOUBLE_EQ(*parse_duration("90"), 90);
	EXPECT_DOUBLE_EQ(*parse_duration("0.5"), 0.5);
	EXPECT_DOUBLE_EQ(*parse_duration("0"), 0);
}

TEST(ConfigParse, BadDurations) {
	EXPECT_EQ(parse_duration("5x").error().message,
	          "invalid duration \"5x\": unknown unit \"x\" (use ms, s, m, h or d)");
	EXPECT_EQ(parse_duration("5sec").error().message,
	          "invalid duration \"5sec\": unknown unit \"sec\" (use ms, s, m, h or d)");
	EXPECT_EQ(parse_duration("-5s").error().message, "invalid duration \"-5s\": must not be negative");
	EXPECT_EQ(parse_duration("").error().message, "invalid duration \"\": empty");
	EXPECT_EQ(parse_duration("m").error().message, "invalid duration \"m\": expected a number");
	EXPECT_THAT(parse_duration("1h30").error().message, HasSubstr("missing unit"));
	EXPECT_THAT(parse_duration("1.2.3s").error().message, HasSubstr("bad number"));
	EXPECT_FALSE(parse_duration("+5s").ok());
	EXPECT_FALSE(parse_duration("1e3").ok());
	EXPECT_THAT(parse_duration("99999999999999999999d").error().message, HasSubstr("too large"));
}

TEST(ConfigParse, DurationsInFile) {
	TempFile f("interval = \"1m30s\"\n");
	auto src = agent_sources();
	src.file = f.path();
	EXPECT_DOUBLE_EQ(load_ok(agent_schema(), src).get_duration_s("interval"), 90);
	EXPECT_THAT(file_error("interval = -5\n"), HasSubstr(":1: \"interval\" must not be negative, got -5"));
	EXPECT_THAT(
	    file_error("interval = \"5 fortnights\"\n"),
	    HasSubstr(":1: \"interval\": invalid duration \"5 fortnights\": unknown unit \"fortnights\""));
}

TEST(ConfigParse, ByteSizes) {
	EXPECT_EQ(*parse_bytes("0"), 0u);
	EXPECT_EQ(*parse_bytes("1048576"), 1048576u);
	EXPECT_EQ(*parse_bytes("500B"), 500u);
	EXPECT_EQ(*parse_bytes("500KB"), 500'000u);
	EXPECT_EQ(*parse_bytes("500kb"), 500'000u);
	EXPECT_EQ(*parse_bytes("64MiB"), 64ull << 20);
	EXPECT_EQ(*parse_bytes("64 MiB"), 64ull << 20);
	EXPECT_EQ(*parse_bytes("1GiB"), 1ull << 30);
	EXPECT_EQ(*parse_bytes("1.5GiB"), 3ull << 29);
	EXPECT_EQ(*parse_bytes("2GB"), 2'000'000'000u);
	EXPECT_EQ(*parse_bytes("3TiB"), 3ull << 40);
	EXPECT_EQ(*parse_bytes("18446744073709551615"), 18446744073709551615ull);
}

TEST(ConfigParse, BadByteSizes) {
	EXPECT_EQ(parse_bytes("64M").error().message,
	          "invalid byte size \"64M\": unknown unit \"M\" (use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB)");
	EXPECT_EQ(parse_bytes("-1KB").error().message, "invalid byte size \"-1KB\": must not be negative");
	EXPECT_EQ(parse_bytes("1.5").error().message,
	          "invalid byte size \"1.5\": a number of bytes must be whole");
	EXPECT_EQ(parse_bytes("MiB").error().message, "invalid byte size \"MiB\": expected a number");
	EXPECT_EQ(parse_bytes("").error().message, "invalid byte size \"\": empty");
	EXPECT_THAT(parse_bytes("18446744073709551616").error().message, HasSubstr("too large"));
	EXPECT_THAT(parse_bytes("16777216TiB").error().message, HasSubstr("too large"));
	EXPECT_THAT(parse_bytes("99999999.5TiB").error().message, HasSubstr("too large"));
	EXPECT_THAT(parse_bytes("1..5GiB").error().message, HasSubstr("bad number"));
}

TEST(ConfigParse, ByteSizesInFile) {
	EXPECT_THAT(file_error("spool.max_bytes = -1\n"),
	            HasSubstr(":1: \"spool.max_bytes\" must not be negative, got -1"));
	EXPECT_THAT(
	    file_error("[spool]\nmax_bytes = \"10 bananas\"\n"),
	    HasSubstr(":2: \"spool.max_bytes\": invalid byte size \"10 bananas\": unknown unit \"bananas\""));
}

TEST(ConfigParse, Formatting) {
	EXPECT_EQ(format_duration(0), "0s");
	EXPECT_EQ(format_duration(90), "90s");
	EXPECT_EQ(format_duration(5400), "90m");
	EXPECT_EQ(format_duration(7200), "2h");
	EXPECT_EQ(format_duration(0.25), "250ms");
	EXPECT_EQ(format_duration(0.1), "100ms");
	EXPECT_EQ(format_duration(0.0001), "0.0001s");
	EXPECT_EQ(format_duration(1.5), "1500ms");
	EXPECT_EQ(format_bytes(0), "0");
	EXPECT_EQ(format_bytes(1000), "1000");
	EXPECT_EQ(format_bytes(1024), "1KiB");
	EXPECT_EQ(format_bytes(64ull << 20), "64MiB");
	EXPECT_EQ(format_bytes(3ull << 29), "1536MiB");
	for (double d : {0.0, 0.1, 0.25, 1.5, 90.0, 5400.0, 7200.0, 12345.678})
		EXPECT_DOUBLE_EQ(*parse_duration(format_duration(d)), d) << d;
	for (std::uint64_t b : {0ull, 1000ull, 1024ull, 64ull << 20, 3ull << 29, 12345ull})
		EXPECT_EQ(*parse_bytes(format_bytes(b)), b) << b;
}

// ---- secrets ----

TEST(Config, SecretNeverInErrorsOrDump) {
	ConfigSchema schema = agent_schema();
	schema.add_int("pin", 0, "A secret number", 0, 9999).secret();
	schema.add_duration("secret_delay", 1, "A secret duration").secret();
	schema.add_string("mode", "a", "").one_of({"a", "b"}).secret();

	// Valid secret: loads, shows up redacted.
	{
		TempFile f(std::string("[telegram]\ntoken = \"") + kSecret + "\"\n");
		auto src = agent_sources();
		src.file = f.path();
		Config c = load_ok(schema, src);
		EXPECT_EQ(c.get_string("telegram.token"), kSecret);
		std::string dump = c.dump();
		EXPECT_THAT(dump, Not(HasSubstr(kSecret)));
		EXPECT_THAT(dump, HasSubstr("telegram.token = <redacted>  # file " + f.path() + ":2\n"));
	}
	// Secret set, but loading fails elsewhere: the error mentions neither the value nor part of it.
	{
		TempFile f(std::string("workers = 0\n[telegram]\ntoken = \"") + kSecret + "\"\nbogus = 1\n");
		auto src = agent_sources();
		src.file = f.path();
		src.env = {std::string("SERVERSAN_AGENT_TELEGRAM_TOKEN=") + kSecret,
		           "SERVERSAN_AGENT_TELEGRAM_TOKN=x"};
		src.flags = {{"telegram.token", kSecret, ""}};
		std::string err = load_error(schema, src);
		EXPECT_THAT(err, Not(HasSubstr("sup3r")));
	}
	// Bad values for secret keys of other types: the value is withheld.
	auto src = agent_sources();
	src.env = {"SERVERSAN_AGENT_PIN=12345", "SERVERSAN_AGENT_SECRET_DELAY=77zz",
	           "SERVERSAN_AGENT_MODE=c0v3rt"};
	std::string err = load_error(schema, src);
	EXPECT_THAT(
	    err, HasSubstr("SERVERSAN_AGENT_PIN: \"pin\" must be between 0 and 9999 (value not shown: secret)"));
	EXPECT_THAT(err, HasSubstr("SERVERSAN_AGENT_SECRET_DELAY: \"secret_delay\" must be a duration"));
	EXPECT_THAT(err,
	            HasSubstr("SERVERSAN_AGENT_MODE: \"mode\" must be one of \"a\", \"b\" (value not shown"));
	EXPECT_THAT(err, AllOf(Not(HasSubstr("12345")), Not(HasSubstr("77zz")), Not(HasSubstr("c0v3rt"))));
	EXPECT_THAT(file_error("pin = -3\n"), HasSubstr("\"pin\""));

	TempFile f("secret_delay = -42\n");
	src = agent_sources();
	src.file = f.path();
	err = load_error(schema, src);
	EXPECT_THAT(err, HasSubstr("\"secret_delay\" must not be negative (value not shown: secret)"));
	// The file's name holds the test's pid, which may contain "42" itself: look past it.
	ASSERT_EQ(err.rfind(f.path(), 0), 0u) << err;
	EXPECT_THAT(err.substr(f.path().size()), Not(HasSubstr("42")));
}

TEST(Config, SecretOnABadTomlLineIsNotQuotedByTheParser) {
	ConfigSchema schema = agent_schema();
	TempFile f("[telegram]\ntoken = 12sup3rsecret\n");
	auto src = agent_sources();
	src.file = f.path();
	std::string err = load_error(schema, src);
	EXPECT_THAT(err, HasSubstr(f.path() + ":2:"));
	EXPECT_THAT(err, AllOf(Not(HasSubstr("sup3r")), Not(HasSubstr("'s'"))));
}

TEST(Config, UnsetSecretDumpsAsEmpty) {
	Config c = load_ok(agent_schema(), agent_sources());
	EXPECT_THAT(c.dump(), HasSubstr("telegram.token = \"\"  # default\n"));
}

TEST(Config, Dump) {
	TempFile f("workers = 8\n");
	auto src = agent_sources();
	src.file = f.path();
	src.env = {"SERVERSAN_AGENT_SERVER_URL=https://a \"b\""};
	src.flags = {{"interval", "90", "--interval"}};
	std::string dump = load_ok(agent_schema(), src).dump();
	EXPECT_THAT(dump, HasSubstr("server.url = \"https://a \\\"b\\\"\"  # env SERVERSAN_AGENT_SERVER_URL\n"));
	EXPECT_THAT(dump, HasSubstr("interval = \"90s\"  # flag --interval\n"));
	EXPECT_THAT(dump, HasSubstr("workers = 8  # file " + f.path() + ":1\n"));
	EXPECT_THAT(dump, HasSubstr("load.threshold = 0.75  # default\n"));
	EXPECT_THAT(dump, HasSubstr("verbose = false  # default\n"));
	EXPECT_THAT(dump, HasSubstr("spool.max_bytes = \"64MiB\"  # default\n"));
	// Schema order, so `config show` reads like the documentation.
	EXPECT_LT(dump.find("server.url"), dump.find("interval"));
	EXPECT_LT(dump.find("interval"), dump.find("workers"));
}

// ---- required keys ----

TEST(Config, RequiredKey) {
	ConfigSchema schema;
	schema.add_string("server.url", "", "Where reports go").required().flag("--server");
	auto src = agent_sources();
	EXPECT_EQ(load_error(schema, src), "missing required setting \"server.url\" (set it in the config file, "
	                                   "with SERVERSAN_AGENT_SERVER_URL or with --server)");
	src.env = {"SERVERSAN_AGENT_SERVER_URL=https://x"};
	EXPECT_EQ(load_ok(schema, src).get_string("server.url"), "https://x");
}

TEST(Config, MissingRequiredNotClaimedWhenTheValueWasBadOrTheFileBroken) {
	ConfigSchema schema;
	schema.add_int("port", 0, "Port", 1, 65535).required();
	{
		TempFile f("port = 70000\n");
		auto src = agent_sources();
		src.file = f.path();
		std::string err = load_error(schema, src);
		EXPECT_THAT(err, HasSubstr(":1: \"port\" must be between 1 and 65535, got 70000"));
		EXPECT_THAT(err, Not(HasSubstr("missing")));
	}
	{
		TempFile f("port = \n");
		auto src = agent_sources();
		src.file = f.path();
		std::string err = load_error(schema, src);
		EXPECT_THAT(err, HasSubstr(f.path() + ":1:"));
		EXPECT_THAT(err, Not(HasSubstr("missing")));
	}
	auto src = agent_sources();
	src.file = missing_path(); // optional and absent: the value really is missing
	EXPECT_THAT(load_error(schema, src), HasSubstr("missing required setting \"port\""));
}

// ---- programming errors ----

TEST(Config, GettersThrowOnUnknownKeyOrWrongType) {
	Config c = load_ok(agent_schema(), agent_sources());
	EXPECT_THROW((void)c.get_int("nope"), std::logic_error);
	EXPECT_THROW((void)c.get_string("workers"), std::logic_error);
	EXPECT_THROW((void)c.get_double("interval"), std::logic_error);
	EXPECT_THROW((void)c.get_duration_s("load.threshold"), std::logic_error);
	EXPECT_THROW((void)c.get_bytes("workers"), std::logic_error);
	EXPECT_THROW((void)c.get_bool("server.url"), std::logic_error);
	EXPECT_THROW((void)c.origin("nope"), std::logic_error);
}

TEST(Config, MalformedSchemasThrow) {
	EXPECT_THROW(ConfigSchema().add_int("Bad-Name", 1, ""), std::logic_error);
	EXPECT_THROW(ConfigSchema().add_int("a..b", 1, ""), std::logic_error);
	EXPECT_THROW(ConfigSchema().add_int("a", 1, "").add_int("a", 2, ""), std::logic_error);
	EXPECT_THROW(ConfigSchema().add_int("a", 1, "").add_int("a.b", 2, ""), std::logic_error);
	EXPECT_THROW(ConfigSchema().add_int("a.b", 1, "").add_int("a", 2, ""), std::logic_error);
	EXPECT_THROW(ConfigSchema().add_int("a_b", 1, "").add_int("a.b", 2, ""), std::logic_error);
	// A default out of range or not among the choices is caught on load: required() may still void it.
	ConfigSources none;
	EXPECT_THROW((void)load_config(ConfigSchema().add_int("a", 100, "", 1, 10), none), std::logic_error);
	EXPECT_THROW((void)load_config(ConfigSchema().add_string("a", "x", "").one_of({"y", "z"}), none),
	             std::logic_error);
	EXPECT_FALSE(
	    load_config(ConfigSchema().add_int("a", 0, "", 1, 10).required(), none).ok()); // missing, no throw
	EXPECT_THROW(ConfigSchema().add_int("a", 5, "", 10, 1), std::logic_error);
	EXPECT_THROW(ConfigSchema().add_duration("a", -1, ""), std::logic_error);
	EXPECT_THROW(ConfigSchema().add_int("a", 1, "").one_of({"y"}), std::logic_error);
	EXPECT_THROW(ConfigSchema().secret(), std::logic_error);
}

TEST(Config, ProcessEnvironment) {
	::setenv("SERVERSAN_CONFIG_TEST_PROBE", "42", 1); // NOLINT(concurrency-mt-unsafe): single-threaded test
	auto env = process_environment();
	EXPECT_NE(std::find(env.begin(), env.end(), "SERVERSAN_CONFIG_TEST_PROBE=42"), env.end());
	::unsetenv("SERVERSAN_CONFIG_TEST_PROBE"); // NOLINT(concurrency-mt-unsafe)
}

} // namespace
} // namespace serversan
