#include "serversan/server/bot/digest_notice.h"

#include "serversan/server/alerts/digest_message.h"
#include "serversan/server/bot/chat_locale.h"
#include "serversan/server/bot/views/digest_view.h"

namespace serversan::bot {

Result<Reply> render_digest(store::Store& store, const store::OutboxMessage& row, int64_t now_ms) {
	auto d = alerts::decode_digest(row.payload);
	if (!d.ok())
		return d.error();
	ChatLocale locale = chat_locale(store, row.chat_id);
	Reply r;
	r.chat_id = row.chat_id;
	r.text = views::digest_text({locale.lang, locale.zone, now_ms}, *d);
	r.silent = d->silent;
	return r;
}

} // namespace serversan::bot
