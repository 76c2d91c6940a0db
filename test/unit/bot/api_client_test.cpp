// The Bot API client against the fake over loopback: every method, long polling and offsets,
// every error shape, keep-alive, and the token never showing up in an error.
#include <cstdlib>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "serversan/server/bot/telegram/api_client.h"
#include "test/fake_telegram/fake_bot_api.h"

using namespace serversan::bot::telegram;
using namespace serversan::fake_telegram;
using namespace std::chrono_literals;
using nlohmann::json;
using Kind = ApiError::Kind;
using steady = std::chrono::steady_clock;

namespace {

const std::vector<std::string> kAllowed = {"message", "callback_query", "my_chat_member"};

template <typename Pred>
bool wait_until(Pred pred, std::chrono::milliseconds timeout = 10s) {
	auto end = steady::now() + timeout;
	while (!pred()) {
		if (steady::now() > end)
			return false;
		std::this_thread::sleep_for(2ms);
	}
	return true;
}

class ApiClientTest : public testing::Test {
protected:
	FakeBotApi fake;
	SimUser alice;
	SimChat alice_chat;

	ClientOptions options() {
		ClientOptions o;
		o.api_url = fake.base_url() + "/";
		o.token = fake.token();
		o.request_timeout = 5s;
		o.poll_margin = 5s;
		return o;
	}
	void SetUp() override { fake.add_chat(alice_chat); }
};

// Built piece by piece: GCC 12 at -O3 warns (-Wrestrict, a false positive) on "m" + to_string(i).
std::string numbered(int i) {
	std::string s = "m";
	s += std::to_string(i);
	return s;
}

std::string fake_png(size_t size) {
	std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x02\x80\0\0\x01\x40\x08\x06\0\0\0", 33);
	for (size_t i = 0; png.size() < size; ++i)
		png += static_cast<char>((i * 131 + 7) % 256); // every byte value, also \0, \r, \n and '-'
	png += "\r\n--boundary-lookalike\r\n";
	return png;
}

} // namespace

TEST_F(ApiClientTest, GetMe) {
	ApiClient client(options());
	auto me = client.get_me();
	ASSERT_TRUE(me.ok()) << me.error().message();
	EXPECT_EQ(me->id, fake.bot_id());
	EXPECT_TRUE(me->is_bot);
	EXPECT_EQ(me->username, "serversan_test_bot");
}

TEST_F(ApiClientTest, SendMessageSendsEveryOptionAndParsesTheMessage) {
	ApiClient client(options());
	SimChat group{-100200, "supergroup", "ops", true};
	fake.inject_message(alice, group, "hello");
	SendOptions o;
	o.message_thread_id = 5;
	o.keyboard = InlineKeyboard{{{"Refresh", "stat:1", ""}, {"Docs", "", "https://example.org/x"}}};
	o.disable_link_preview = true;
	o.disable_notification = true;
	o.reply_to_message_id = 1;
	auto m = client.send_message(group.id, "<b>web1</b> &amp; \xF0\x9F\x94\xA5", o);
	ASSERT_TRUE(m.ok()) << m.error().message();
	EXPECT_EQ(m->text, "web1 & \xF0\x9F\x94\xA5");
	EXPECT_EQ(m->chat.id, group.id);
	EXPECT_EQ(m->message_thread_id, 5);
	EXPECT_TRUE(m->is_topic_message);
	ASSERT_TRUE(m->from.has_value());
	EXPECT_EQ(m->from->id, fake.bot_id());
	ASSERT_EQ(m->entities.size(), 1u);
	EXPECT_EQ(m->entities[0].type, "bold");
	json sent = fake.calls("sendMessage").at(0).params;
	EXPECT_EQ(sent["parse_mode"], "HTML");
	EXPECT_EQ(sent["link_preview_options"]["is_disabled"], true);
	EXPECT_EQ(sent["disable_notification"], true);
	EXPECT_EQ(sent["reply_parameters"]["message_id"], 1);
	EXPECT_EQ(sent["reply_markup"]["inline_keyboard"][0][1]["url"], "https://example.org/x");
}

TEST_F(ApiClientTest, EditsAndNotModifiedIsReportedDistinctly) {
	ApiClient client(options());
	InlineKeyboard kb{{{"Refresh", "r:1", ""}}};
	auto m = client.send_message(alice_chat.id, "v1", {.keyboard = kb});
	ASSERT_TRUE(m.ok()) << m.error().message();
	auto same = client.edit_message_text(alice_chat.id, m->message_id, "v1", kb);
	ASSERT_FALSE(same.ok());
	EXPECT_TRUE(same.error().not_modified()) << same.error().message();
	EXPECT_FALSE(same.error().retryable());
	auto edited = client.edit_message_text(alice_chat.id, m->message_id, "<i>v2</i>", kb);
	ASSERT_TRUE(edited.ok()) << edited.error().message();
	EXPECT_EQ(edited->text, "v2");
	EXPECT_TRUE(edited->edit_date.has_value());
	auto gone = client.edit_message_text(alice_chat.id, 999, "x");
	ASSERT_FALSE(gone.ok());
	EXPECT_FALSE(gone.error().not_modified());
	EXPECT_EQ(gone.error().description, "Bad Request: message to edit not found");
	auto markup =
	    client.edit_message_reply_markup(alice_chat.id, m->message_id, InlineKeyboard{{{"New", "n", ""}}});
	ASSERT_TRUE(markup.ok()) << markup.error().message();
	EXPECT_TRUE(
	    client.edit_message_reply_markup(alice_chat.id, m->message_id, InlineKeyboard{{{"New", "n", ""}}})
	        .error()
	        .not_modified());
	auto deleted = client.delete_message(alice_chat.id, m->message_id);
	ASSERT_TRUE(deleted.ok());
	EXPECT_TRUE(deleted.value());
	EXPECT_EQ(client.delete_message(alice_chat.id, m->message_id).error().error_code, 400);
}

TEST_F(ApiClientTest, AnswerCallbackQuery) {
	ApiClient client(options());
	std::string id;
	fake.press_button(alice, alice_chat, 1, "stat:1", &id);
	auto updates = client.get_updates(0, 100, 0s, kAllowed);
	ASSERT_TRUE(updates.ok()) << updates.error().message();
	ASSERT_EQ(updates->size(), 1u);
	ASSERT_EQ(updates->at(0).kind, Update::Kind::callback_query);
	EXPECT_EQ(updates->at(0).callback_query->id, id);
	EXPECT_EQ(updates->at(0).callback_query->data, "stat:1");
	ASSERT_TRUE(client.answer_callback_query(id, "Refreshed").ok());
	EXPECT_EQ(fake.calls("answerCallbackQuery").at(0).params["text"], "Refreshed");
	EXPECT_EQ(client.answer_callback_query(id).error().error_code, 400);
}

TEST_F(ApiClientTest, SendPhotoBytesArriveIntact) {
	ApiClient client(options());
	std::string png = fake_png(300'000);
	PhotoOptions o;
	o.caption = "<b>cpu</b> 24 h";
	o.keyboard = InlineKeyboard{{{"1 h", "ch:1h", ""}, {"24 h", "ch:24h", ""}}};
	auto m = client.send_photo(alice_chat.id, png, o);
	ASSERT_TRUE(m.ok()) << m.error().message();
	EXPECT_TRUE(m->has_photo);
	EXPECT_EQ(m->caption, "cpu 24 h");
	ASSERT_EQ(fake.photos().size(), 1u);
	EXPECT_EQ(fake.photos()[0].bytes, png);
	EXPECT_EQ(fake.photos()[0].content_type, "image/png");
	EXPECT_EQ(fake.photos()[0].filename, "chart.png");
	auto bad = client.send_photo(alice_chat.id, "GIF89a not a png at all, really");
	EXPECT_EQ(bad.error().description, "Bad Request: IMAGE_PROCESS_FAILED");
}

TEST_F(ApiClientTest, EditMessagePhotoSwitchesTheChartInPlace) {
	ApiClient client(options());
	InlineKeyboard kb{{{"1 h", "ch:1h", ""}, {"24 h", "ch:24h", ""}}};
	auto sent = client.send_photo(alice_chat.id, fake_png(1000), {.caption = "cpu 1 h", .keyboard = kb});
	ASSERT_TRUE(sent.ok()) << sent.error().message();
	std::string day = fake_png(2000);
	auto edited = client.edit_message_photo(alice_chat.id, sent->message_id, day,
	                                        {.caption = "<b>cpu</b> 24 h", .keyboard = kb});
	ASSERT_TRUE(edited.ok()) << edited.error().message();
	EXPECT_EQ(edited->message_id, sent->message_id);
	EXPECT_EQ(edited->caption, "cpu 24 h");
	EXPECT_TRUE(edited->edit_date.has_value());
	ASSERT_EQ(fake.photos().size(), 2u);
	EXPECT_EQ(fake.photos()[1].bytes, day);
	EXPECT_EQ(fake.photos()[1].message_id, sent->message_id);
	auto text = client.send_message(alice_chat.id, "no photo here");
	EXPECT_EQ(client.edit_message_photo(alice_chat.id, text->message_id, day).error().description,
	          "Bad Request: there is no media in the message to edit");
}

TEST_F(ApiClientTest, CommandsAndWebhook) {
	ApiClient client(options());
	ASSERT_TRUE(client.set_my_commands({{"start", "Begin"}, {"stat", "Server status"}}).ok());
	EXPECT_EQ(client.set_my_commands({{"Bad-Name", "x"}}).error().description,
	          "Bad Request: BOT_COMMAND_INVALID");
	ASSERT_TRUE(client.set_webhook({"http://127.0.0.1:9/hook", "s3cret", kAllowed, true}).ok());
	auto info = client.get_webhook_info();
	ASSERT_TRUE(info.ok()) << info.error().message();
	EXPECT_EQ(info->url, "http://127.0.0.1:9/hook");
	EXPECT_EQ(info->allowed_updates, kAllowed);
	auto conflict = client.get_updates(0, 100, 0s, kAllowed);
	ASSERT_FALSE(conflict.ok());
	EXPECT_EQ(conflict.error().error_code, 409);
	ASSERT_TRUE(client.delete_webhook(true).ok());
	EXPECT_EQ(client.get_webhook_info()->url, "");
	json sent = fake.calls("setWebhook").at(0).params;
	EXPECT_EQ(sent["secret_token"], "s3cret");
	EXPECT_EQ(sent["drop_pending_updates"], true);
}

TEST_F(ApiClientTest, LongPollReturnsWhenAnUpdateArrivesNotBefore) {
	ApiClient client(options());
	auto start = steady::now();
	std::thread user([&] {
		std::this_thread::sleep_for(300ms); // the scenario: a message 0.3 s into the poll
		fake.inject_command(alice, alice_chat, "/start");
	});
	auto updates = client.get_updates(0, 100, 2s, kAllowed);
	auto took = steady::now() - start;
	user.join();
	ASSERT_TRUE(updates.ok()) << updates.error().message();
	ASSERT_EQ(updates->size(), 1u);
	EXPECT_EQ(updates->at(0).message->text, "/start");
	EXPECT_GE(took, 280ms);
	EXPECT_LT(took, 1900ms);
}

TEST_F(ApiClientTest, AnEmptyPollWaitsItsTimeout) {
	ApiClient client(options());
	auto start = steady::now();
	auto updates = client.get_updates(0, 100, 1s, kAllowed);
	auto took = steady::now() - start;
	ASSERT_TRUE(updates.ok()) << updates.error().message();
	EXPECT_TRUE(updates->empty());
	EXPECT_GE(took, 950ms);
	EXPECT_EQ(fake.calls("getUpdates").at(0).params["allowed_updates"], kAllowed);
}

TEST_F(ApiClientTest, OffsetConfirmsAndUnconfirmedUpdatesComeBack) {
	ApiClient client(options());
	for (int i = 0; i < 5; ++i)
		fake.inject_message(alice, alice_chat, numbered(i));
	auto first = client.get_updates(0, 2, 0s, kAllowed);
	ASSERT_TRUE(first.ok());
	ASSERT_EQ(first->size(), 2u);
	auto again = client.get_updates(0, 100, 0s, kAllowed); // nothing confirmed: all five again
	ASSERT_EQ(again->size(), 5u);
	EXPECT_EQ(again->at(0).update_id, first->at(0).update_id);
	int64_t next = first->at(1).update_id + 1;
	auto rest = client.get_updates(next, 100, 0s, kAllowed);
	ASSERT_EQ(rest->size(), 3u);
	EXPECT_EQ(rest->at(0).message->text, "m2");
	EXPECT_EQ(fake.pending_updates(), 3u);
	auto none = client.get_updates(rest->back().update_id + 1, 100, 0s, kAllowed);
	EXPECT_TRUE(none->empty());
	EXPECT_EQ(fake.pending_updates(), 0u);
}

TEST_F(ApiClientTest, ASecondPollEndsTheFirstWith409) {
	ApiClient a(options()), b(options());
	std::optional<ApiResult<std::vector<Update>>> first;
	std::thread poller([&] { first.emplace(a.get_updates(0, 100, 10s, kAllowed)); });
	ASSERT_TRUE(wait_until([&] { return fake.waiting_polls() == 1; }));
	auto second = b.get_updates(0, 100, 0s, kAllowed);
	poller.join();
	EXPECT_TRUE(second.ok());
	ASSERT_FALSE(first->ok());
	EXPECT_EQ(first->error().error_code, 409);
	EXPECT_NE(first->error().description.find("terminated by other getUpdates request"), std::string::npos);
}

TEST_F(ApiClientTest, UnknownUpdateKindsAreOtherAndBadShapesAreMalformedButKeepTheirIds) {
	ApiClient client(options());
	fake.inject_update({{"poll", {{"id", "p"}}}});
	fake.inject_update({{"message", {{"text", "no message_id, chat or date"}}}});
	fake.inject_update({{"my_chat_member",
	                     {{"chat", {{"id", 1001}, {"type", "private"}}},
	                      {"from", {{"id", 1001}, {"is_bot", false}, {"first_name", "Alice"}}},
	                      {"date", 1},
	                      {"old_chat_member", {{"status", "member"}}},
	                      {"new_chat_member", {{"status", "kicked"}}}}}});
	auto updates = client.get_updates(0, 100, 0s, kAllowed);
	ASSERT_TRUE(updates.ok()) << updates.error().message();
	ASSERT_EQ(updates->size(), 3u);
	EXPECT_EQ(updates->at(0).kind, Update::Kind::other);
	EXPECT_EQ(updates->at(1).kind, Update::Kind::malformed);
	EXPECT_EQ(updates->at(1).update_id, updates->at(0).update_id + 1);
	EXPECT_EQ(updates->at(2).kind, Update::Kind::my_chat_member);
	EXPECT_EQ(updates->at(2).my_chat_member->new_status, "kicked");
}

TEST_F(ApiClientTest, TelegramErrorsAreParsed) {
	ApiClient client(options());
	fake.fail(Fault::too_many_requests("sendMessage", 7));
	auto e = client.send_message(alice_chat.id, "x");
	ASSERT_FALSE(e.ok());
	EXPECT_EQ(e.error().kind, Kind::api);
	EXPECT_EQ(e.error().error_code, 429);
	EXPECT_EQ(e.error().http_status, 429);
	EXPECT_EQ(e.error().retry_after, 7);
	EXPECT_TRUE(e.error().retryable());

	fake.fail(Fault::blocked_by(alice_chat.id));
	e = client.send_message(alice_chat.id, "x");
	EXPECT_EQ(e.error().error_code, 403);
	EXPECT_EQ(e.error().description, "Forbidden: bot was blocked by the user");
	EXPECT_FALSE(e.error().retryable());

	EXPECT_EQ(client.send_message(424242, "x").error().description, "Bad Request: chat not found");

	Fault migrated;
	migrated.description = "Bad Request: group chat was migrated to a supergroup chat";
	migrated.migrate_to_chat_id = -1001234567890;
	fake.fail(migrated);
	EXPECT_EQ(client.send_message(alice_chat.id, "x").error().migrate_to_chat_id, -1001234567890);

	fake.fail(Fault::server_error("sendMessage", 502));
	e = client.send_message(alice_chat.id, "x");
	EXPECT_EQ(e.error().kind, Kind::api);
	EXPECT_EQ(e.error().error_code, 502);
	EXPECT_TRUE(e.error().retryable());
	EXPECT_TRUE(client.send_message(alice_chat.id, "after the faults").ok());
}

TEST_F(ApiClientTest, AnswersOfAnUnexpectedShapeAreErrorsWithContext) {
	ApiClient client(options());
	struct Case {
		Fault::Kind fault;
		Kind kind;
		const char* context;
	} cases[] = {
	    {Fault::Kind::html_page, Kind::http_status, "502 Bad Gateway"},
	    {Fault::Kind::no_json_500, Kind::http_status, "Internal Server Error"},
	    {Fault::Kind::truncated_json, Kind::malformed, "not JSON"},
	    {Fault::Kind::null_result, Kind::malformed, "null result"},
	    {Fault::Kind::missing_result, Kind::malformed, "without a result"},
	    {Fault::Kind::wrong_types, Kind::malformed, "unexpected result"},
	    {Fault::Kind::drop_connection, Kind::network, ""},
	};
	for (const Case& c : cases) {
		for (const char* method :
		     {"getMe", "sendMessage", "getUpdates", "deleteMessage", "getWebhookInfo", "sendPhoto"}) {
			Fault f = Fault::malformed(method, c.fault);
			// curl silently retries a request once when a reused connection dies unanswered.
			f.times = c.fault == Fault::Kind::drop_connection ? 2 : 1;
			fake.fail(f);
			std::optional<ApiError> error;
			std::string m = method;
			if (m == "getMe") {
				auto r = client.get_me();
				if (!r.ok())
					error = r.error();
			} else if (m == "sendMessage") {
				auto r = client.send_message(alice_chat.id, "x");
				if (!r.ok())
					error = r.error();
			} else if (m == "getUpdates") {
				auto r = client.get_updates(0, 100, 0s, kAllowed);
				if (!r.ok())
					error = r.error();
			} else if (m == "deleteMessage") {
				auto r = client.delete_message(alice_chat.id, 1);
				if (!r.ok())
					error = r.error();
			} else if (m == "getWebhookInfo") {
				auto r = client.get_webhook_info();
				if (!r.ok())
					error = r.error();
			} else {
				auto r = client.send_photo(alice_chat.id, fake_png(100));
				if (!r.ok())
					error = r.error();
			}
			fake.clear_faults();
			ASSERT_TRUE(error.has_value()) << method << " fault " << static_cast<int>(c.fault);
			EXPECT_EQ(error->kind, c.kind) << error->message();
			EXPECT_NE(error->message().find(c.context), std::string::npos) << error->message();
			EXPECT_NE(error->message().find(method), std::string::npos) << error->message();
		}
	}
	EXPECT_TRUE(client.get_me().ok()) << "the client recovers after every fault";
}

TEST_F(ApiClientTest, TimeOutsAndRefusedConnectionsAreNetworkErrors) {
	ClientOptions o = options();
	o.request_timeout = 200ms;
	ApiClient client(o);
	Fault slow = Fault::malformed("getMe", Fault::Kind::delay);
	slow.delay = 2s;
	fake.fail(slow);
	auto start = steady::now();
	auto r = client.get_me();
	EXPECT_LT(steady::now() - start, 1500ms);
	ASSERT_FALSE(r.ok());
	EXPECT_EQ(r.error().kind, Kind::network);
	EXPECT_TRUE(r.error().retryable());

	o.api_url = "http://127.0.0.1:1";
	ApiClient refused(o);
	EXPECT_EQ(refused.get_me().error().kind, Kind::network);
}

TEST_F(ApiClientTest, GoesThroughTheConfiguredProxy) {
	ClientOptions o = options();
	o.api_url = "http://api.telegram.invalid"; // never resolved here: only the proxy is contacted
	o.proxy = fake.base_url();                 // the fake accepts a proxy's absolute-form requests
	ApiClient client(o);
	auto me = client.get_me();
	ASSERT_TRUE(me.ok()) << me.error().message();
	EXPECT_EQ(me->id, fake.bot_id());
	EXPECT_EQ(fake.calls("getMe").size(), 1u);

	o.proxy = "http://127.0.0.1:1"; // a proxy that is down is a network error, not a direct call
	EXPECT_EQ(ApiClient(o).get_me().error().kind, Kind::network);
	EXPECT_EQ(fake.calls("getMe").size(), 1u);
}

// A self-signed certificate for IP 127.0.0.1, made with the openssl command (no key is committed).
// Empty when openssl is missing.
std::string make_test_cert(const std::string& dir) {
	std::string cmd =
	    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj "
	    "/CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " +
	    dir + "/key.pem -out " + dir + "/cert.pem >/dev/null 2>&1";
	return std::system(cmd.c_str()) == 0 ? dir + "/cert.pem" : "";
}

TEST(ApiClientTls, VerifiesTheServerCertificateAgainstTheGivenCaFile) {
	std::string dir =
	    std::filesystem::temp_directory_path() / ("serversan-bot-tls-" + std::to_string(getpid()));
	std::filesystem::create_directories(dir);
	std::string cert = make_test_cert(dir);
	ASSERT_FALSE(cert.empty()) << "openssl (deps.sh) is needed to make the test certificate";
	FakeBotApi::Options fo;
	fo.tls_cert_file = cert;
	fo.tls_key_file = dir + "/key.pem";
	FakeBotApi fake(fo);
	ASSERT_EQ(fake.base_url().rfind("https://", 0), 0u);
	ClientOptions o;
	o.api_url = fake.base_url();
	o.token = fake.token();
	o.request_timeout = 5s;

	auto untrusted = ApiClient(o).get_me(); // the system CAs do not know this certificate
	ASSERT_FALSE(untrusted.ok());
	EXPECT_EQ(untrusted.error().kind, Kind::network);
	EXPECT_NE(untrusted.error().message().find("certificate"), std::string::npos)
	    << untrusted.error().message();
	EXPECT_TRUE(fake.calls().empty()) << "nothing may be sent before the server is verified";

	o.ca_file = cert;
	ApiClient client(o);
	for (int i = 0; i < 3; ++i) {
		auto me = client.get_me();
		ASSERT_TRUE(me.ok()) << me.error().message();
	}
	EXPECT_EQ(fake.connections_accepted(), 2u) << "the refused one, then one kept open for three calls";
	std::filesystem::remove_all(dir);
}

TEST_F(ApiClientTest, CallbackDataOver64BytesIsRefusedBeforeSending) {
	ApiClient client(options());
	auto r = client.send_message(alice_chat.id, "x",
	                             {.keyboard = InlineKeyboard{{{"Go", std::string(65, 'd'), ""}}}});
	ASSERT_FALSE(r.ok());
	EXPECT_EQ(r.error().kind, Kind::invalid);
	EXPECT_TRUE(fake.calls("sendMessage").empty());
}

TEST_F(ApiClientTest, OneClientKeepsOneConnection) {
	ApiClient client(options());
	for (int i = 0; i < 20; ++i) {
		ASSERT_TRUE(client.send_message(alice_chat.id, numbered(i)).ok());
		ASSERT_TRUE(client.get_updates(0, 100, 0s, kAllowed).ok());
	}
	ASSERT_TRUE(client.send_photo(alice_chat.id, fake_png(5000)).ok());
	EXPECT_EQ(fake.connections_accepted(), 1u);
}

TEST(ApiClientToken, NeverAppearsInAnyErrorText) {
	FakeBotApi::Options fo;
	fo.token = "987654:LEAKME-tok_en";
	FakeBotApi fake(fo);
	fake.add_chat(SimChat{});
	ClientOptions o;
	o.api_url = fake.base_url();
	o.token = fo.token;
	o.request_timeout = 300ms;
	std::vector<std::string> texts;
	auto collect = [&](const ApiError& e) {
		texts.push_back(e.message());
		texts.push_back(e.detail);
		texts.push_back(e.description);
	};
	{
		ApiClient client(o);
		std::vector<Fault> faults = {Fault::too_many_requests("getMe", 1), Fault::server_error("getMe", 500)};
		for (auto k : {Fault::Kind::html_page, Fault::Kind::no_json_500, Fault::Kind::truncated_json,
		               Fault::Kind::null_result, Fault::Kind::missing_result, Fault::Kind::wrong_types,
		               Fault::Kind::drop_connection})
			faults.push_back(Fault::malformed("getMe", k));
		Fault slow = Fault::malformed("getMe", Fault::Kind::delay);
		slow.delay = 1s;
		faults.push_back(slow);
		// Proxies' error pages and odd servers echo the request line, token and all.
		Fault echo_page = Fault::malformed("getMe", Fault::Kind::html_page);
		echo_page.body = "<h1>502</h1><p>GET /bot987654:LEAKME-tok_en/getMe failed</p>";
		faults.push_back(echo_page);
		Fault echo_cut = echo_page; // the token straddles the point where the excerpt is cut
		echo_cut.body = std::string(109, '.') + "/bot987654:LEAKME-tok_en/getMe";
		faults.push_back(echo_cut);
		Fault echo_plain = Fault::malformed("getMe", Fault::Kind::no_json_500);
		echo_plain.body = "upstream error for /bot987654%3ALEAKME-tok_en/getMe";
		faults.push_back(echo_plain);
		Fault echo_api;
		echo_api.description = "Bad Request: no such path /bot987654:LEAKME-tok_en/getMe";
		faults.push_back(echo_api);
		for (Fault& f : faults) {
			if (f.kind == Fault::Kind::drop_connection)
				f.times = 2; // curl retries once on a reused connection
			fake.fail(f);
			auto r = client.get_me();
			fake.clear_faults();
			ASSERT_FALSE(r.ok());
			collect(r.error());
		}
		collect(
		    client.send_message(1001, "x", {.keyboard = InlineKeyboard{{{"b", std::string(70, 'x'), ""}}}})
		        .error());
	}
	ClientOptions wrong_token = o;
	wrong_token.token = "987654:LEAKME-other";
	collect(ApiClient(wrong_token).get_me().error());
	ClientOptions refused = o;
	refused.api_url = "http://127.0.0.1:1";
	collect(ApiClient(refused).get_me().error());
	ClientOptions bad_proxy = o;
	bad_proxy.proxy = "socks5://127.0.0.1:1";
	collect(ApiClient(bad_proxy).get_me().error());
	ClientOptions bad_url = o;
	bad_url.api_url = "http://127.0.0.1:99999";
	collect(ApiClient(bad_url).get_me().error());
	ClientOptions bad_scheme = o;
	bad_scheme.api_url = "gopher://127.0.0.1:1";
	collect(ApiClient(bad_scheme).get_me().error());
	ClientOptions spaced = o;
	spaced.token = "987654:LEAKME with space";
	collect(ApiClient(spaced).get_me().error());

	ASSERT_GE(texts.size(), 57u);
	for (const std::string& t : texts) {
		EXPECT_EQ(t.find("LEAKME"), std::string::npos) << t;
		EXPECT_EQ(t.find("987654"), std::string::npos) << t;
	}
}
