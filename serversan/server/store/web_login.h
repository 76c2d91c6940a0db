// One-time login links to the web dashboard, and the secrets behind every web login: shared by
// the bot's /web, the admin CLI's `web login-link` and the web layer, so the three never mint or
// hash a secret differently. A secret is 32 random bytes in base64url (43 characters); only its
// SHA-256 reaches the store. Callers show a secret once and never log it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "serversan/core/result.h"
#include "serversan/server/store/store.h"

namespace serversan::store {

// A link works once, within this long by default (web.login_link_ttl sets it; main hands the
// configured value to the bot and the CLI): enough to open it on the phone it was sent to.
inline constexpr int64_t kLoginLinkTtlMs = 5 * kMinuteMs;
// The console operator: the web user of servers without an owner (those `server add` makes
// without --owner); an admin.
inline constexpr int64_t kConsoleUser = 0;

std::string base64url(std::string_view bytes);    // without padding
std::string new_secret();                         // 32 random bytes, base64url
std::string secret_hash(std::string_view secret); // SHA-256, 32 raw bytes

// Stores a fresh link for user_id, valid for ttl_ms, and returns its token (the secret in the URL).
Result<std::string> issue_login_link(Store& store, int64_t user_id, int64_t now_ms,
                                     int64_t ttl_ms = kLoginLinkTtlMs);
// The dashboard's address: public_url with one trailing '/'.
std::string dashboard_url(std::string_view public_url);
// dashboard_url + "login/" + token.
std::string login_url(std::string_view public_url, std::string_view token);

} // namespace serversan::store
