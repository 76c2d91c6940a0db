#include "serversan/server/bot/i18n.h"

#include <string>
#include <unordered_map>

#include "serversan/server/bot/i18n/tables.h"

namespace serversan::bot {

namespace i18n {

namespace {

const Table* const kTables[] = {
    &kCommonEn,    &kCommonZh,    &kMenuEn,   &kMenuZh,    &kChatEn,    &kChatZh,   &kServersEn,
    &kServersZh,   &kStatusEn,    &kStatusZh, &kEventsEn,  &kEventsZh,  &kNotifyEn, &kNotifyZh,
    &kThresholdEn, &kThresholdZh, &kChartsEn, &kChartsZh,  &kAdminEn,   &kAdminZh,  &kAlertsEn,
    &kAlertsZh,    &kDigestEn,    &kDigestZh, &kRoutingEn, &kRoutingZh,
};

// (language, key) -> text, built once: lookups happen per message, tables are few hundred rows.
struct Index {
	std::unordered_map<std::string_view, std::string_view> by_lang[std::size(kLanguages)];
	Index() {
		for (const Table* t : kTables)
			for (const Entry& e : t->entries)
				by_lang[static_cast<size_t>(t->lang)].emplace(e.key, e.text);
	}
};

const Index& index() {
	static const Index idx;
	return idx;
}

} // namespace

std::span<const Table* const> tables() {
	return kTables;
}

std::vector<std::string_view> keys(Lang lang) {
	std::vector<std::string_view> out;
	for (const Table* t : kTables)
		if (t->lang == lang)
			for (const Entry& e : t->entries)
				out.push_back(e.key);
	return out;
}

} // namespace i18n

namespace {

bool starts_with_ci(std::string_view s, std::string_view prefix) {
	if (s.size() < prefix.size())
		return false;
	for (size_t i = 0; i < prefix.size(); ++i) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			c = static_cast<char>(c - 'A' + 'a');
		if (c != prefix[i])
			return false;
	}
	return true;
}

} // namespace

Lang language_for(std::string_view tag) {
	if (starts_with_ci(tag, "zh") && (tag.size() == 2 || tag[2] == '-' || tag[2] == '_'))
		return Lang::zh;
	return Lang::en;
}

std::string_view language_tag(Lang lang) {
	return lang == Lang::zh ? "zh-hans" : "en";
}

std::string_view language_name(Lang lang) {
	return lang == Lang::zh ? "简体中文" : "English";
}

std::string_view tr(Lang lang, std::string_view key) {
	const auto& idx = i18n::index();
	for (Lang l : {lang, Lang::en}) {
		const auto& m = idx.by_lang[static_cast<size_t>(l)];
		if (auto it = m.find(key); it != m.end())
			return it->second;
	}
	return key;
}

std::string tr(Lang lang, std::string_view key,
               std::initializer_list<std::pair<std::string_view, std::string_view>> args) {
	std::string_view text = tr(lang, key);
	std::string out;
	out.reserve(text.size() + 32);
	size_t i = 0;
	while (i < text.size()) {
		if (text[i] == '{') {
			size_t close = text.find('}', i + 1);
			if (close != std::string_view::npos) {
				std::string_view name = text.substr(i + 1, close - i - 1);
				bool done = false;
				for (const auto& [n, v] : args)
					if (n == name) {
						out += v;
						done = true;
						break;
					}
				if (done) {
					i = close + 1;
					continue;
				}
			}
		}
		out += text[i++];
	}
	return out;
}

} // namespace serversan::bot
