// The parameters of one Bot API call, from wherever Telegram accepts them: the query string, an
// application/x-www-form-urlencoded, application/json or multipart/form-data body. Query and
// form values are strings; JSON values keep their types, so the accessors take either.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace serversan::fake_telegram {

struct UploadedFile {
	std::string filename;
	std::string content_type;
	std::string bytes;
};

struct Params {
	nlohmann::json values = nlohmann::json::object();
	std::map<std::string, UploadedFile> files;

	bool has(const std::string& name) const { return values.contains(name) || files.count(name); }
	// A string, or a number/bool written out; nullopt when absent or null.
	std::optional<std::string> text(const std::string& name) const;
	// An integer or a string holding one; *bad is set when present but not an integer.
	std::optional<int64_t> integer(const std::string& name, bool* bad) const;
	// A JSON value, or a string holding JSON (how form-encoded calls send objects); *bad as above.
	std::optional<nlohmann::json> object(const std::string& name, bool* bad) const;
	bool flag(const std::string& name) const;
	// Everything for the call log: files as {"file": name, "size": bytes}.
	nlohmann::json to_json() const;
};

// nullopt (and *error) when the body does not parse as its content type says.
std::optional<Params> parse_params(std::string_view query, std::string_view content_type,
                                   std::string_view body, std::string* error);

std::string percent_decode(std::string_view s);

} // namespace serversan::fake_telegram
