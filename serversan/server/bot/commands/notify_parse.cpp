#include "serversan/server/bot/commands/notify_parse.h"

#include <charconv>

#include "serversan/core/ascii.h"

namespace serversan::bot::commands {

namespace {

// A run of 1..max_digits digits at the front of s, consumed.
std::optional<int> take_number(std::string_view& s, size_t max_digits) {
	size_t n = 0;
	while (n < s.size() && n < max_digits + 1 && s[n] >= '0' && s[n] <= '9')
		++n;
	if (n == 0 || n > max_digits)
		return std::nullopt;
	int v = 0;
	std::from_chars(s.data(), s.data() + n, v);
	s.remove_prefix(n);
	return v;
}

} // namespace

std::optional<bool> parse_on_off(std::string_view s) {
	if (equal_ascii_ci(s, "on"))
		return true;
	if (equal_ascii_ci(s, "off"))
		return false;
	return std::nullopt;
}

std::optional<int> parse_clock(std::string_view s) {
	auto h = take_number(s, 2);
	if (!h || *h > 23)
		return std::nullopt;
	int m = 0;
	if (!s.empty()) {
		if (s.front() != ':' || s.size() != 3)
			return std::nullopt;
		s.remove_prefix(1);
		auto mm = take_number(s, 2);
		if (!mm || *mm > 59)
			return std::nullopt;
		m = *mm;
	}
	return *h * 60 + m;
}

std::optional<std::pair<int, int>> parse_span(std::string_view s) {
	s = trim_ascii_space(s);
	size_t cut = s.find('-');
	size_t sep = 1;
	if (cut == std::string_view::npos) {
		cut = s.find("\xE2\x80\x93"); // en dash, as the view writes it
		sep = 3;
	}
	if (cut == std::string_view::npos)
		return std::nullopt;
	auto from = parse_clock(trim_ascii_space(s.substr(0, cut)));
	auto to = parse_clock(trim_ascii_space(s.substr(cut + sep)));
	if (!from || !to || *from == *to)
		return std::nullopt;
	return std::pair{*from, *to};
}

std::optional<int64_t> parse_interval(std::string_view s) {
	if (s.empty())
		return std::nullopt;
	int64_t total = 0;
	while (!s.empty()) {
		auto n = take_number(s, 4);
		if (!n || s.empty())
			return std::nullopt;
		char unit = ascii_lower(s.front());
		s.remove_prefix(1);
		int64_t scale = unit == 'd' ? 86400 : unit == 'h' ? 3600 : unit == 'm' ? 60 : 0;
		if (scale == 0)
			return std::nullopt;
		total += *n * scale;
	}
	if (total < kMinReminderS || total > kMaxReminderS)
		return std::nullopt;
	return total;
}

std::optional<int> parse_hour(std::string_view s) {
	auto m = parse_clock(s);
	if (!m || *m % 60 != 0)
		return std::nullopt;
	return *m / 60;
}

} // namespace serversan::bot::commands
