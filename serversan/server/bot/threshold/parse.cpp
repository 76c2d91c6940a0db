#include "serversan/server/bot/threshold/parse.h"

#include <charconv>
#include <cmath>
#include <span>

#include "serversan/core/ascii.h"

namespace serversan::bot::threshold {

namespace {

bool ends_with_ci(std::string_view s, std::string_view end) {
	return s.size() >= end.size() && equal_ascii_ci(s.substr(s.size() - end.size()), end);
}

bool is_one_of(std::string_view word, std::initializer_list<std::string_view> words) {
	for (auto w : words)
		if (equal_ascii_ci(word, w))
			return true;
	return false;
}

// A non-negative finite number at the start of text, and what follows it.
struct Number {
	double value;
	std::string_view suffix;
};
std::optional<Number> leading_number(std::string_view text) {
	double v = 0;
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v, std::chars_format::fixed);
	if (ec != std::errc{} || !std::isfinite(v) || v < 0)
		return std::nullopt;
	return Number{v, text.substr(static_cast<size_t>(end - text.data()))};
}

// "", "K", "Mi", "g": the multiplier's power (0..4), or nothing.
std::optional<int> prefix_power(char c) {
	switch (ascii_lower(c)) {
	case 'k':
		return 1;
	case 'm':
		return 2;
	case 'g':
		return 3;
	case 't':
		return 4;
	default:
		return std::nullopt;
	}
}

// Rates: bytes with binary prefixes (B, K, KB, KiB, MB ...), bits with decimal ones (b, bit, kb,
// Mbit, Gbps ...), each with an optional "/s" or "ps".
std::optional<double> parse_rate(std::string_view text) {
	auto n = leading_number(text);
	if (!n)
		return std::nullopt;
	std::string_view u = n->suffix;
	if (ends_with_ci(u, "/s") || ends_with_ci(u, "ps"))
		u.remove_suffix(2);
	int power = 0;
	if (!u.empty()) {
		if (auto p = prefix_power(u.front())) {
			power = *p;
			u.remove_prefix(1);
		} else if (u.front() != 'B' && u.front() != 'b') {
			return std::nullopt;
		}
	}
	if (u.empty() && power == 0)
		return std::nullopt; // "50": bytes or bits, per second or per minute? Ask for a unit.
	bool bits = false;
	if (u.empty() || u == "B" || equal_ascii_ci(u, "iB"))
		bits = false;
	else if (u == "b" || is_one_of(u, {"bit", "bits"}))
		bits = true;
	else
		return std::nullopt;
	if (equal_ascii_ci(u, "iB") && power == 0)
		return std::nullopt;
	if (bits)
		return n->value * std::pow(1000.0, power) / 8;
	return n->value * std::pow(1024.0, power);
}

} // namespace

std::optional<int64_t> parse_duration_s(std::string_view text) {
	auto n = leading_number(text);
	if (!n)
		return std::nullopt;
	double unit = 0;
	if (n->suffix.empty())
		unit = n->value == 0 ? 1 : 0;
	else if (is_one_of(n->suffix, {"s", "sec", "secs", "second", "seconds"}))
		unit = 1;
	else if (is_one_of(n->suffix, {"m", "min", "mins", "minute", "minutes"}))
		unit = 60;
	else if (is_one_of(n->suffix, {"h", "hr", "hrs", "hour", "hours"}))
		unit = 3600;
	else if (is_one_of(n->suffix, {"d", "day"}))
		unit = 86400;
	if (unit == 0)
		return std::nullopt;
	double s = std::round(n->value * unit);
	if (s > kMaxForS)
		return std::nullopt;
	return static_cast<int64_t>(s);
}

std::optional<double> parse_value(const alerts::AlertKind& kind, std::string_view text) {
	switch (kind.unit) {
	case alerts::Unit::percent: {
		auto n = leading_number(text);
		if (!n || !(n->suffix.empty() || n->suffix == "%"))
			return std::nullopt;
		return n->value;
	}
	case alerts::Unit::per_core: {
		auto n = leading_number(text);
		if (!n || !n->suffix.empty())
			return std::nullopt;
		return n->value;
	}
	case alerts::Unit::celsius: {
		auto n = leading_number(text);
		if (!n || !(n->suffix.empty() || is_one_of(n->suffix, {"c", "°", "°c"})))
			return std::nullopt;
		return n->value;
	}
	case alerts::Unit::minutes: {
		auto n = leading_number(text);
		if (n && n->suffix.empty())
			return n->value; // the store's unit
		auto s = parse_duration_s(text);
		if (!s)
			return std::nullopt;
		return static_cast<double>(*s) / 60;
	}
	case alerts::Unit::bytes_per_s:
		return parse_rate(text);
	}
	return std::nullopt;
}

namespace {

const alerts::AlertKind* kind_word(std::string_view token) {
	return alerts::find_kind(token.substr(0, token.find(':')));
}

bool looks_like_setting(std::string_view token) {
	return (!token.empty() && ((token[0] >= '0' && token[0] <= '9') || token[0] == '.')) ||
	       is_one_of(token, {"off", "on", "default", "reset"});
}

std::string join(const std::vector<std::string>& args, size_t from, size_t to) {
	std::string out;
	for (size_t i = from; i < to; ++i)
		out.append(out.empty() ? "" : " ").append(args[i]);
	return out;
}

// VALUE [DURATION] [clear VALUE] [warning|critical], after the kind.
Result<Request, Problem> parse_setting(Request req, std::span<const std::string> words) {
	const alerts::AlertKind& kind = *req.kind;
	auto value = [&](const std::string& w) -> Result<double, Problem> {
		auto v = parse_value(kind, w);
		if (!v)
			return Problem{Problem::bad_value, w, &kind};
		if (*v < kind.min || *v > kind.max)
			return Problem{Problem::out_of_range, w, &kind};
		return *v;
	};
	auto first = value(words[0]);
	if (!first.ok())
		return first.error();
	req.verb = Verb::set;
	req.value = *first;
	bool offline = kind.unit == alerts::Unit::minutes;
	for (size_t i = 1; i < words.size(); ++i) {
		const std::string& w = words[i];
		if (is_one_of(w, {"warning", "warn", "critical", "crit"})) {
			if (req.severity)
				return Problem{Problem::unexpected, w, &kind};
			req.severity = ascii_lower(w[0]) == 'w' ? "warning" : "critical";
		} else if (equal_ascii_ci(w, "clear")) {
			if (offline)
				return Problem{Problem::offline_extra, w, &kind};
			if (req.clear)
				return Problem{Problem::unexpected, w, &kind};
			if (i + 1 == words.size())
				return Problem{Problem::clear_missing, w, &kind};
			const std::string& c = words[++i];
			auto v = parse_value(kind, c);
			if (!v)
				return Problem{Problem::bad_value, c, &kind};
			if (*v > *req.value)
				return Problem{Problem::clear_above, c, &kind, words[0]};
			req.clear = *v;
		} else if (offline) {
			return Problem{Problem::offline_extra, w, &kind};
		} else if (auto d = parse_duration_s(w); d && !req.for_s) {
			req.for_s = *d;
		} else {
			bool numeric = w[0] >= '0' && w[0] <= '9';
			return Problem{numeric && !req.for_s ? Problem::bad_duration : Problem::unexpected, w, &kind};
		}
	}
	return req;
}

} // namespace

Result<Request, Problem> parse_request(const std::vector<std::string>& args) {
	Request req;
	size_t at = 0;
	while (at < args.size() && !kind_word(args[at]))
		++at;
	if (at == args.size()) {
		// No kind: a server's overview, unless what follows a word looks like a setting, in
		// which case that word was meant as a kind.
		for (size_t j = 1; j < args.size(); ++j)
			if (looks_like_setting(args[j]))
				return Problem{Problem::unknown_kind, args[j - 1]};
		req.server_ref = join(args, 0, args.size());
		return req;
	}
	req.server_ref = join(args, 0, at);
	req.kind = kind_word(args[at]);
	if (size_t colon = args[at].find(':'); colon != std::string::npos) {
		req.device = args[at].substr(colon + 1);
		if (!req.kind->per_device)
			return Problem{Problem::no_devices, req.device, req.kind};
		if (req.device.empty() || req.device.size() > kMaxDeviceBytes)
			return Problem{Problem::bad_device, req.device, req.kind};
	}
	std::span<const std::string> rest(args.data() + at + 1, args.size() - at - 1);
	if (!rest.empty() && equal_ascii_ci(rest.back(), "here")) {
		req.here = true;
		rest = rest.first(rest.size() - 1);
		if (rest.empty()) {
			req.verb = Verb::route;
			return req;
		}
	}
	if (rest.empty())
		return req;
	if (is_one_of(rest[0], {"off", "on", "default", "reset"})) {
		if (rest.size() > 1)
			return Problem{Problem::unexpected, rest[1], req.kind};
		char c = ascii_lower(rest[0][1]);
		req.verb = c == 'f' ? Verb::off : c == 'n' ? Verb::on : Verb::reset;
		// Routing a rule that is off or gone would route nothing: only a rule that alerts moves.
		if (req.here && req.verb != Verb::on)
			return Problem{Problem::unexpected, "here", req.kind};
		return req;
	}
	return parse_setting(std::move(req), rest);
}

} // namespace serversan::bot::threshold
