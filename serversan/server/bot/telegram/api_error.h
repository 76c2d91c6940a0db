// What a Bot API call returns: the typed result or an ApiError that says which kind of failure it
// was, so that callers can decide without parsing text: retry a network error or a 5xx with
// back-off, wait retry_after on 429, move to migrate_to_chat_id, treat "message is not modified"
// as success. No error text ever contains the bot token (the URL holds it; errors are built
// without the URL and scrubbed, see http_transport.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "serversan/core/result.h"

namespace serversan::bot::telegram {

struct ApiError {
	enum class Kind {
		network,     // no HTTP answer: refused, reset, timed out, TLS, proxy
		http_status, // an HTTP answer that is not the Bot API envelope (a proxy's HTML page, a bare 500)
		api,         // the envelope with ok:false
		malformed,   // a 2xx answer of an unexpected shape (truncated, null result, wrong types)
		invalid,     // refused before sending (e.g. callback_data over 64 bytes)
	};
	Kind kind = Kind::network;
	std::string method;
	std::string detail;   // for network/http_status/malformed/invalid: what went wrong
	long http_status = 0; // 0 when there was no HTTP answer
	// For Kind::api: the envelope's fields.
	int error_code = 0;
	std::string description;
	std::optional<int> retry_after;
	std::optional<int64_t> migrate_to_chat_id;

	// 400 "message is not modified": an edit that changed nothing; callers treat it as success.
	bool not_modified() const;
	// Worth trying again later: network errors, 5xx, 429.
	bool retryable() const;
	// One line for logs, e.g. "sendMessage: Telegram error 429: Too Many Requests: retry after 3".
	std::string message() const;
};

template <typename T>
using ApiResult = Result<T, ApiError>;

} // namespace serversan::bot::telegram
