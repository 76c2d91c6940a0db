// PLACEHOLDER: replaced by the dispatcher slice (issue 19). make_dispatcher answers every message
// with the help text so the runtime can run end to end; the lead deletes this file at merge.
#include "serversan/server/bot/dispatcher.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/bot/menu.h"

namespace serversan::bot {

namespace {

class HelpOnly final : public UpdateHandler {
public:
	explicit HelpOnly(Outgoing& out) : out_(out) {}
	void handle(const telegram::Update& u) override {
		if (!u.message || u.kind != telegram::Update::Kind::message)
			return;
		Lang lang = language_for(u.message->from ? u.message->from->language_code : "");
		std::string text;
		for (const auto& c : command_menu(lang))
			text += "/" + c.command + " - " + escape_html(c.description) + "\n";
		Reply r;
		r.chat_id = u.message->chat.id;
		r.thread_id = u.message->message_thread_id;
		r.text = text;
		out_.send(std::move(r));
	}

private:
	Outgoing& out_;
};

} // namespace

std::unique_ptr<UpdateHandler> make_dispatcher(store::Store&, Outgoing& outgoing, const Clock&, ChatAdmins&,
                                               BotSettings) {
	return std::make_unique<HelpOnly>(outgoing);
}

} // namespace serversan::bot
