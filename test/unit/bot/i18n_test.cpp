#include <set>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "serversan/server/bot/i18n.h"
#include "serversan/server/bot/menu.h"

using namespace serversan::bot;

namespace {

std::set<std::string> placeholders(std::string_view text) {
	std::set<std::string> out;
	for (size_t i = text.find('{'); i != std::string_view::npos; i = text.find('{', i + 1)) {
		size_t close = text.find('}', i);
		if (close == std::string_view::npos)
			break;
		out.emplace(text.substr(i + 1, close - i - 1));
	}
	return out;
}

// The tag names in a text, in order: a translation must keep the English markup's structure.
std::multiset<std::string> tags(std::string_view text) {
	std::multiset<std::string> out;
	for (size_t i = text.find('<'); i != std::string_view::npos; i = text.find('<', i + 1)) {
		size_t end = text.find_first_of(" >", i);
		out.emplace(text.substr(i + 1, end - i - 1));
	}
	return out;
}

} // namespace

TEST(BotI18n, EveryLanguageHasEveryEnglishKeyWithTheSamePlaceholdersAndTags) {
	auto en = i18n::keys(Lang::en);
	ASSERT_FALSE(en.empty());
	std::set<std::string_view> seen;
	for (std::string_view key : en)
		EXPECT_TRUE(seen.insert(key).second) << "duplicate English key " << key;
	for (Lang lang : kLanguages) {
		auto have = i18n::keys(lang);
		std::set<std::string_view> set(have.begin(), have.end());
		EXPECT_EQ(set.size(), have.size()) << language_tag(lang) << " has a duplicate key";
		for (std::string_view key : en) {
			ASSERT_TRUE(set.count(key)) << language_tag(lang) << " lacks " << key;
			EXPECT_EQ(placeholders(tr(lang, key)), placeholders(tr(Lang::en, key)))
			    << language_tag(lang) << " " << key;
			EXPECT_EQ(tags(tr(lang, key)), tags(tr(Lang::en, key))) << language_tag(lang) << " " << key;
		}
		for (std::string_view key : have)
			EXPECT_TRUE(seen.count(key)) << language_tag(lang) << " has " << key << ", English does not";
	}
}

TEST(BotI18n, LanguageTagsFromTelegram) {
	EXPECT_EQ(language_for("zh"), Lang::zh);
	EXPECT_EQ(language_for("zh-hans"), Lang::zh);
	EXPECT_EQ(language_for("zh-CN"), Lang::zh);
	EXPECT_EQ(language_for("ZH_tw"), Lang::zh);
	EXPECT_EQ(language_for("en-US"), Lang::en);
	EXPECT_EQ(language_for(""), Lang::en);
	EXPECT_EQ(language_for("zhx"), Lang::en);
	EXPECT_EQ(language_for("de"), Lang::en);
	for (Lang lang : kLanguages)
		EXPECT_EQ(language_for(language_tag(lang)), lang);
}

TEST(BotI18n, PlaceholdersAndFallbacks) {
	EXPECT_EQ(tr(Lang::zh, "common.yes"), "是");
	EXPECT_EQ(tr(Lang::en, "no.such.key"), "no.such.key");
	// A value is inserted as given, once, and is not itself expanded.
	EXPECT_EQ(tr(Lang::en, "x {a} {b} {a} {c}", {{"a", "{b}"}, {"b", "2"}}), "x {b} 2 {b} {c}");
}

TEST(BotMenu, EveryCommandHasADescriptionTelegramAccepts) {
	for (Lang lang : kLanguages)
		for (bool admin : {false, true}) {
			auto menu = command_menu(lang, admin);
			EXPECT_GE(menu.size(), admin ? 16u : 10u);
			for (const auto& c : menu) {
				EXPECT_TRUE(c.command.size() >= 1 && c.command.size() <= 32) << c.command;
				EXPECT_EQ(c.command.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_"),
				          std::string::npos);
				EXPECT_NE(c.description, "menu." + c.command) << "no description for " << c.command;
				EXPECT_TRUE(!c.description.empty() && c.description.size() <= 256);
			}
		}
}
