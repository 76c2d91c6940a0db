// LogOnce: a source that stays broken (a missing /proc file, an unreachable server) is logged
// when it breaks and when it recovers, not on every collection round.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "serversan/core/log.h"

namespace serversan::agent {

class LogOnce {
public:
	// Logs `message` at `level` unless the same key last logged the same message.
	void log(log::Level level, std::string_view key, std::string_view message) {
		auto it = last_.find(key);
		if (it != last_.end() && it->second == message) {
			if (log::level() <= log::Level::debug)
				log::write(log::Level::debug, message);
			return;
		}
		last_.insert_or_assign(std::string(key), std::string(message));
		if (log::level() <= level)
			log::write(level, message);
	}
	// Logs `message` only if `key` is not already failing (for messages that carry a changing
	// number, which must not make every round's repeat look new).
	void once(log::Level level, std::string_view key, std::string_view message) {
		if (failing(key)) {
			if (log::level() <= log::Level::debug)
				log::write(log::Level::debug, message);
			return;
		}
		log(level, key, message);
	}
	// The source works again: logs `message` (if given) only if it had failed, and re-arms it.
	void recovered(std::string_view key, std::string_view message = {}) {
		auto it = last_.find(key);
		if (it == last_.end())
			return;
		last_.erase(it);
		if (!message.empty())
			log::info("{}", message);
	}
	bool failing(std::string_view key) const { return last_.find(key) != last_.end(); }

private:
	std::map<std::string, std::string, std::less<>> last_;
};

} // namespace serversan::agent
