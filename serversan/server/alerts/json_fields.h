// Optional JSON fields of the alert payloads (alert_message.cpp, digest_message.cpp): absent when
// empty on the way out, left empty when absent or null on the way in.
#pragma once

#include <initializer_list>
#include <optional>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "serversan/core/result.h"

namespace serversan::alerts::json_fields {

template <typename T>
void put_opt(nlohmann::json& j, const char* key, const std::optional<T>& v) {
	if (v)
		j[key] = *v;
}

template <typename T>
void get_opt(const nlohmann::json& j, const char* key, std::optional<T>& v) {
	if (auto it = j.find(key); it != j.end() && !it->is_null())
		v = it->get<T>();
}

template <typename T>
void get_or(const nlohmann::json& j, const char* key, T& v) {
	if (auto it = j.find(key); it != j.end())
		v = it->get<T>();
}

// The payload's object if it is one, of this version, with every required field; else an error
// that starts with what ("alert message", "digest").
inline Result<nlohmann::json> parse_payload(std::string_view text, std::string_view what, int version,
                                            std::initializer_list<const char*> required) {
	nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
	if (j.is_discarded() || !j.is_object())
		return Err(fmt::format("{}: not a JSON object", what));
	if (auto v = j.find("v"); v == j.end() || !v->is_number_integer() || v->get<int>() != version)
		return Err(fmt::format("{}: unknown version {}", what, v == j.end() ? "none" : v->dump()));
	for (const char* field : required)
		if (!j.contains(field))
			return Err(fmt::format("{}: no \"{}\"", what, field));
	return j;
}

} // namespace serversan::alerts::json_fields
