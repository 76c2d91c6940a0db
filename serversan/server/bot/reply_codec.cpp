#include "serversan/server/bot/reply_codec.h"

#include <nlohmann/json.hpp>

#include "serversan/core/encoding.h"

namespace serversan::bot {

using nlohmann::json;

namespace {

json keyboard_json(const telegram::InlineKeyboard& kb) {
	json rows = json::array();
	for (const auto& row : kb) {
		json r = json::array();
		for (const auto& b : row)
			r.push_back({{"t", b.text}, {"d", b.callback_data}, {"u", b.url}});
		rows.push_back(std::move(r));
	}
	return rows;
}

telegram::InlineKeyboard keyboard_from(const json& rows) {
	telegram::InlineKeyboard kb;
	for (const auto& r : rows) {
		auto& row = kb.emplace_back();
		for (const auto& b : r)
			row.push_back(
			    {b.at("t").get<std::string>(), b.at("d").get<std::string>(), b.at("u").get<std::string>()});
	}
	return kb;
}

template <typename T>
void put_opt(json& j, const char* name, const std::optional<T>& v) {
	if (v)
		j[name] = *v;
}

template <typename T>
void get_opt(const json& j, const char* name, std::optional<T>& v) {
	if (auto it = j.find(name); it != j.end())
		v = it->get<T>();
}

} // namespace

std::string encode_reply(const Reply& r) {
	json j = {{"kind", static_cast<int>(r.kind)}, {"chat", r.chat_id}, {"text", r.text}};
	put_opt(j, "thread", r.thread_id);
	put_opt(j, "msg", r.message_id);
	put_opt(j, "reply_to", r.reply_to);
	if (r.keyboard)
		j["kb"] = keyboard_json(*r.keyboard);
	if (r.disable_link_preview)
		j["nopreview"] = true;
	if (r.silent)
		j["silent"] = true;
	if (!r.png.empty()) // JSON strings must be UTF-8
		j["png"] = hex_encode({reinterpret_cast<const uint8_t*>(r.png.data()), r.png.size()});
	return j.dump();
}

Result<Reply> decode_reply(const std::string& payload) {
	try {
		json j = json::parse(payload);
		Reply r;
		int kind = j.at("kind").get<int>();
		if (kind < 0 || kind > static_cast<int>(Reply::Kind::edit_caption))
			return Err("unknown reply kind " + std::to_string(kind));
		r.kind = static_cast<Reply::Kind>(kind);
		r.chat_id = j.at("chat").get<int64_t>();
		r.text = j.at("text").get<std::string>();
		get_opt(j, "thread", r.thread_id);
		get_opt(j, "msg", r.message_id);
		get_opt(j, "reply_to", r.reply_to);
		if (auto it = j.find("kb"); it != j.end())
			r.keyboard = keyboard_from(*it);
		r.disable_link_preview = j.value("nopreview", false);
		r.silent = j.value("silent", false);
		if (auto it = j.find("png"); it != j.end()) {
			auto bytes = hex_decode(it->get<std::string>());
			if (!bytes)
				return Err("a queued photo is not hex");
			r.png.assign(bytes->begin(), bytes->end());
		}
		return r;
	} catch (const json::exception& e) {
		return Err(std::string("an unreadable queued reply: ") + e.what());
	}
}

} // namespace serversan::bot
