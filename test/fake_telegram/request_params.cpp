#include "test/fake_telegram/request_params.h"

#include <cctype>
#include <charconv>

namespace serversan::fake_telegram {

using nlohmann::json;

namespace {

void parse_form(std::string_view s, Params& p) {
	while (!s.empty()) {
		size_t amp = s.find('&');
		std::string_view pair = s.substr(0, amp);
		s = amp == std::string_view::npos ? std::string_view{} : s.substr(amp + 1);
		if (pair.empty())
			continue;
		size_t eq = pair.find('=');
		std::string name = percent_decode(pair.substr(0, eq));
		p.values[name] = eq == std::string_view::npos ? "" : percent_decode(pair.substr(eq + 1));
	}
}

std::string lower(std::string_view s) {
	std::string out(s);
	for (char& c : out)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	return out;
}

// The value of `key="value"` or `key=value` in a header such as Content-Disposition.
std::optional<std::string> header_param(std::string_view header, std::string_view key) {
	std::string h = lower(header);
	std::string k = lower(key) + "=";
	size_t at = 0;
	while ((at = h.find(k, at)) != std::string::npos) {
		if (at == 0 || h[at - 1] == ' ' || h[at - 1] == ';') {
			std::string_view v = header.substr(at + k.size());
			if (!v.empty() && v[0] == '"') {
				size_t end = v.find('"', 1);
				return std::string(v.substr(1, end == std::string_view::npos ? v.size() - 1 : end - 1));
			}
			return std::string(v.substr(0, v.find(';')));
		}
		at += k.size();
	}
	return std::nullopt;
}

bool parse_multipart(std::string_view body, std::string_view content_type, Params& p, std::string* error) {
	auto boundary = header_param(content_type, "boundary");
	if (!boundary || boundary->empty()) {
		*error = "multipart without boundary";
		return false;
	}
	std::string delim = "--" + *boundary;
	size_t at = body.find(delim);
	if (at == std::string_view::npos) {
		*error = "multipart boundary not found";
		return false;
	}
	at += delim.size();
	for (;;) {
		if (body.substr(at, 2) == "--")
			return true; // closing delimiter
		if (body.substr(at, 2) != "\r\n")
			break;
		at += 2;
		size_t head_end = body.find("\r\n\r\n", at);
		size_t next = body.find("\r\n" + delim, at);
		if (head_end == std::string_view::npos || next == std::string_view::npos || head_end > next)
			break;
		std::string_view head = body.substr(at, head_end - at);
		std::string_view data = body.substr(head_end + 4, next - head_end - 4);
		std::optional<std::string> name, filename;
		std::string type;
		while (!head.empty()) {
			size_t eol = head.find("\r\n");
			std::string_view line = head.substr(0, eol);
			head = eol == std::string_view::npos ? std::string_view{} : head.substr(eol + 2);
			size_t colon = line.find(':');
			if (colon == std::string_view::npos)
				continue;
			std::string key = lower(line.substr(0, colon));
			std::string_view value = line.substr(colon + 1);
			while (!value.empty() && value[0] == ' ')
				value.remove_prefix(1);
			if (key == "content-disposition") {
				name = header_param(value, "name");
				filename = header_param(value, "filename");
			} else if (key == "content-type") {
				type = value;
			}
		}
		if (!name) {
			*error = "multipart part without a name";
			return false;
		}
		if (filename)
			p.files[*name] = UploadedFile{*filename, type, std::string(data)};
		else
			p.values[*name] = std::string(data);
		at = next + 2 + delim.size();
	}
	*error = "malformed multipart body";
	return false;
}

} // namespace

std::string percent_decode(std::string_view s) {
	std::string out;
	out.reserve(s.size());
	for (size_t i = 0; i < s.size(); ++i) {
		if (s[i] == '+') {
			out += ' ';
		} else if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
		           std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
			unsigned v = 0;
			std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
			out += static_cast<char>(v);
			i += 2;
		} else {
			out += s[i];
		}
	}
	return out;
}

std::optional<Params> parse_params(std::string_view query, std::string_view content_type,
                                   std::string_view body, std::string* error) {
	Params p;
	parse_form(query, p);
	std::string type = lower(content_type.substr(0, content_type.find(';')));
	while (!type.empty() && type.back() == ' ')
		type.pop_back();
	if (body.empty())
		return p;
	if (type == "application/json") {
		json j = json::parse(body, nullptr, false);
		if (j.is_discarded() || !j.is_object()) {
			*error = "can't parse JSON object";
			return std::nullopt;
		}
		for (auto& [k, v] : j.items())
			p.values[k] = v;
	} else if (type == "application/x-www-form-urlencoded") {
		parse_form(body, p);
	} else if (type == "multipart/form-data") {
		if (!parse_multipart(body, content_type, p, error))
			return std::nullopt;
	}
	return p;
}

std::optional<std::string> Params::text(const std::string& name) const {
	auto it = values.find(name);
	if (it == values.end() || it->is_null())
		return std::nullopt;
	if (it->is_string())
		return it->get<std::string>();
	return it->dump();
}

std::optional<int64_t> Params::integer(const std::string& name, bool* bad) const {
	auto it = values.find(name);
	if (it == values.end() || it->is_null())
		return std::nullopt;
	if (it->is_number_integer())
		return it->get<int64_t>();
	if (it->is_string()) {
		const std::string& s = it->get_ref<const std::string&>();
		int64_t v = 0;
		auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
		if (ec == std::errc{} && end == s.data() + s.size() && !s.empty())
			return v;
	}
	*bad = true;
	return std::nullopt;
}

std::optional<json> Params::object(const std::string& name, bool* bad) const {
	auto it = values.find(name);
	if (it == values.end() || it->is_null())
		return std::nullopt;
	if (!it->is_string())
		return *it;
	json j = json::parse(it->get_ref<const std::string&>(), nullptr, false);
	if (j.is_discarded()) {
		*bad = true;
		return std::nullopt;
	}
	return j;
}

bool Params::flag(const std::string& name) const {
	auto it = values.find(name);
	if (it == values.end())
		return false;
	if (it->is_boolean())
		return it->get<bool>();
	if (it->is_string())
		return *it == "true" || *it == "1" || *it == "True";
	return it->is_number() && it->get<double>() != 0;
}

json Params::to_json() const {
	json j = values;
	for (const auto& [name, f] : files)
		j[name] = {{"file", f.filename}, {"size", f.bytes.size()}};
	return j;
}

} // namespace serversan::fake_telegram
