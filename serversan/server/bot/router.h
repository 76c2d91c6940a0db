// Router: which handler gets an update. Commands by name ("/add", "/add@ourbot"; "/add@otherbot"
// is another bot's and ignored), buttons by the prefix of their callback data ("del:42" goes to
// "del" with "42"), free text by the step of the chat's open dialog. One handler per command,
// registered by bot/commands/; the dispatcher's front layer runs before any of them.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "serversan/core/result.h"

namespace serversan::bot {

class Context;
using Handler = std::function<Result<void>(Context&)>;

struct ParsedCommand {
	std::string name;   // lower case, without '/' and '@bot'
	bool for_us = true; // false: addressed to another bot ("/cmd@otherbot")
	bool named = false; // "/cmd@ourbot": addressed to us by name
	std::string rest;   // the arguments, trimmed
};

// A message text starting with '/': the command, or nothing if it is not one ("/", "/ x", a
// name with characters Telegram does not allow). bot_username is compared without case.
std::optional<ParsedCommand> parse_command(std::string_view text, std::string_view bot_username);
// Splits at ASCII white space.
std::vector<std::string> split_args(std::string_view rest);
// Callback data "prefix:payload" (or just "prefix").
std::pair<std::string_view, std::string_view> split_callback(std::string_view data);

class Router {
public:
	void on_command(std::string name, Handler h) { commands_[std::move(name)] = std::move(h); }
	void on_button(std::string prefix, Handler h) { buttons_[std::move(prefix)] = std::move(h); }
	void on_dialog(std::string step, Handler h) { dialogs_[std::move(step)] = std::move(h); }

	const Handler* command(std::string_view name) const { return find(commands_, name); }
	const Handler* button(std::string_view prefix) const { return find(buttons_, prefix); }
	const Handler* dialog(std::string_view step) const { return find(dialogs_, step); }

private:
	using Table = std::map<std::string, Handler, std::less<>>;
	static const Handler* find(const Table& t, std::string_view key) {
		auto it = t.find(key);
		return it == t.end() ? nullptr : &it->second;
	}
	Table commands_, buttons_, dialogs_;
};

} // namespace serversan::bot
