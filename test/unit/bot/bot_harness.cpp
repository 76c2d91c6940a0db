#include "test/unit/bot/bot_harness.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "serversan/server/bot/html.h"

namespace serversan::bot::testing {

telegram::User tg_user(int64_t id, std::string first_name, std::string language_code) {
	telegram::User u;
	u.id = id;
	u.first_name = std::move(first_name);
	u.username = "u" + std::to_string(id);
	u.language_code = std::move(language_code);
	return u;
}

telegram::Chat private_chat(const telegram::User& u) {
	telegram::Chat c;
	c.id = u.id;
	c.type = "private";
	c.first_name = u.first_name;
	return c;
}

telegram::Chat group_chat(int64_t id, std::string title) {
	telegram::Chat c;
	c.id = id;
	c.type = "supergroup";
	c.title = std::move(title);
	return c;
}

BotHarness::BotHarness() {
	store = store::open_sqlite_store(dir.file("bot.db")).value();
	settings.public_url = "https://mon.example.com";
	settings.bot_username = "SanBot";
	settings.max_servers_per_user = 5;
	start();
}

void BotHarness::start() {
	bot = make_dispatcher(*store, out, clock, admins, settings);
}

std::vector<Reply> BotHarness::say(const telegram::User& from, const telegram::Chat& chat,
                                   const std::string& text, std::optional<int64_t> thread) {
	telegram::Update u;
	u.update_id = next_update++;
	u.kind = telegram::Update::Kind::message;
	telegram::Message m;
	m.message_id = next_message++;
	m.from = from;
	m.chat = chat;
	m.text = text;
	m.message_thread_id = thread;
	m.is_topic_message = thread.has_value();
	m.date = clock.unix_seconds();
	u.message = m;
	return feed(u);
}

std::vector<Reply> BotHarness::press(const telegram::User& from, const telegram::Chat& chat,
                                     const std::string& data, int64_t message_id) {
	telegram::Update u;
	u.update_id = next_update++;
	u.kind = telegram::Update::Kind::callback_query;
	telegram::CallbackQuery q;
	q.id = fmt::format("cb{}", u.update_id);
	q.from = from;
	telegram::Message m;
	m.message_id = message_id;
	m.chat = chat;
	q.message = m;
	q.data = data;
	u.callback_query = q;
	return feed(u);
}

std::vector<Reply> BotHarness::feed(const telegram::Update& u) {
	clock.advance(step);
	bot->handle(u);
	auto replies = out.take();
	// What every reply must be for Telegram to take it.
	for (const Reply& r : replies) {
		EXPECT_EQ(sanitize_utf8(r.text), r.text) << "invalid UTF-8 or control characters:\n"
		                                         << transcript(replies);
		EXPECT_LE(html_text_length(r.text), kMaxMessageUnits);
		if (!r.keyboard)
			continue;
		size_t buttons = 0;
		for (const auto& row : *r.keyboard)
			for (const auto& b : row) {
				++buttons;
				if (b.url.empty() && b.web_app.empty()) {
					EXPECT_TRUE(callback_data_fits(b.callback_data)) << b.callback_data;
				}
				EXPECT_FALSE(b.text.empty());
			}
		EXPECT_LE(buttons, 100u);
	}
	return replies;
}

uint64_t BotHarness::server_id(int64_t chat, const std::string& name) {
	auto servers = store->servers_of(chat);
	if (!servers.ok())
		return 0;
	for (const auto& s : *servers)
		if (s.name == name)
			return s.id;
	return 0;
}

std::string transcript(const std::vector<Reply>& replies) {
	static const char* kinds[] = {"send",  "edit",       "edit_keyboard", "answer",
	                              "photo", "edit_photo", "edit_caption"};
	std::string out;
	for (const Reply& r : replies) {
		out += fmt::format("→ [{} chat {}] {}", kinds[static_cast<int>(r.kind)], r.chat_id, r.text);
		if (r.keyboard) {
			out += "\n   buttons:";
			for (const auto& row : *r.keyboard)
				for (const auto& b : row)
					out += fmt::format(" [{}={}]", b.text,
					                   !b.web_app.empty() ? "web_app " + b.web_app
					                   : !b.url.empty()   ? "url " + b.url
					                                      : b.callback_data);
		}
		out += "\n";
	}
	return out;
}

std::string button(const Reply& r, const std::string& label) {
	if (r.keyboard)
		for (const auto& row : *r.keyboard)
			for (const auto& b : row)
				if (b.text.find(label) != std::string::npos)
					return b.callback_data;
	return "";
}

std::string token_in(const std::string& text) {
	const std::string marker = "sh -s -- ";
	size_t at = text.find(marker);
	if (at == std::string::npos)
		return "";
	at += marker.size();
	return text.substr(at, text.find(' ', at) - at);
}

} // namespace serversan::bot::testing
