// serversan-fake-telegram: the fake Bot API as a process for end-to-end scripts. Prints its base
// URL and token on one line, then serves until SIGINT or SIGTERM. The /sim/* API: docs/bot.md.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "test/fake_telegram/fake_bot_api.h"

int main(int argc, char** argv) {
	serversan::fake_telegram::FakeBotApi::Options options;
	for (int i = 1; i < argc; ++i) {
		std::string a = argv[i];
		if (a == "--port" && i + 1 < argc) {
			options.port = static_cast<uint16_t>(std::atoi(argv[++i]));
		} else if (a == "--token" && i + 1 < argc) {
			options.token = argv[++i];
		} else if (a == "--username" && i + 1 < argc) {
			options.bot_username = argv[++i];
		} else {
			std::fprintf(stderr, "usage: %s [--port N] [--token ID:SECRET] [--username NAME]\n", argv[0]);
			return 2;
		}
	}
	if (options.token.find(':') == std::string::npos ||
	    std::strspn(options.token.c_str(), "0123456789") != options.token.find(':')) {
		std::fprintf(stderr, "the token must look like <digits>:<secret>\n");
		return 2;
	}
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, nullptr); // every thread started below inherits the mask
	serversan::fake_telegram::FakeBotApi fake(options);
	std::printf("%s %s\n", fake.base_url().c_str(), fake.token().c_str());
	std::fflush(stdout);
	int sig = 0;
	sigwait(&set, &sig);
	return 0;
}
