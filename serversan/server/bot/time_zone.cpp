#include "serversan/server/bot/time_zone.h"

#include <filesystem>
#include <fstream>
#include <system_error>

#include "serversan/core/ascii.h"

namespace serversan::bot {

namespace {

namespace fs = std::filesystem;

// What IANA names are made of; anything else never reaches the file system.
bool plausible(std::string_view name) {
	if (name.empty() || name.size() > 64 || name.front() == '/' || name.back() == '/')
		return false;
	char prev = '/';
	for (char c : name) {
		bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
		          c == '-' || c == '+' || c == '/';
		if (!ok || (c == '/' && prev == '/') || ((prev == '/') && (c == '-' || c == '+')))
			return false;
		prev = c;
	}
	return true;
}

// The entry of dir named like part (any case), exact spelling first.
std::optional<std::string> entry(const fs::path& dir, std::string_view part) {
	std::error_code ec;
	if (fs::exists(dir / part, ec))
		return std::string(part);
	for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
		std::string n = it->path().filename().string();
		if (equal_ascii_ci(n, part))
			return n;
	}
	return std::nullopt;
}

bool is_tzif(const fs::path& file) {
	std::error_code ec;
	if (!fs::is_regular_file(file, ec))
		return false;
	std::ifstream in(file, std::ios::binary);
	char magic[4] = {};
	return in.read(magic, 4) && std::string_view(magic, 4) == "TZif";
}

} // namespace

std::optional<std::string> find_time_zone(std::string_view name, std::string_view zoneinfo_dir) {
	if (!plausible(name))
		return std::nullopt;
	fs::path at(zoneinfo_dir);
	std::string canonical;
	size_t start = 0;
	while (start <= name.size()) {
		size_t slash = name.find('/', start);
		std::string_view part =
		    name.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
		auto found = entry(at, part);
		if (!found)
			return std::nullopt;
		at /= *found;
		canonical += canonical.empty() ? *found : "/" + *found;
		if (slash == std::string_view::npos)
			break;
		start = slash + 1;
	}
	return is_tzif(at) ? std::optional<std::string>(canonical) : std::nullopt;
}

} // namespace serversan::bot
