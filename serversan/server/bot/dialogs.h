// Dialogs: the open multi-step conversation of each (chat, user), e.g. /add waiting for a name or
// /rename waiting for the new name of server 42. An explicit state (a step name and the server it
// is about), in memory only: a restart ends every dialog, which is harmless. A dialog expires after
// kDialogTtlMs on the injected clock, /cancel or any new command ends it. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

namespace serversan::bot {

inline constexpr int64_t kDialogTtlMs = 10 * 60'000;

struct Dialog {
	std::string step;       // the router's dialog handler for the next free text
	uint64_t server_id = 0; // the server the dialog is about, if any (re-checked on use)
	int64_t expires_ms = 0;
};

class Dialogs {
public:
	// Opens (or replaces) the dialog of (chat, user) until now_ms + kDialogTtlMs.
	void open(int64_t chat, int64_t user, std::string step, uint64_t server_id, int64_t now_ms);
	// The open, unexpired dialog of (chat, user), if any.
	std::optional<Dialog> get(int64_t chat, int64_t user, int64_t now_ms);
	// Ends the dialog; true if one was open and unexpired.
	bool end(int64_t chat, int64_t user, int64_t now_ms);
	size_t size();

private:
	void prune(int64_t now_ms);
	std::mutex mu_;
	std::map<std::pair<int64_t, int64_t>, Dialog> open_;
};

} // namespace serversan::bot
