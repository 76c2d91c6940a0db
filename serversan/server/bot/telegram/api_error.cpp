#include "serversan/server/bot/telegram/api_error.h"

namespace serversan::bot::telegram {

bool ApiError::not_modified() const {
	return kind == Kind::api && error_code == 400 &&
	       description.find("message is not modified") != std::string::npos;
}

bool ApiError::retryable() const {
	switch (kind) {
	case Kind::network:
		return true;
	case Kind::http_status:
		return http_status >= 500 || http_status == 429;
	case Kind::api:
		return error_code >= 500 || error_code == 429;
	case Kind::malformed:
	case Kind::invalid:
		return false;
	}
	return false;
}

std::string ApiError::message() const {
	switch (kind) {
	case Kind::network:
		return method + ": network error: " + detail;
	case Kind::http_status:
		return method + ": HTTP " + std::to_string(http_status) + " without a Bot API answer: " + detail;
	case Kind::api: {
		std::string m = method + ": Telegram error " + std::to_string(error_code) + ": " + description;
		if (retry_after)
			m += " (retry after " + std::to_string(*retry_after) + " s)";
		if (migrate_to_chat_id)
			m += " (migrated to chat " + std::to_string(*migrate_to_chat_id) + ")";
		return m;
	}
	case Kind::malformed:
		return method + ": malformed answer: " + detail;
	case Kind::invalid:
		return method + ": not sent: " + detail;
	}
	return method + ": " + detail;
}

} // namespace serversan::bot::telegram
