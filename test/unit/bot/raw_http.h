// A bare HTTP call for tests that must send exactly what they mean (GET with a query string, a
// hand-made multipart body, a wrong token), below the Bot API client.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace serversan::test {

struct RawAnswer {
	long status = 0; // 0 when the request failed
	std::string body;
	nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
};

RawAnswer raw_http(const std::string& verb, const std::string& url, const std::string& content_type = "",
                   const std::string& body = "");

} // namespace serversan::test
