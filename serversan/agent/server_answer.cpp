#include "serversan/agent/server_answer.h"

#include <cctype>

#include "serversan/agent/collectors/text.h"

namespace serversan::agent {

namespace {

// Recursive-descent over one JSON text, keeping only top-level members we know.
class Scanner {
public:
	explicit Scanner(std::string_view s) : s_(s) {}

	std::optional<ServerAnswer> answer() {
		ServerAnswer a;
		ws();
		if (!object([&](const std::string& key) { return member(key, a, false); }))
			return std::nullopt;
		ws();
		if (i_ != s_.size())
			return std::nullopt;
		return a;
	}

private:
	static constexpr int kMaxDepth = 16;

	// An object; on_member(key) is called with the position at the member's value and must
	// consume it.
	template <typename F>
	bool object(F&& on_member) {
		if (!eat('{'))
			return false;
		ws();
		if (eat('}'))
			return true;
		for (;;) {
			std::string key;
			ws();
			if (!string(&key))
				return false;
			ws();
			if (!eat(':'))
				return false;
			ws();
			if (!on_member(key))
				return false;
			ws();
			if (eat(','))
				continue;
			return eat('}');
		}
	}

	bool member(const std::string& key, ServerAnswer& a, bool in_instructions) {
		if (!in_instructions) {
			if (key == "error" && peek() == '"')
				return string(&a.error);
			if (key == "reason" && peek() == '"')
				return string(&a.reason);
			if (key == "instructions" && peek() == '{')
				return object([&](const std::string& k) { return member(k, a, true); });
		}
		if (in_instructions && key == "collect" && peek() == '[')
			return string_array(a.collect);
		size_t start = i_;
		if (!value(1))
			return false;
		std::string_view raw = s_.substr(start, i_ - start);
		if (in_instructions) {
			if (key == "interval_s")
				a.interval_s = to_double(raw);
		} else if (key == "accepted") {
			a.accepted = to_u64(raw);
		} else if (key == "duplicates") {
			a.duplicates = to_u64(raw);
		} else if (key == "stale") {
			a.stale = to_u64(raw);
		} else if (key == "server_time_ms") {
			a.server_time_ms = to_i64(raw);
		} else if (key == "interval_s" && !a.interval_s) {
			a.interval_s = to_double(raw);
		}
		return true;
	}

	// An array; its string elements go to out (bounded), anything else is skipped.
	bool string_array(std::vector<std::string>& out) {
		out.clear();
		if (!eat('['))
			return false;
		ws();
		if (eat(']'))
			return true;
		for (;;) {
			ws();
			if (peek() == '"') {
				std::string element;
				if (!string(&element))
					return false;
				if (out.size() < 8)
					out.push_back(element.substr(0, 64));
			} else if (!value(3)) {
				return false;
			}
			ws();
			if (eat(','))
				continue;
			return eat(']');
		}
	}

	bool value(int depth) {
		if (depth > kMaxDepth)
			return false;
		char c = peek();
		if (c == '"')
			return string(nullptr);
		if (c == '{' || c == '[') {
			char close = c == '{' ? '}' : ']';
			++i_;
			ws();
			if (eat(close))
				return true;
			for (;;) {
				ws();
				if (c == '{') {
					if (!string(nullptr))
						return false;
					ws();
					if (!eat(':'))
						return false;
					ws();
				}
				if (!value(depth + 1))
					return false;
				ws();
				if (eat(','))
					continue;
				return eat(close);
			}
		}
		for (std::string_view lit : {"true", "false", "null"}) {
			if (s_.substr(i_).starts_with(lit)) {
				i_ += lit.size();
				return true;
			}
		}
		return number();
	}

	bool number() {
		size_t start = i_;
		eat('-');
		if (!digits())
			return false;
		if (eat('.') && !digits())
			return false;
		if (peek() == 'e' || peek() == 'E') {
			++i_;
			if (!eat('+'))
				eat('-');
			if (!digits())
				return false;
		}
		return i_ > start;
	}

	bool digits() {
		size_t start = i_;
		while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9')
			++i_;
		return i_ > start;
	}

	// A string literal; its value (escapes decoded, \u kept as '?') goes to out if given.
	bool string(std::string* out) {
		if (!eat('"'))
			return false;
		while (i_ < s_.size()) {
			char c = s_[i_++];
			if (c == '"')
				return true;
			if (static_cast<unsigned char>(c) < 0x20)
				return false;
			if (c == '\\') {
				if (i_ >= s_.size())
					return false;
				char e = s_[i_++];
				if (e == 'u') {
					for (int k = 0; k < 4; ++k, ++i_)
						if (i_ >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[i_])))
							return false;
					c = '?';
				} else {
					static constexpr std::string_view from = "\"\\/bfnrt", to = "\"\\/\b\f\n\r\t";
					size_t k = from.find(e);
					if (k == std::string_view::npos)
						return false;
					c = to[k];
				}
			}
			if (out && out->size() < 512)
				out->push_back(c);
		}
		return false;
	}

	void ws() {
		while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
			++i_;
	}
	char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
	bool eat(char c) {
		if (peek() != c || i_ >= s_.size())
			return false;
		++i_;
		return true;
	}

	std::string_view s_;
	size_t i_ = 0;
};

} // namespace

std::optional<ServerAnswer> parse_server_answer(std::string_view body) {
	return Scanner(body).answer();
}

std::optional<int64_t> parse_http_date_ms(std::string_view text) {
	// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" (fixed widths).
	text = trim(text);
	if (text.size() != 29 || text[3] != ',' || text[4] != ' ' || text[7] != ' ' || text[11] != ' ' ||
	    text[16] != ' ' || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT")
		return std::nullopt;
	static constexpr std::string_view months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int month = -1;
	for (int m = 0; m < 12; ++m)
		if (text.substr(8, 3) == months[m])
			month = m + 1;
	auto day = to_u64(text.substr(5, 2));
	auto year = to_u64(text.substr(12, 4));
	auto hh = to_u64(text.substr(17, 2));
	auto mm = to_u64(text.substr(20, 2));
	auto ss = to_u64(text.substr(23, 2));
	if (month < 0 || !day || !year || !hh || !mm || !ss || *day < 1 || *day > 31 || *year < 1970 ||
	    *hh > 23 || *mm > 59 || *ss > 60)
		return std::nullopt;
	// Days from civil (Howard Hinnant's algorithm), so no timegm/locale is involved.
	int64_t y = static_cast<int64_t>(*year) - (month <= 2);
	int64_t era = y / 400;
	int64_t yoe = y - era * 400;
	int64_t mp = (month + 9) % 12;
	int64_t doy = (153 * mp + 2) / 5 + static_cast<int64_t>(*day) - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = era * 146097 + doe - 719468;
	int64_t secs = days * 86400 + static_cast<int64_t>(*hh * 3600 + *mm * 60 + *ss);
	return secs * 1000;
}

} // namespace serversan::agent
