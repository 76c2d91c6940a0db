// The fake Bot API on its own, spoken to with raw HTTP: request forms, the envelope, validation
// and the /sim/ API. The client's tests (api_client_test.cpp) cover polling and faults through it.
#include <condition_variable>
#include <mutex>

#include <gtest/gtest.h>

#include "test/fake_telegram/fake_bot_api.h"
#include "test/fake_telegram/http_server.h"
#include "test/unit/bot/raw_http.h"

using namespace serversan::fake_telegram;
using nlohmann::json;
using serversan::test::raw_http;

namespace {

class FakeBotApiTest : public testing::Test {
protected:
	FakeBotApi fake;
	SimUser alice;
	SimChat alice_chat; // private chat 1001

	void SetUp() override { fake.add_chat(alice_chat); }
	std::string url(const std::string& method) {
		return fake.base_url() + "/bot" + fake.token() + "/" + method;
	}
	json post(const std::string& method, const json& body, long* status = nullptr) {
		auto a = raw_http("POST", url(method), "application/json", body.dump());
		if (status)
			*status = a.status;
		return a.json();
	}
};

} // namespace

TEST_F(FakeBotApiTest, AcceptsEveryParameterFormAndAnyMethodCase) {
	auto a = raw_http("GET", url("GETME"));
	EXPECT_EQ(a.status, 200);
	EXPECT_EQ(a.json()["result"]["username"], "serversan_test_bot");
	EXPECT_EQ(a.json()["result"]["is_bot"], true);

	a = raw_http("GET", url("sendmessage") + "?chat_id=1001&text=query%20form");
	EXPECT_EQ(a.json()["result"]["text"], "query form") << a.body;
	a = raw_http("POST", url("sendMessage"), "application/x-www-form-urlencoded",
	             "chat_id=1001&text=url+encoded%21");
	EXPECT_EQ(a.json()["result"]["text"], "url encoded!") << a.body;
	a = raw_http("POST", url("sendMessage"), "application/json", R"({"chat_id":1001,"text":"json"})");
	EXPECT_EQ(a.json()["result"]["text"], "json") << a.body;
	std::string multipart =
	    "--XyZ\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n1001\r\n"
	    "--XyZ\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nmulti\r\npart\r\n--XyZ--\r\n";
	a = raw_http("POST", url("sendMessage"), "multipart/form-data; boundary=XyZ", multipart);
	EXPECT_EQ(a.json()["result"]["text"], "multi\r\npart") << a.body;
	EXPECT_EQ(fake.calls("sendMessage").size(), 4u);
}

TEST_F(FakeBotApiTest, UnknownTokenIs401AndUnknownMethodIs404WithTheStatusInTheEnvelope) {
	auto a = raw_http("GET", fake.base_url() + "/bot999:wrong/getMe");
	EXPECT_EQ(a.status, 401);
	EXPECT_EQ(a.json(), (json{{"ok", false}, {"error_code", 401}, {"description", "Unauthorized"}}));
	a = raw_http("GET", url("getMeNot"));
	EXPECT_EQ(a.status, 404);
	EXPECT_EQ(a.json()["error_code"], 404);
	EXPECT_EQ(a.json()["description"], "Not Found");
}

TEST_F(FakeBotApiTest, SendMessageValidatesLikeTelegram) {
	long status = 0;
	EXPECT_EQ(post("sendMessage", {{"text", "x"}}, &status)["description"], "Bad Request: chat_id is empty");
	EXPECT_EQ(status, 400);
	EXPECT_EQ(post("sendMessage", {{"chat_id", 42}, {"text", "x"}})["description"],
	          "Bad Request: chat not found");
	EXPECT_EQ(post("sendMessage", {{"chat_id", 1001}, {"text", ""}})["description"],
	          "Bad Request: message text is empty");
	EXPECT_EQ(post("sendMessage", {{"chat_id", 1001}, {"text", std::string(4097, 'x')}})["description"],
	          "Bad Request: message is too long");
	// 4096 after entity parsing is fine even though the markup is longer.
	EXPECT_EQ(post("sendMessage", {{"chat_id", 1001},
	                               {"parse_mode", "HTML"},
	                               {"text", "<b>" + std::string(4096, 'x') + "</b>"}})["ok"],
	          true);
	for (std::string bad : {"<foo>x</foo>", "a < b", "a & b", "<b>x</i>", "<b>open"}) {
		json r = post("sendMessage", {{"chat_id", 1001}, {"parse_mode", "HTML"}, {"text", bad}});
		EXPECT_EQ(r["error_code"], 400) << bad;
		EXPECT_EQ(r["description"].get<std::string>().rfind("Bad Request: can't parse entities: ", 0), 0u)
		    << r;
	}
	json keyboard = {{"inline_keyboard", {{{{"text", "Go"}, {"callback_data", std::string(65, 'd')}}}}}};
	EXPECT_EQ(
	    post("sendMessage", {{"chat_id", 1001}, {"text", "x"}, {"reply_markup", keyboard}})["description"],
	    "Bad Request: BUTTON_DATA_INVALID");
}

TEST_F(FakeBotApiTest, SendMessageReturnsAProperMessage) {
	json keyboard = {{"inline_keyboard", {{{{"text", "Go"}, {"callback_data", "srv:1"}}}}}};
	json m = post("sendMessage", {{"chat_id", 1001},
	                              {"parse_mode", "HTML"},
	                              {"text", "<b>web1</b> &lt;down&gt; \xF0\x9F\x94\xA5 <i>now</i>"},
	                              {"reply_markup", keyboard.dump()}})["result"];
	EXPECT_EQ(m["text"], "web1 <down> \xF0\x9F\x94\xA5 now");
	EXPECT_EQ(
	    m["entities"],
	    json::parse(R"([{"type":"bold","offset":0,"length":4},{"type":"italic","offset":15,"length":3}])"));
	EXPECT_EQ(m["from"]["id"], fake.bot_id());
	EXPECT_EQ(m["chat"]["id"], 1001);
	EXPECT_EQ(m["reply_markup"], keyboard);
	int64_t now =
	    std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
	        .count();
	EXPECT_NEAR(m["date"].get<int64_t>(), now, 5) << "seconds, not milliseconds";
	EXPECT_EQ(m["message_id"], 1);
	EXPECT_EQ(post("sendMessage", {{"chat_id", 1001}, {"text", "again"}})["result"]["message_id"], 2);
}

TEST_F(FakeBotApiTest, EditsReportNotFoundAndNotModified) {
	json keyboard = {{"inline_keyboard", {{{{"text", "Refresh"}, {"callback_data", "r"}}}}}};
	int64_t id =
	    post("sendMessage",
	         {{"chat_id", 1001}, {"text", "v1"}, {"reply_markup", keyboard}})["result"]["message_id"];
	EXPECT_EQ(post("editMessageText", {{"chat_id", 1001}, {"message_id", 99}, {"text", "v2"}})["description"],
	          "Bad Request: message to edit not found");
	json same = post("editMessageText",
	                 {{"chat_id", 1001}, {"message_id", id}, {"text", "v1"}, {"reply_markup", keyboard}});
	EXPECT_EQ(same["description"].get<std::string>().rfind("Bad Request: message is not modified", 0), 0u)
	    << same;
	json edited = post("editMessageText",
	                   {{"chat_id", 1001}, {"message_id", id}, {"text", "v2"}, {"reply_markup", keyboard}});
	EXPECT_EQ(edited["result"]["text"], "v2");
	EXPECT_TRUE(edited["result"].contains("edit_date"));
	EXPECT_EQ(post("editMessageReplyMarkup",
	               {{"chat_id", 1001}, {"message_id", id}, {"reply_markup", keyboard}})["error_code"],
	          400);
	EXPECT_EQ(post("editMessageReplyMarkup", {{"chat_id", 1001}, {"message_id", id}})["ok"], true);
	EXPECT_FALSE(fake.messages(1001).back().contains("reply_markup"));
	EXPECT_EQ(post("deleteMessage", {{"chat_id", 1001}, {"message_id", id}})["result"], true);
	EXPECT_EQ(post("deleteMessage", {{"chat_id", 1001}, {"message_id", id}})["description"],
	          "Bad Request: message to delete not found");
}

TEST_F(FakeBotApiTest, CallbackQueriesAreAnsweredOnce) {
	std::string id;
	fake.press_button(alice, alice_chat, 7, "srv:1", &id);
	EXPECT_EQ(post("answerCallbackQuery", {{"callback_query_id", id}, {"text", "ok"}})["result"], true);
	json again = post("answerCallbackQuery", {{"callback_query_id", id}});
	EXPECT_EQ(again["description"],
	          "Bad Request: query is too old and response timeout expired or query ID is invalid");
	EXPECT_EQ(post("answerCallbackQuery", {{"callback_query_id", "nope"}})["error_code"], 400);
}

TEST_F(FakeBotApiTest, MyCommandsAreValidatedAndKeptPerScopeAndLanguage) {
	json good = {{{"command", "start"}, {"description", "Begin"}},
	             {{"command", "stat_1"}, {"description", "Status"}}};
	EXPECT_EQ(post("setMyCommands", {{"commands", good}})["result"], true);
	EXPECT_EQ(post("getMyCommands", json::object())["result"], good);
	EXPECT_EQ(post("getMyCommands", {{"language_code", "zh"}})["result"], json::array());
	EXPECT_EQ(
	    post("setMyCommands", {{"commands", {{{"command", "Start"}, {"description", "x"}}}}})["description"],
	    "Bad Request: BOT_COMMAND_INVALID");
	EXPECT_EQ(
	    post("setMyCommands", {{"commands", {{{"command", "start"}, {"description", ""}}}}})["description"],
	    "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID");
	EXPECT_EQ(post("deleteMyCommands", json::object())["result"], true);
	EXPECT_EQ(post("getMyCommands", json::object())["result"], json::array());
}

TEST_F(FakeBotApiTest, SendPhotoChecksThePhotoAndKeepsTheBytes) {
	std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x02\x80\0\0\x01\x40\x08\x06\0\0\0", 33);
	std::string body = "--b\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n1001\r\n"
	                   "--b\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"c.png\"\r\n"
	                   "Content-Type: image/png\r\n\r\n" +
	                   png + "\r\n--b--\r\n";
	auto a = raw_http("POST", url("sendPhoto"), "multipart/form-data; boundary=b", body);
	EXPECT_EQ(a.json()["result"]["photo"][0]["width"], 640) << a.body;
	EXPECT_EQ(a.json()["result"]["photo"][0]["height"], 320);
	ASSERT_EQ(fake.photos().size(), 1u);
	EXPECT_EQ(fake.photos()[0].bytes, png);
	EXPECT_EQ(post("sendPhoto", {{"chat_id", 1001}})["description"],
	          "Bad Request: there is no photo in the request");
	std::string not_png = body;
	not_png.replace(not_png.find("PNG"), 3, "GIF");
	EXPECT_EQ(
	    raw_http("POST", url("sendPhoto"), "multipart/form-data; boundary=b", not_png).json()["description"],
	    "Bad Request: IMAGE_PROCESS_FAILED");
}

TEST_F(FakeBotApiTest, AllowedUpdatesPersistAndFilterNewUpdates) {
	EXPECT_EQ(post("getUpdates", {{"allowed_updates", {"callback_query"}}})["result"], json::array());
	EXPECT_EQ(fake.inject_message(alice, alice_chat, "dropped"), 0);
	EXPECT_GT(fake.press_button(alice, alice_chat, 1, "kept"), 0);
	json got = post("getUpdates", json::object())["result"]; // allowed_updates omitted: kept
	ASSERT_EQ(got.size(), 1u);
	EXPECT_TRUE(got[0].contains("callback_query"));
}

TEST_F(FakeBotApiTest, WebhookDeliversWithTheSecretHeaderAndRetriesUntil2xx) {
	std::mutex mu;
	std::condition_variable cv;
	std::vector<std::string> bodies, secrets;
	int answered = 0;
	HttpServer receiver(0, [&](const HttpRequest& r) {
		std::lock_guard lock(mu);
		++answered;
		HttpAnswer a;
		a.status = answered == 1 ? 500 : 200; // the first delivery fails and must be retried
		if (answered > 1) {
			bodies.push_back(r.body);
			secrets.push_back(r.headers.count("x-telegram-bot-api-secret-token")
			                      ? r.headers.at("x-telegram-bot-api-secret-token")
			                      : "(none)");
		}
		cv.notify_all();
		return a;
	});
	std::string hook = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hook";
	EXPECT_EQ(post("setWebhook", {{"url", hook}, {"secret_token", "bad secret!"}})["error_code"], 400);
	EXPECT_EQ(post("setWebhook", {{"url", hook}, {"secret_token", "s3cr3t-_X"}})["description"],
	          "Webhook was set");
	long status = 0;
	json conflict = post("getUpdates", json::object(), &status);
	EXPECT_EQ(status, 409);
	EXPECT_EQ(conflict["description"].get<std::string>().rfind("Conflict: can't use getUpdates", 0), 0u);
	fake.inject_message(alice, alice_chat, "/start");
	{
		std::unique_lock lock(mu);
		ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return !bodies.empty(); }));
		EXPECT_EQ(json::parse(bodies[0])["message"]["text"], "/start");
		EXPECT_EQ(secrets[0], "s3cr3t-_X");
	}
	json info = post("getWebhookInfo", json::object())["result"];
	EXPECT_EQ(info["url"], hook);
	EXPECT_EQ(info["last_error_message"], "Wrong response from the webhook: 500");
	EXPECT_EQ(post("deleteWebhook", json::object())["description"], "Webhook was deleted");
	EXPECT_EQ(post("getWebhookInfo", json::object())["result"]["url"], "");
}

TEST_F(FakeBotApiTest, SimApiInjectsAndReadsBack) {
	auto a = raw_http(
	    "POST", fake.base_url() + "/sim/command", "application/json",
	    R"({"user":{"id":7,"first_name":"Bob"},"chat":{"id":-100,"type":"supergroup","title":"ops","is_forum":true},"text":"/stat@serversan_test_bot web1","message_thread_id":3})");
	EXPECT_EQ(a.json()["result"]["update_id"], 1) << a.body;
	json u = post("getUpdates", json::object())["result"][0];
	EXPECT_EQ(u["message"]["chat"]["id"], -100);
	EXPECT_EQ(u["message"]["message_thread_id"], 3);
	EXPECT_EQ(u["message"]["entities"][0]["length"], 24);
	post("sendMessage", {{"chat_id", -100}, {"text", "ok"}, {"message_thread_id", 3}});
	a = raw_http("GET", fake.base_url() + "/sim/calls?method=sendMessage");
	ASSERT_EQ(a.json()["result"].size(), 1u);
	EXPECT_EQ(a.json()["result"][0]["params"]["message_thread_id"], 3);
	a = raw_http("POST", fake.base_url() + "/sim/wait", "application/json",
	             R"({"method":"sendMessage","count":1,"timeout_ms":100})");
	EXPECT_EQ(a.json()["result"], true);
	a = raw_http("POST", fake.base_url() + "/sim/reset", "application/json", "");
	EXPECT_TRUE(fake.calls().empty());
}
