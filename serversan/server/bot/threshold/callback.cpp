#include "serversan/server/bot/threshold/callback.h"

#include <charconv>

#include "serversan/server/store/store.h"

namespace serversan::bot::threshold {

namespace {

std::string scope_part(const ButtonScope& scope) {
	return scope.server        ? std::to_string(*scope.server)
	       : scope.tag.empty() ? "c"
	                           : std::string("#").append(scope.tag);
}

// The next ':'-separated field of s, removed from it.
std::string_view next_field(std::string_view& s) {
	size_t colon = s.find(':');
	std::string_view f = s.substr(0, colon);
	s = colon == std::string_view::npos ? std::string_view{} : s.substr(colon + 1);
	return f;
}

} // namespace

std::string overview_data(const ButtonScope& scope) {
	return std::string(kPrefix) + ":" + scope_part(scope);
}

std::string pick_data() {
	return std::string(kPrefix) + ":p";
}

std::string editor_data(const ButtonScope& scope, const alerts::AlertKind& kind) {
	return overview_data(scope) + ":" + std::string(kind.name);
}

std::string action_data(const ButtonScope& scope, const alerts::AlertKind& kind, std::string_view action) {
	return editor_data(scope, kind) + ":" + std::string(action);
}

std::optional<Callback> parse_callback(std::string_view payload) {
	Callback cb;
	bool more = payload.find(':') != std::string_view::npos;
	std::string_view scope = next_field(payload);
	if (scope == "p" && !more)
		return Callback{Callback::pick, {}, nullptr, {}};
	if (scope.starts_with('#')) {
		if (!store::valid_server_tag(scope.substr(1)))
			return std::nullopt;
		cb.tag = std::string(scope.substr(1));
	} else if (scope != "c") {
		uint64_t id = 0;
		auto [end, ec] = std::from_chars(scope.data(), scope.data() + scope.size(), id);
		if (ec != std::errc{} || end != scope.data() + scope.size() || scope.empty() || id == 0)
			return std::nullopt;
		cb.server = id;
	}
	if (!more)
		return cb;
	more = payload.find(':') != std::string_view::npos;
	std::string_view kind = next_field(payload);
	cb.kind = alerts::find_kind(kind);
	if (!cb.kind || kind != cb.kind->name)
		return std::nullopt;
	cb.what = Callback::editor;
	if (!more)
		return cb;
	if (payload.empty() || payload.find(':') != std::string_view::npos)
		return std::nullopt;
	cb.what = Callback::press;
	cb.action = std::string(payload);
	return cb;
}

} // namespace serversan::bot::threshold
