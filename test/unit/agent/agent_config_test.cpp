// The agent's command line and configuration layers (file < SERVERSAN_AGENT_* < flags), the
// checks across keys (plain http, pin), and the signals that stop and reload the agent.
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "serversan/agent/agent_config.h"
#include "serversan/agent/stop_signal.h"

using namespace serversan;
using namespace serversan::agent;
using ::testing::HasSubstr;

namespace {

Result<CommandLine> parse(std::vector<const char*> args) {
	args.insert(args.begin(), "serversan-agent");
	return parse_command_line(static_cast<int>(args.size()), args.data());
}

std::string parse_error(std::vector<const char*> args) {
	auto r = parse(std::move(args));
	EXPECT_FALSE(r.ok());
	return r.ok() ? "" : r.error().message;
}

std::string temp_file(const std::string& name, const std::string& content) {
	std::string path = ::testing::TempDir() + "/ss-cfg-" + std::to_string(::getpid()) + "-" + name;
	std::ofstream(path) << content;
	return path;
}

// Settings from a command line, with no config file unless one is named.
Result<AgentSettings> settings(std::vector<const char*> args, std::vector<std::string> env = {}) {
	auto cl = parse(std::move(args));
	if (!cl)
		return cl.error();
	if (cl->config_file.empty())
		cl->config_file = temp_file("empty.toml", "");
	return load_settings(*cl, env);
}

std::string error_of(const Result<AgentSettings>& r) {
	EXPECT_FALSE(r.ok());
	return r.ok() ? "" : r.error().message;
}

} // namespace

TEST(AgentCommandLine, FlagsBecomeOverridesOfSchemaKeys) {
	auto cl = parse({"--server", "https://m.example.com/", "--interval=0.5", "--allow-http", "--once",
	                 "--spool-max-bytes", "1MiB", "--log-level=debug"});
	ASSERT_TRUE(cl.ok()) << cl.error().message;
	EXPECT_TRUE(cl->once);
	ASSERT_EQ(cl->flags.size(), 5u);
	EXPECT_EQ(cl->flags[0].key, "server.url");
	EXPECT_EQ(cl->flags[0].value, "https://m.example.com/");
	EXPECT_EQ(cl->flags[1].key, "interval");
	EXPECT_EQ(cl->flags[1].value, "0.5");
	EXPECT_EQ(cl->flags[2].key, "tls.allow_http");
	EXPECT_EQ(cl->flags[2].value, "true");
	EXPECT_EQ(cl->flags[3].key, "spool.max_bytes");
	EXPECT_EQ(cl->flags[4].spelling, "--log-level");
}

TEST(AgentCommandLine, CliOnlyOptions) {
	auto cl = parse({"--print", "--count", "3", "--config", "/tmp/x.toml"});
	ASSERT_TRUE(cl.ok());
	EXPECT_TRUE(cl->print);
	EXPECT_EQ(cl->count, 3u);
	EXPECT_EQ(cl->config_file, "/tmp/x.toml");
	EXPECT_TRUE(parse({"--help"})->help);
	EXPECT_TRUE(parse({"-h"})->help);
	EXPECT_TRUE(parse({"--version"})->version);
}

TEST(AgentCommandLine, MistakesAreNamed) {
	EXPECT_THAT(parse_error({"--sever", "x"}), HasSubstr("unknown option --sever"));
	EXPECT_THAT(parse_error({"--server"}), HasSubstr("--server needs a value"));
	EXPECT_THAT(parse_error({"--once=yes"}), HasSubstr("--once takes no value"));
	EXPECT_THAT(parse_error({"--count", "0"}), HasSubstr("--count wants a positive"));
	EXPECT_THAT(parse_error({"--count", "x"}), HasSubstr("--count"));
	EXPECT_THAT(parse_error({"--once", "--count", "2"}), HasSubstr("exclude"));
	EXPECT_THAT(parse_error({"stray"}), HasSubstr("unexpected argument \"stray\""));
	EXPECT_THAT(parse_error({"--"}), HasSubstr("unexpected argument"));
}

TEST(AgentCommandLine, UsageListsEveryFlag) {
	std::string usage = usage_text();
	for (const ConfigKey& k : agent_schema().keys()) {
		if (!k.flag.empty()) {
			EXPECT_THAT(usage, HasSubstr(k.flag));
		}
	}
	EXPECT_THAT(usage, HasSubstr("--once"));
}

TEST(AgentSettingsLoad, DefaultsMatchTheIssue) {
	auto s = settings({});
	ASSERT_TRUE(s.ok()) << s.error().message;
	EXPECT_EQ(s->interval_s, 60);
	EXPECT_FALSE(s->interval_given);
	EXPECT_EQ(s->slow_interval_s, 300);
	EXPECT_EQ(s->token_file, "/etc/serversan/auth.log");
	EXPECT_EQ(s->state_file, "/var/lib/serversan/agent.state");
	EXPECT_EQ(s->spool.dir, "/var/lib/serversan/spool");
	EXPECT_EQ(s->spool.max_bytes, 64u << 20);
	EXPECT_EQ(s->spool.max_age_s, 7 * 86400);
	EXPECT_FALSE(s->allow_http);
	EXPECT_TRUE(s->tls.ca_file.empty());
}

TEST(AgentSettingsLoad, FileThenEnvironmentThenFlags) {
	std::string file = temp_file("layers.toml", R"(interval = 30
jitter = "2s"
[server]
url = "https://file.example.com/"
[spool]
max_bytes = "8MiB"
max_age = "2d"
dir = "/srv/spool"
[tls]
ca_file = "/etc/ssl/mine.pem"
)");
	auto cl = parse({"--config", file.c_str(), "--interval", "5"});
	ASSERT_TRUE(cl.ok());
	auto s = load_settings(*cl, {"SERVERSAN_AGENT_SERVER_URL=https://env.example.com/",
	                             "SERVERSAN_AGENT_SPOOL_MAX_BYTES=16MiB", "OTHER_PROGRAM_X=1"});
	ASSERT_TRUE(s.ok()) << s.error().message;
	EXPECT_EQ(s->config_file, file);
	EXPECT_EQ(s->interval_s, 5);                          // flag
	EXPECT_TRUE(s->interval_given);                       // so the server's interval is not adopted
	EXPECT_EQ(s->jitter_s, 2);                            // file
	EXPECT_EQ(s->server_url, "https://env.example.com/"); // environment over file
	EXPECT_EQ(s->spool.max_bytes, 16u << 20);
	EXPECT_EQ(s->spool.max_age_s, 2 * 86400);
	EXPECT_EQ(s->spool.dir, "/srv/spool");
	EXPECT_EQ(s->tls.ca_file, "/etc/ssl/mine.pem");

	// The interval from the file (not a flag) leaves the server free to change it.
	cl = parse({"--config", file.c_str()});
	EXPECT_FALSE(load_settings(*cl, {})->interval_given);
}

TEST(AgentSettingsLoad, ConfigFileFromTheEnvironmentMustExist) {
	auto cl = parse({});
	ASSERT_TRUE(cl.ok());
	std::string file = temp_file("env.toml", "interval = 7\n");
	auto s = load_settings(*cl, {std::string("SERVERSAN_AGENT_CONFIG=") + file});
	ASSERT_TRUE(s.ok()) << s.error().message;
	EXPECT_EQ(s->interval_s, 7);
	auto missing = load_settings(*cl, {"SERVERSAN_AGENT_CONFIG=/nonexistent/agent.toml"});
	EXPECT_FALSE(missing.ok());
}

TEST(AgentSettingsLoad, SpoolDefaultsBesideTheStateFile) {
	auto s = settings({"--state-file", "/data/agent/agent.state"});
	ASSERT_TRUE(s.ok());
	EXPECT_EQ(s->spool.dir, "/data/agent/spool");
	EXPECT_EQ(default_spool_dir("agent.state"), "spool");
}

TEST(AgentSettingsLoad, PlainHttpOnlyToThisHostUnlessAllowed) {
	EXPECT_TRUE(settings({"--server", "http://127.0.0.1:8080/"}).ok());
	EXPECT_TRUE(settings({"--server", "http://localhost:8080/"}).ok());
	auto refused = settings({"--server", "http://monitor.example.com/"});
	ASSERT_FALSE(refused.ok());
	EXPECT_THAT(refused.error().message, HasSubstr("unencrypted"));
	EXPECT_THAT(refused.error().message, HasSubstr("flag --server"));
	EXPECT_TRUE(settings({"--server", "http://monitor.example.com/", "--allow-http"}).ok());
	EXPECT_TRUE(settings({"--server", "https://monitor.example.com/"}).ok());
	EXPECT_FALSE(settings({"--server", "monitor.example.com"}).ok());
}

TEST(AgentSettingsLoad, BadValuesAreRefusedWithTheirOrigin) {
	EXPECT_THAT(error_of(settings({"--pin-sha256", "abc"})), HasSubstr("64 hex digits"));
	EXPECT_THAT(error_of(settings({"--interval", "0.01"})), HasSubstr("--interval"));
	EXPECT_THAT(error_of(settings({"--spool-max-bytes", "lots"})), HasSubstr("--spool-max-bytes"));
	EXPECT_THAT(error_of(settings({}, {"SERVERSAN_AGENT_INTERVALL=5"})), HasSubstr("INTERVALL"));
	std::string file = temp_file("bad.toml", "interval = \"soon\"\n");
	EXPECT_THAT(error_of(settings({"--config", file.c_str()})), HasSubstr(file + ":1"));
}

TEST(StopSignal, HangUpAsksForAReloadWithoutStopping) {
	StopSignal stop;
	stop.install();
	EXPECT_FALSE(stop.take_reload());
	std::thread sender([] {
		std::this_thread::sleep_for(std::chrono::milliseconds(50));
		::kill(::getpid(), SIGHUP);
	});
	auto start = std::chrono::steady_clock::now();
	EXPECT_FALSE(stop.wait_for(std::chrono::seconds(10))); // woken early, not stopped
	EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
	sender.join();
	EXPECT_TRUE(stop.take_reload());
	EXPECT_FALSE(stop.take_reload());
	EXPECT_FALSE(stop.requested());

	::kill(::getpid(), SIGTERM);
	EXPECT_TRUE(stop.wait_for(std::chrono::seconds(10)));
	EXPECT_TRUE(stop.requested());
}
