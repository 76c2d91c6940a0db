// /threshold: shows and sets the alert rules of the chat (its defaults for every server) or of
// one server, typed (threshold/parse.h) or with buttons (threshold/callback.h) that edit the
// message in place. Every path resolves where it acts first: the chat through may_change_chat,
// a server through server_pick (both on access.h), seeing to view and changing to write, so a
// server of another chat is hidden here exactly as in every other command.
#include <algorithm>
#include <string>

#include "serversan/server/bot/commands/commands.h"
#include "serversan/server/bot/commands/server_pick.h"
#include "serversan/server/bot/html.h"
#include "serversan/server/bot/threshold/callback.h"
#include "serversan/server/bot/threshold/parse.h"
#include "serversan/server/bot/threshold/rules.h"
#include "serversan/server/bot/threshold/view.h"

namespace serversan::bot::commands {

namespace {

using namespace serversan::bot::threshold;

// Where a request acts, once access allowed it.
struct Where {
	Scope scope;
	std::optional<store::ServerRecord> server; // empty: the chat's defaults
	const store::ServerRecord* record() const { return server ? &*server : nullptr; }
	std::string name(const Context& ctx) const {
		if (!server && !scope.tag.empty())
			return "<b>#" + escape_html(scope.tag) + "</b>";
		return server ? "<b>" + escape_html(server->name) + "</b>" : ctx.t("threshold.this_chat");
	}
};

// The chat's defaults: anyone in the chat may look; changing them is may_change_chat's call.
Result<std::optional<Where>> chat_scope(Context& ctx, Action action) {
	if (action != Action::see) {
		auto may = may_change_chat(ctx);
		if (!may.ok())
			return may.error();
		if (!*may)
			return std::optional<Where>{};
	}
	return std::optional<Where>(Where{{ctx.chat_id, std::nullopt}, std::nullopt});
}

Result<std::optional<Where>> server_scope(Context& ctx, Result<std::optional<store::ServerRecord>> picked) {
	if (!picked.ok())
		return picked.error();
	if (!*picked)
		return std::optional<Where>{};
	const store::ServerRecord& s = **picked;
	auto tags = ctx.s.store.server_tags(s.id); // its tags' rules apply to it (and show as such)
	if (!tags.ok())
		return tags.error();
	return std::optional<Where>(
	    Where{{s.owner_chat.value_or(0), s.id, {}, std::move(*tags)}, std::move(*picked)});
}

// "#db": the rules of the chat's servers tagged db (changed like the chat's defaults).
Result<std::optional<Where>> tag_scope(Context& ctx, std::string tag, Action action) {
	std::transform(tag.begin(), tag.end(), tag.begin(),
	               [](char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; });
	if (!store::valid_server_tag(tag)) {
		ctx.reply(ctx.t("tag.bad", {{"tag", escape_html(tag)}}));
		return std::optional<Where>{};
	}
	auto at = chat_scope(ctx, action);
	if (!at.ok() || !*at)
		return at;
	(*at)->scope.tag = tag;
	(*at)->scope.tags = {tag};
	return at;
}

Result<std::optional<Where>> typed_scope(Context& ctx, const std::string& ref, Action action) {
	if (!ref.empty() && ref.front() == '#')
		return tag_scope(ctx, ref.substr(1), action);
	return ref.empty() ? chat_scope(ctx, action) : server_scope(ctx, pick_typed(ctx, ref, action));
}

// "here": a server's rule, typed where its alerts should go. In a private chat the server is one
// of that chat's, changed as usual; in a group it is one of the user's own servers, which only its
// owner may send there (pick_routable), as with /route.
Result<std::optional<Where>> here_scope(Context& ctx, const std::string& ref) {
	if (ref.empty() || ref.front() == '#') {
		ctx.reply(ctx.t("threshold.here_server_only"));
		return std::optional<Where>{};
	}
	return server_scope(ctx,
	                    ctx.private_chat ? pick_typed(ctx, ref, Action::change) : pick_routable(ctx, ref));
}

// Where "here" sends the rule's alerts: this chat; in the owner's chat of a server not routed
// elsewhere that is where they go anyway, so the rule keeps no route of its own.
std::optional<int64_t> here_route(const Context& ctx, const store::ServerRecord& server) {
	if (server.owner_chat == ctx.chat_id && (!server.alert_chat || server.alert_chat == server.owner_chat))
		return std::nullopt;
	return ctx.chat_id;
}

Result<std::optional<Where>> button_scope(Context& ctx, const Callback& cb, Action action) {
	if (cb.server)
		return server_scope(ctx, pick_by_id(ctx, std::to_string(*cb.server), action));
	return cb.tag.empty() ? chat_scope(ctx, action) : tag_scope(ctx, cb.tag, action);
}

std::string wider_name(const Context& ctx, alerts::RuleSource source) {
	switch (source) {
	case alerts::RuleSource::server:
		return ctx.t("threshold.wider_server");
	case alerts::RuleSource::tag:
		return ctx.t("threshold.wider_tag");
	case alerts::RuleSource::chat:
		return ctx.t("threshold.wider_chat");
	case alerts::RuleSource::builtin:
		break;
	}
	return ctx.t("threshold.wider_builtin");
}

// /threshold [SERVER] KIND[:DEVICE] with a verb that writes; replies with what now applies.
// An alert engine in this process reads rules from a cache: it reloads at its next evaluation.
void rules_written(Context& ctx) {
	if (ctx.s.settings.rules_changed)
		ctx.s.settings.rules_changed();
}

Result<void> typed_change(Context& ctx, const Where& at, const Request& req) {
	auto rules = ChatRules::load(ctx.s.store, at.scope.owner_chat);
	if (!rules.ok())
		return rules.error();
	Target target{req.kind, req.device};
	std::string kind = target_label(ctx.lang, target);
	auto reply = [&](std::string_view key, const store::AlertRule& rule, std::string wider = {}) {
		ctx.reply(ctx.t(key, {{"scope", at.name(ctx)},
		                      {"kind", kind},
		                      {"rule", rule_text(ctx.lang, *req.kind, rule) +
		                                   (req.here ? "" : route_mark(ctx.lang, rule, ctx.chat_id))},
		                      {"wider", wider}}));
	};
	if (req.verb == Verb::reset) {
		auto removed = remove_own(ctx.s.store, *rules, at.scope, target);
		if (!removed.ok())
			return removed.error();
		rules_written(ctx);
		alerts::EffectiveRule now = rules->wider(at.scope, target);
		reply(*removed ? "threshold.reset_done" : "threshold.reset_none", now.rule,
		      wider_name(ctx, now.source));
		return Ok();
	}
	if (req.verb == Verb::on && !req.here && !rules->own(at.scope, target) &&
	    rules->effective(at.scope, target).rule.enabled) {
		reply("threshold.already_on", rules->effective(at.scope, target).rule);
		return Ok();
	}
	Change change;
	if (req.verb == Verb::set)
		change = Change{req.value, req.clear, req.for_s, req.severity, true};
	else if (req.verb != Verb::route)
		change.enabled = req.verb == Verb::on;
	if (req.here)
		change.route_chat = here_route(ctx, *at.server); // here_scope: always a server
	auto stored = apply(ctx.s.store, *rules, at.scope, target, change, ctx.now_ms());
	if (!stored.ok())
		return stored.error();
	rules_written(ctx);
	reply(req.here                ? "threshold.here_done"
	      : req.verb == Verb::set ? "threshold.set_done"
	      : req.verb == Verb::on  ? "threshold.on_done"
	                              : "threshold.off_done",
	      *stored);
	return Ok();
}

Result<void> show_overview(Context& ctx, const Where& at) {
	auto rules = ChatRules::load(ctx.s.store, at.scope.owner_chat);
	if (!rules.ok())
		return rules.error();
	Screen s = overview_screen(ctx.lang, *rules, at.scope, at.record(), ctx.chat_id);
	ctx.show(std::move(s.text), std::move(s.keyboard));
	return Ok();
}

Result<void> show_editor(Context& ctx, const Where& at, const alerts::AlertKind& kind) {
	auto rules = ChatRules::load(ctx.s.store, at.scope.owner_chat);
	if (!rules.ok())
		return rules.error();
	Screen s = editor_screen(ctx.lang, *rules, at.scope, kind, at.record(), ctx.chat_id);
	ctx.show(std::move(s.text), std::move(s.keyboard));
	return Ok();
}

// One device's rule, typed without a setting: the editor has no device rows, so one line.
Result<void> show_device(Context& ctx, const Where& at, const Target& target) {
	auto rules = ChatRules::load(ctx.s.store, at.scope.owner_chat);
	if (!rules.ok())
		return rules.error();
	alerts::EffectiveRule now = rules->effective(at.scope, target);
	ctx.reply(ctx.t("threshold.status", {{"mark", source_mark(now.source)},
	                                     {"scope", at.name(ctx)},
	                                     {"kind", target_label(ctx.lang, target)},
	                                     {"rule", rule_text(ctx.lang, *target.kind, now.rule) +
	                                                  route_mark(ctx.lang, now.rule, ctx.chat_id)}}));
	return Ok();
}

Result<void> on_command(Context& ctx) {
	auto req = parse_request(ctx.args);
	if (!req.ok()) {
		ctx.reply(explain(ctx.lang, req.error()));
		return Ok();
	}
	auto at = req->here
	              ? here_scope(ctx, req->server_ref)
	              : typed_scope(ctx, req->server_ref, req->verb == Verb::show ? Action::see : Action::change);
	if (!at.ok())
		return at.error();
	if (!*at)
		return Ok(); // told why
	if (req->verb != Verb::show)
		return typed_change(ctx, **at, *req);
	if (!req->kind)
		return show_overview(ctx, **at);
	if (!req->device.empty())
		return show_device(ctx, **at, Target{req->kind, req->device});
	return show_editor(ctx, **at, *req->kind);
}

// A press in the editor: the change it stands for, or nothing for data no editor sends.
std::optional<Change> button_change(const alerts::AlertKind& kind, const store::AlertRule& now,
                                    std::string_view action) {
	auto index = [&](std::string_view digits) -> std::optional<size_t> {
		if (digits.empty() || digits.size() > 2 ||
		    digits.find_first_not_of("0123456789") != std::string_view::npos)
			return std::nullopt;
		return static_cast<size_t>(std::stoi(std::string(digits)));
	};
	Change c;
	if (action == "sev")
		c.severity = now.severity == "critical" ? "warning" : "critical";
	else if (action == "on" || action == "off")
		c.enabled = action == "on";
	else if (action.starts_with('t')) {
		auto i = index(action.substr(1));
		auto presets = threshold_presets(kind);
		if (!i || *i >= presets.size())
			return std::nullopt;
		c.value = presets[*i];
	} else if (action.starts_with('d') && kind.unit != alerts::Unit::minutes) {
		auto m = index(action.substr(1));
		auto allowed = duration_presets_min();
		if (!m || std::find(allowed.begin(), allowed.end(), static_cast<int>(*m)) == allowed.end())
			return std::nullopt;
		c.for_s = static_cast<int64_t>(*m) * 60;
	} else {
		return std::nullopt;
	}
	return c;
}

Result<void> editor_press(Context& ctx, const Where& at, const alerts::AlertKind& kind,
                          std::string_view action) {
	auto rules = ChatRules::load(ctx.s.store, at.scope.owner_chat);
	if (!rules.ok())
		return rules.error();
	Target target{&kind, {}};
	if (action == "rst") {
		auto removed = remove_own(ctx.s.store, *rules, at.scope, target);
		if (!removed.ok())
			return removed.error();
		rules_written(ctx);
		ctx.answer(ctx.t("threshold.reset_toast"));
	} else {
		auto change = button_change(kind, rules->effective(at.scope, target).rule, action);
		if (!change) {
			ctx.notice(ctx.t("servers.not_found"));
			return Ok();
		}
		auto stored = apply(ctx.s.store, *rules, at.scope, target, *change, ctx.now_ms());
		if (!stored.ok())
			return stored.error();
		rules_written(ctx);
		ctx.answer(ctx.t("threshold.saved"));
	}
	return show_editor(ctx, at, kind);
}

Result<void> on_button(Context& ctx) {
	auto cb = parse_callback(ctx.rest);
	if (!cb) {
		ctx.notice(ctx.t("servers.not_found"));
		return Ok();
	}
	if (cb->what == Callback::pick)
		return ask_server(ctx, kPrefix, "threshold.pick");
	auto at = button_scope(ctx, *cb, cb->what == Callback::press ? Action::change : Action::see);
	if (!at.ok())
		return at.error();
	if (!*at)
		return Ok();
	switch (cb->what) {
	case Callback::overview:
		return show_overview(ctx, **at);
	case Callback::editor:
		return show_editor(ctx, **at, *cb->kind);
	case Callback::press:
		return editor_press(ctx, **at, *cb->kind, cb->action);
	case Callback::pick:
		break;
	}
	return Ok();
}

} // namespace

void add_threshold(Router& r) {
	r.on_command("threshold", on_command);
	r.on_button(std::string(kPrefix), on_button);
}

} // namespace serversan::bot::commands
