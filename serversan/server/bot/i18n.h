// The message catalogue: every text a user reads comes from here, one table per language and
// area (i18n/<area>_<lang>.cpp), so a new language is new tables, never edits to handlers.
// English and Simplified Chinese ship; a missing translation falls back to English, and the
// catalogue test fails when a language lacks a key or a placeholder of the English text.
//
// Texts are Telegram HTML. Placeholders are {name}; tr() inserts values as given, so values from
// users or servers must be escaped (html.h) before they are passed in.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace serversan::bot {

enum class Lang { en, zh };
inline constexpr Lang kLanguages[] = {Lang::en, Lang::zh};

// A Telegram language_code or a stored tag ("en", "en-US", "zh", "zh-hans", "zh-CN", "zh-TW"):
// any Chinese tag gives zh, anything else (empty, unknown) en.
Lang language_for(std::string_view ietf_tag);
std::string_view language_tag(Lang lang);  // what User::language stores: "en", "zh-hans"
std::string_view language_name(Lang lang); // in its own language: "English", "简体中文"

// The text of key in lang; English if lang lacks it; the key itself if no language has it.
std::string_view tr(Lang lang, std::string_view key);
// tr() with each {name} replaced by its value. An unknown placeholder is left as it is.
std::string tr(Lang lang, std::string_view key,
               std::initializer_list<std::pair<std::string_view, std::string_view>> args);

namespace i18n {

struct Entry {
	std::string_view key, text;
};
struct Table {
	Lang lang;
	std::span<const Entry> entries;
};
// Every table of every language (i18n.cpp lists them).
std::span<const Table* const> tables();
// The keys lang has, in table order (tests compare languages).
std::vector<std::string_view> keys(Lang lang);

} // namespace i18n
} // namespace serversan::bot
