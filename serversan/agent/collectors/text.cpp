#include "serversan/agent/collectors/text.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

namespace serversan::agent {

Result<std::string> read_text_file(const std::string& path, size_t max_bytes) {
	int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return Err(fmt::format("{}: {}", path, std::strerror(errno)));
	std::string out;
	char buf[4096];
	while (out.size() < max_bytes) {
		ssize_t n = ::read(fd, buf, std::min(sizeof buf, max_bytes - out.size()));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			::close(fd);
			return Err(fmt::format("{}: {}", path, std::strerror(e)));
		}
		if (n == 0)
			break;
		out.append(buf, static_cast<size_t>(n));
	}
	::close(fd);
	return out;
}

std::string join_path(std::string_view base, std::string_view name) {
	std::string out(base);
	while (!out.empty() && out.back() == '/')
		out.pop_back();
	while (!name.empty() && name.front() == '/')
		name.remove_prefix(1);
	out.push_back('/');
	out.append(name);
	return out;
}

std::string_view trim(std::string_view s) {
	auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
	while (!s.empty() && space(s.front()))
		s.remove_prefix(1);
	while (!s.empty() && space(s.back()))
		s.remove_suffix(1);
	return s;
}

std::vector<std::string_view> split_ws(std::string_view line) {
	std::vector<std::string_view> out;
	size_t i = 0;
	while (i < line.size()) {
		while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
			++i;
		size_t start = i;
		while (i < line.size() && line[i] != ' ' && line[i] != '\t')
			++i;
		if (i > start)
			out.push_back(line.substr(start, i - start));
	}
	return out;
}

std::string_view next_field(std::string_view& rest) {
	size_t i = 0;
	while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t'))
		++i;
	size_t start = i;
	while (i < rest.size() && rest[i] != ' ' && rest[i] != '\t')
		++i;
	std::string_view field = rest.substr(start, i - start);
	rest.remove_prefix(i);
	return field;
}

std::string_view next_line(std::string_view& rest) {
	size_t nl = rest.find('\n');
	std::string_view line = rest.substr(0, nl);
	rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
	return line;
}

namespace {
template <typename T>
std::optional<T> whole(std::string_view text) {
	T value{};
	if (text.empty())
		return std::nullopt;
	auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
	if (ec != std::errc{} || end != text.data() + text.size())
		return std::nullopt;
	return value;
}
} // namespace

std::optional<uint64_t> to_u64(std::string_view text) {
	return whole<uint64_t>(text);
}
std::optional<int64_t> to_i64(std::string_view text) {
	return whole<int64_t>(text);
}
std::optional<double> to_double(std::string_view text) {
	auto v = whole<double>(text);
	if (v && !std::isfinite(*v))
		return std::nullopt;
	return v;
}

} // namespace serversan::agent
