// serversan-agent: collects this server's health every interval and reports it to a ServerSan
// server (or prints it with --print). Settings come from /etc/serversan/agent.toml, then
// SERVERSAN_AGENT_* variables, then flags (agent_config.h); run_agent() takes them as an
// AgentSettings and calls back here on SIGHUP to build them again.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "serversan/agent/agent.h"
#include "serversan/agent/agent_config.h"
#include "serversan/agent/stop_signal.h"
#include "serversan/core/log.h"

using namespace serversan;
using namespace serversan::agent;

// libstdc++'s default terminate handler demangles the exception's type name, which links the
// whole demangler (about 50 KB of the static binary). The agent never lets an exception escape
// (main catches them), so a short message is enough; defining the handler here keeps the
// library's version and its demangler out of the link (libstdc++ is always linked statically).
namespace __gnu_cxx {
void __verbose_terminate_handler() {
	static const char message[] = "serversan-agent: terminate called (uncaught exception)\n";
	[[maybe_unused]] auto n = std::fwrite(message, 1, sizeof message - 1, stderr);
	std::abort();
}
} // namespace __gnu_cxx

namespace {

void tune_malloc() {
#if defined(__GLIBC__)
	// One thread, a few long-lived buffers: one arena, and large blocks (a catch-up batch, a CA
	// bundle) from mmap so that they go back to the system when freed. Setting the threshold
	// also stops glibc from raising it after the first such free, which would keep later large
	// blocks on the heap.
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_MMAP_THRESHOLD, 64 * 1024);
	mallopt(M_TRIM_THRESHOLD, 128 * 1024);
#endif
}

} // namespace

int main(int argc, char** argv) {
	tune_malloc();
	auto command_line = parse_command_line(argc, argv);
	if (!command_line) {
		std::fprintf(stderr, "serversan-agent: %s\n", command_line.error().message.c_str());
		return 2;
	}
	if (command_line->help) {
		std::string usage = usage_text();
		std::fwrite(usage.data(), 1, usage.size(), stdout);
		return 0;
	}
	if (command_line->version) {
		std::printf("serversan-agent %s\n", SERVERSAN_VERSION);
		return 0;
	}
	// The environment is read once: a reload re-reads the file, not variables that cannot change.
	const std::vector<std::string> env = process_environment();
	auto settings = load_settings(*command_line, env);
	if (!settings) {
		std::fprintf(stderr, "serversan-agent: configuration: %s\n", settings.error().message.c_str());
		return 2;
	}
	log::set_level(settings->log_level);
	try {
		StopSignal stop;
		stop.install();
		Reloader reload = [&]() { return load_settings(*command_line, env); };
		return run_agent(*settings, stop, reload);
	} catch (const std::exception& e) {
		log::error("fatal: {}", e.what());
		return 2;
	}
}
