// application/x-www-form-urlencoded text (a query string, a form body, Telegram's initData)
// decoded into its key=value pairs, in order.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace serversan::web {

// '+' is a space, %XX a byte; empty if a % escape is malformed.
std::optional<std::string> form_decode(std::string_view text);
// The pairs of "a=1&b=2"; a part without '=' has an empty value. Empty if an escape is malformed.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_form(std::string_view text);

} // namespace serversan::web
