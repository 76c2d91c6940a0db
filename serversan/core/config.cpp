#include "serversan/core/config.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fcntl.h>
#include <set>
#include <stdexcept>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <unordered_map>

#include <fmt/format.h>

// toml++ stays inside this translation unit: header-only (Debian ships only a shared library and
// the agent links fully static), without exceptions (parse errors become values, which is what
// load_config returns anyway) and without its serialisers, which we never use.
// GCC has floating-point <charconv> since 11; toml++ assumes it does not and falls back to
// iostreams, which would link them (and the locale machinery) into the static agent.
#define TOML_FLOAT_CHARCONV 1
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/toml.h>

extern char** environ;

namespace serversan {

namespace {

constexpr std::string_view kSecretHidden = " (value not shown: secret)";

std::string_view trim(std::string_view s) {
	while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
		s.remove_prefix(1);
	while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
		s.remove_suffix(1);
	return s;
}

std::string lower(std::string_view s) {
	std::string out(s);
	for (char& c : out)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	return out;
}

// A TOML basic string, so that a name or value with quotes or control characters cannot garble
// a message or a dump line.
std::string quote(std::string_view s) {
	std::string out = "\"";
	for (char c : s) {
		switch (c) {
		case '"':
			out += "\\\"";
			break;
		case '\\':
			out += "\\\\";
			break;
		case '\n':
			out += "\\n";
			break;
		case '\t':
			out += "\\t";
			break;
		case '\r':
			out += "\\r";
			break;
		default:
			if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
				out += fmt::format("\\u{:04X}", static_cast<unsigned>(static_cast<unsigned char>(c)));
			else
				out += c;
		}
	}
	out += '"';
	return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
	std::vector<std::size_t> row(b.size() + 1);
	for (std::size_t j = 0; j <= b.size(); ++j)
		row[j] = j;
	for (std::size_t i = 1; i <= a.size(); ++i) {
		std::size_t diag = row[0];
		row[0] = i;
		for (std::size_t j = 1; j <= b.size(); ++j) {
			std::size_t up = row[j];
			row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
			diag = up;
		}
	}
	return row[b.size()];
}

std::string_view leaf(std::string_view dotted) {
	auto dot = dotted.rfind('.');
	return dot == std::string_view::npos ? dotted : dotted.substr(dot + 1);
}

// The closest candidate, if close enough to be a plausible typo; a key placed in the wrong table
// (same last segment) also counts.
std::string suggest(std::string_view name, const std::vector<std::string>& candidates) {
	std::string best;
	std::size_t best_distance = std::max<std::size_t>(2, name.size() / 4) + 1;
	for (const auto& c : candidates) {
		std::size_t d = edit_distance(name, c);
		if (d < best_distance) {
			best_distance = d;
			best = c;
		}
	}
	if (!best.empty())
		return best;
	std::string same_leaf;
	for (const auto& c : candidates) {
		if (leaf(c) == leaf(name)) {
			if (!same_leaf.empty())
				return {}; // ambiguous
			same_leaf = c;
		}
	}
	return same_leaf;
}

std::string_view toml_type_name(const toml::node& node) {
	switch (node.type()) {
	case toml::node_type::table:
		return node.as_table()->is_inline() ? "inline table" : "table";
	case toml::node_type::array:
		return "array";
	case toml::node_type::string:
		return "string";
	case toml::node_type::integer:
		return "integer";
	case toml::node_type::floating_point:
		return "float";
	case toml::node_type::boolean:
		return "boolean";
	case toml::node_type::date:
		return "date";
	case toml::node_type::time:
		return "time";
	case toml::node_type::date_time:
		return "date-time";
	case toml::node_type::none:
		break;
	}
	return "nothing";
}

std::string_view expected_kind(ConfigType type) {
	switch (type) {
	case ConfigType::boolean:
		return "a boolean";
	case ConfigType::integer:
		return "an integer";
	case ConfigType::number:
		return "a number";
	case ConfigType::string:
		return "a string";
	case ConfigType::duration:
		return "a duration (seconds, or a string like \"90s\")";
	case ConfigType::bytes:
		return "a byte size (an integer, or a string like \"64MiB\")";
	}
	return "?";
}

// The value as it would be written in TOML.
std::string format_value(ConfigType type, const ConfigValue& v) {
	switch (type) {
	case ConfigType::boolean:
		return std::get<bool>(v) ? "true" : "false";
	case ConfigType::integer:
		return fmt::format("{}", std::get<std::int64_t>(v));
	case ConfigType::number:
		return fmt::format("{}", std::get<double>(v));
	case ConfigType::string:
		return quote(std::get<std::string>(v));
	case ConfigType::duration:
		return quote(format_duration(std::get<double>(v)));
	case ConfigType::bytes: {
		auto b = std::get<std::uint64_t>(v);
		std::string s = format_bytes(b);
		return s == fmt::format("{}", b) ? s : quote(s);
	}
	}
	return "?";
}

// For messages: like format_value, without the quotes around durations and sizes.
std::string show_value(ConfigType type, const ConfigValue& v) {
	if (type == ConfigType::duration)
		return format_duration(std::get<double>(v));
	if (type == ConfigType::bytes)
		return format_bytes(std::get<std::uint64_t>(v));
	return format_value(type, v);
}

bool less_than(const ConfigValue& a, const ConfigValue& b) {
	return std::visit(
	    [&](const auto& x) -> bool {
		    using T = std::decay_t<decltype(x)>;
		    if constexpr (std::is_same_v<T, std::monostate> || std::is_same_v<T, bool> ||
		                  std::is_same_v<T, std::string>)
			    return false;
		    else
			    return x < std::get<T>(b);
	    },
	    a);
}

// Range and choice checks; the problem text starts with the quoted key.
Result<void> check_value(const ConfigKey& key, const ConfigValue& v) {
	const bool has_min = !std::holds_alternative<std::monostate>(key.min);
	const bool has_max = !std::holds_alternative<std::monostate>(key.max);
	if ((has_min && less_than(v, key.min)) || (has_max && less_than(key.max, v))) {
		std::string bound;
		if (has_min && has_max)
			bound = fmt::format("between {} and {}", show_value(key.type, key.min),
			                    show_value(key.type, key.max));
		else if (has_min)
			bound = fmt::format("at least {}", show_value(key.type, key.min));
		else
			bound = fmt::format("at most {}", show_value(key.type, key.max));
		return Err(fmt::format("{} must be {}{}", quote(key.name), bound,
		                       key.secret ? std::string(kSecretHidden) : ", got " + show_value(key.type, v)));
	}
	if (!key.choices.empty()) {
		const auto& s = std::get<std::string>(v);
		if (std::find(key.choices.begin(), key.choices.end(), s) == key.choices.end()) {
			std::string list;
			for (const auto& c : key.choices)
				list += (list.empty() ? "" : ", ") + quote(c);
			return Err(fmt::format("{} must be one of {}{}", quote(key.name), list,
			                       key.secret ? std::string(kSecretHidden) : "; got " + quote(s)));
		}
	}
	return Ok();
}

// A string from the environment or a flag, parsed per the key's type.
Result<ConfigValue> parse_text(const ConfigKey& key, std::string_view raw) {
	if (key.type == ConfigType::string)
		return ConfigValue{std::string(raw)};
	std::string_view text = trim(raw);
	auto fail = [&](const std::string& problem) -> Error {
		if (key.secret)
			return Err(
			    fmt::format("{} must be {}{}", quote(key.name), expected_kind(key.type), kSecretHidden));
		return Err(quote(key.name) + problem);
	};
	switch (key.type) {
	case ConfigType::boolean: {
		std::string l = lower(text);
		if (l == "true" || l == "1" || l == "yes" || l == "on")
			return ConfigValue{true};
		if (l == "false" || l == "0" || l == "no" || l == "off")
			return ConfigValue{false};
		return fail(fmt::format(" must be true or false, got {}", quote(raw)));
	}
	case ConfigType::integer: {
		std::int64_t v = 0;
		auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
		if (ec == std::errc::result_out_of_range)
			return fail(fmt::format(" must be a 64-bit integer, got {} (out of range)", quote(raw)));
		if (ec != std::errc() || end != text.data() + text.size() || text.empty())
			return fail(fmt::format(" must be an integer, got {}", quote(raw)));
		return ConfigValue{v};
	}
	case ConfigType::number: {
		double v = 0;
		auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
		if (ec != std::errc() || end != text.data() + text.size() || text.empty() || !std::isfinite(v))
			return fail(fmt::format(" must be a number, got {}", quote(raw)));
		return ConfigValue{v};
	}
	case ConfigType::duration: {
		auto d = parse_duration(text);
		if (!d)
			return fail(": " + d.error().message);
		return ConfigValue{*d};
	}
	case ConfigType::bytes: {
		auto b = parse_bytes(text);
		if (!b)
			return fail(": " + b.error().message);
		return ConfigValue{*b};
	}
	case ConfigType::string:
		break;
	}
	return ConfigValue{std::string(raw)};
}

Result<ConfigValue> from_toml(const ConfigKey& key, const toml::node& node) {
	auto wrong_type = [&]() -> Error {
		return Err(fmt::format("{} must be {}, got {}", quote(key.name), expected_kind(key.type),
		                       toml_type_name(node)));
	};
	auto negative = [&](const std::string& shown) -> Error {
		return Err(fmt::format("{} must not be negative{}", quote(key.name),
		                       key.secret ? std::string(kSecretHidden) : ", got " + shown));
	};
	switch (key.type) {
	case ConfigType::boolean:
		if (auto* b = node.as_boolean())
			return ConfigValue{b->get()};
		return wrong_type();
	case ConfigType::integer:
		if (auto* i = node.as_integer())
			return ConfigValue{i->get()};
		return wrong_type();
	case ConfigType::string:
		if (auto* s = node.as_string())
			return ConfigValue{s->get()};
		return wrong_type();
	case ConfigType::number:
	case ConfigType::duration: {
		double v = 0;
		if (auto* i = node.as_integer())
			v = static_cast<double>(i->get());
		else if (auto* f = node.as_floating_point())
			v = f->get();
		else if (auto* s = node.as_string(); s && key.type == ConfigType::duration)
			return parse_text(key, s->get());
		else
			return wrong_type();
		if (!std::isfinite(v))
			return Err(fmt::format("{} must be a finite number", quote(key.name)));
		if (key.type == ConfigType::duration && v < 0)
			return negative(fmt::format("{}", v));
		return ConfigValue{v};
	}
	case ConfigType::bytes:
		if (auto* i = node.as_integer()) {
			if (i->get() < 0)
				return negative(fmt::format("{}", i->get()));
			return ConfigValue{static_cast<std::uint64_t>(i->get())};
		}
		if (auto* s = node.as_string())
			return parse_text(key, s->get());
		return wrong_type();
	}
	return wrong_type();
}

// toml++ quotes a few characters of the offending text in some messages ("saw 's'"); when the
// line sets a secret, those fragments are dropped.
std::string redact_quoted(std::string_view message) {
	std::string out;
	bool inside = false;
	for (char c : message) {
		if (c == '\'') {
			if (!inside)
				out += "'<redacted>'";
			inside = !inside;
		} else if (!inside) {
			out += c;
		}
	}
	return out;
}

bool line_sets_secret(const ConfigSchema& schema, std::string_view text, std::size_t line) {
	std::size_t start = 0;
	for (std::size_t l = 1; l < line && start != std::string_view::npos; ++l) {
		start = text.find('\n', start);
		if (start != std::string_view::npos)
			++start;
	}
	if (start == std::string_view::npos)
		return false;
	std::string_view content = text.substr(start, text.find('\n', start) - start);
	auto eq = content.find('=');
	if (eq == std::string_view::npos)
		return false;
	std::string_view lhs = trim(content.substr(0, eq));
	std::string name(leaf(lhs));
	name.erase(std::remove_if(name.begin(), name.end(), [](char c) { return c == '"' || c == '\''; }),
	           name.end());
	name = std::string(trim(name));
	for (const auto& key : schema.keys())
		if (key.secret && leaf(key.name) == name)
			return true;
	return false;
}

struct Slot {
	ConfigValue value;
	std::string origin;
};

struct FileError {
	std::uint32_t line;
	std::string message;
};

class Loader {
public:
	Loader(const ConfigSchema& schema, const ConfigSources& sources) : schema_(schema), sources_(sources) {
		for (const auto& key : schema.keys()) {
			// Checked here rather than in add_*(): required() comes after and voids the default.
			if (!key.required()) {
				if (auto ok = check_value(key, key.default_value); !ok)
					throw std::logic_error("config schema: bad default: " + ok.error().message);
			}
			slots_.push_back(Slot{key.default_value, key.required() ? "" : "default"});
			rejected_.push_back(false);
			names_.push_back(key.name);
			for (auto dot = key.name.find('.'); dot != std::string::npos; dot = key.name.find('.', dot + 1))
				tables_.insert(key.name.substr(0, dot));
		}
		for (const auto& t : tables_)
			names_.push_back(t);
	}

	void load_file() {
		const std::string& path = sources_.file;
		if (path.empty())
			return;
		int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
		struct stat st {};
		if (fd < 0 && errno == ENOENT) {
			file_failed_ = sources_.file_required;
			if (sources_.file_required)
				errors_.push_back(
				    fmt::format("{}: cannot read config file: {}", path, std::strerror(ENOENT)));
			return;
		}
		if (fd >= 0 && ::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			::close(fd);
			file_failed_ = true;
			errors_.push_back(fmt::format("{}: cannot read config file: it is a directory", path));
			return;
		}
		std::string content;
		int read_errno = fd < 0 ? errno : 0;
		for (char buf[4096]; fd >= 0;) {
			ssize_t n = ::read(fd, buf, sizeof buf);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				read_errno = n < 0 ? errno : 0;
				break;
			}
			content.append(buf, static_cast<size_t>(n));
		}
		if (fd >= 0)
			::close(fd);
		if (read_errno != 0) {
			file_failed_ = true;
			errors_.push_back(
			    fmt::format("{}: cannot read config file: {}", path, std::strerror(read_errno)));
			return;
		}
		const std::string text = std::move(content);
		file_ = path;

		auto parsed = toml::parse(std::string_view(text), std::string_view(path));
		if (!parsed) {
			const auto& e = parsed.error();
			const auto& pos = e.source().begin;
			std::string description(e.description());
			if (line_sets_secret(schema_, text, pos.line))
				description = redact_quoted(description);
			file_failed_ = true;
			errors_.push_back(fmt::format("{}:{}:{}: {}", path, pos.line, pos.column, description));
			return;
		}
		std::vector<FileError> file_errors;
		walk(parsed.table(), "", file_errors);
		std::stable_sort(file_errors.begin(), file_errors.end(),
		                 [](const FileError& a, const FileError& b) { return a.line < b.line; });
		for (auto& fe : file_errors)
			errors_.push_back(std::move(fe.message));
	}

	void load_env() {
		const std::string& prefix = sources_.env_prefix;
		if (prefix.empty())
			return;
		std::unordered_map<std::string, std::size_t> by_var;
		std::vector<std::string> suffixes; // compared without the prefix, which every name shares
		for (std::size_t i = 0; i < schema_.keys().size(); ++i) {
			suffixes.push_back(env_var_name("", schema_.keys()[i].name));
			by_var.emplace(prefix + suffixes.back(), i);
		}
		// Later entries win, as with setenv; errors come out sorted for stable messages.
		std::map<std::string, std::string> vars;
		for (const auto& entry : sources_.env) {
			auto eq = entry.find('=');
			if (eq == std::string::npos)
				continue;
			std::string name = entry.substr(0, eq);
			if (name.compare(0, prefix.size(), prefix) != 0)
				continue;
			if (std::find(sources_.env_ignore.begin(), sources_.env_ignore.end(), name) !=
			    sources_.env_ignore.end())
				continue;
			vars[name] = entry.substr(eq + 1);
		}
		for (const auto& [name, value] : vars) {
			auto it = by_var.find(name);
			if (it == by_var.end()) {
				std::string hint = suggest(std::string_view(name).substr(prefix.size()), suffixes);
				errors_.push_back(
				    fmt::format("{}: unknown variable{}", name,
				                hint.empty() ? "" : fmt::format(" (did you mean {}{}?)", prefix, hint)));
				continue;
			}
			set(it->second, value, name, "env " + name);
		}
	}

	void load_flags() {
		for (const auto& f : sources_.flags) {
			const ConfigKey* key = schema_.find(f.key);
			std::string spelling = f.spelling;
			if (spelling.empty())
				spelling = key && !key->flag.empty() ? key->flag : "--" + f.key;
			if (!key) {
				std::string hint = suggest(f.key, names_);
				errors_.push_back(
				    fmt::format("{}: unknown key {}{}", spelling, quote(f.key),
				                hint.empty() ? "" : fmt::format(" (did you mean {}?)", quote(hint))));
				continue;
			}
			set(static_cast<std::size_t>(key - schema_.keys().data()), f.value, spelling, "flag " + spelling);
		}
	}

	// Skipped where the value may well be in the part that failed: "missing" would mislead.
	void check_required() {
		if (file_failed_)
			return;
		for (std::size_t i = 0; i < slots_.size(); ++i) {
			if (!std::holds_alternative<std::monostate>(slots_[i].value) || rejected_[i])
				continue;
			const ConfigKey& key = schema_.keys()[i];
			std::vector<std::string> ways{"in the config file"};
			if (!sources_.env_prefix.empty())
				ways.push_back("with " + env_var_name(sources_.env_prefix, key.name));
			if (!key.flag.empty())
				ways.push_back("with " + key.flag);
			std::string how;
			for (std::size_t w = 0; w < ways.size(); ++w)
				how += (w == 0 ? "" : w + 1 == ways.size() ? " or " : ", ") + ways[w];
			errors_.push_back(fmt::format("missing required setting {} (set it {})", quote(key.name), how));
		}
	}

	const std::vector<std::string>& errors() const { return errors_; }
	std::vector<Slot>& slots() { return slots_; }
	const std::string& file() const { return file_; }

private:
	void walk(const toml::table& table, const std::string& prefix, std::vector<FileError>& out) {
		for (auto&& [k, node] : table) {
			std::string name = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
			std::uint32_t line = k.source().begin.line ? k.source().begin.line : node.source().begin.line;
			std::string where = line ? fmt::format("{}:{}", sources_.file, line) : sources_.file;
			if (const ConfigKey* key = schema_.find(name)) {
				auto value = from_toml(*key, node);
				std::size_t index = static_cast<std::size_t>(key - schema_.keys().data());
				if (!value) {
					rejected_[index] = true;
					out.push_back({line, fmt::format("{}: {}", where, value.error().message)});
				} else if (auto ok = check_value(*key, *value); !ok) {
					rejected_[index] = true;
					out.push_back({line, fmt::format("{}: {}", where, ok.error().message)});
				} else {
					slots_[index] = Slot{std::move(*value), "file " + where};
				}
			} else if (tables_.count(name)) {
				if (auto* sub = node.as_table())
					walk(*sub, name, out);
				else
					out.push_back({line, fmt::format("{}: {} must be a table, got {}", where, quote(name),
					                                 toml_type_name(node))});
			} else {
				std::string hint = suggest(name, names_);
				out.push_back(
				    {line, fmt::format("{}: unknown key {}{}", where, quote(name),
				                       hint.empty() ? "" : fmt::format(" (did you mean {}?)", quote(hint)))});
			}
		}
	}

	void set(std::size_t index, std::string_view text, std::string_view where, std::string origin) {
		const ConfigKey& key = schema_.keys()[index];
		auto value = parse_text(key, text);
		if (!value) {
			rejected_[index] = true;
			errors_.push_back(fmt::format("{}: {}", where, value.error().message));
			return;
		}
		if (auto ok = check_value(key, *value); !ok) {
			rejected_[index] = true;
			errors_.push_back(fmt::format("{}: {}", where, ok.error().message));
			return;
		}
		slots_[index] = Slot{std::move(*value), std::move(origin)};
	}

	const ConfigSchema& schema_;
	const ConfigSources& sources_;
	std::vector<Slot> slots_;
	std::vector<bool> rejected_;     // per key: some layer gave a bad value
	bool file_failed_ = false;       // the file could not be read or parsed at all
	std::set<std::string> tables_;   // every proper dotted prefix of a key
	std::vector<std::string> names_; // keys and tables, for suggestions
	std::vector<std::string> errors_;
	std::string file_;
};

template <typename T>
ConfigValue bound(const std::optional<T>& b) {
	return b ? ConfigValue{*b} : ConfigValue{};
}

bool valid_key_name(std::string_view name) {
	if (name.empty() || name.front() == '.' || name.back() == '.' ||
	    name.find("..") != std::string_view::npos)
		return false;
	return std::all_of(name.begin(), name.end(), [](char c) {
		return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
	});
}

} // namespace

std::string_view config_type_name(ConfigType type) {
	switch (type) {
	case ConfigType::boolean:
		return "boolean";
	case ConfigType::integer:
		return "integer";
	case ConfigType::number:
		return "number";
	case ConfigType::string:
		return "string";
	case ConfigType::duration:
		return "duration";
	case ConfigType::bytes:
		return "bytes";
	}
	return "?";
}

// ---- ConfigSchema ----

ConfigSchema& ConfigSchema::add(ConfigKey key) {
	if (!valid_key_name(key.name))
		throw std::logic_error(fmt::format("config schema: invalid key name {}", quote(key.name)));
	const std::string env = env_var_name("", key.name);
	for (const auto& other : keys_) {
		if (other.name == key.name)
			throw std::logic_error(fmt::format("config schema: duplicate key {}", quote(key.name)));
		// A name cannot be both a value and a table.
		auto nested = [](const std::string& outer, const std::string& inner) {
			return inner.size() > outer.size() && inner.compare(0, outer.size(), outer) == 0 &&
			       inner[outer.size()] == '.';
		};
		if (nested(other.name, key.name) || nested(key.name, other.name))
			throw std::logic_error(
			    fmt::format("config schema: {} and {} overlap", quote(other.name), quote(key.name)));
		if (env_var_name("", other.name) == env)
			throw std::logic_error(
			    fmt::format("config schema: {} and {} map to the same environment variable",
			                quote(other.name), quote(key.name)));
	}
	if (!std::holds_alternative<std::monostate>(key.min) &&
	    !std::holds_alternative<std::monostate>(key.max) && less_than(key.max, key.min))
		throw std::logic_error(fmt::format("config schema: {} has min > max", quote(key.name)));
	keys_.push_back(std::move(key));
	return *this;
}

ConfigKey& ConfigSchema::last() {
	if (keys_.empty())
		throw std::logic_error("config schema: modifier used before any key was added");
	return keys_.back();
}

ConfigSchema& ConfigSchema::add_bool(std::string name, bool def, std::string help) {
	return add(ConfigKey{std::move(name), ConfigType::boolean, std::move(help), def, {}, {}, {}, {}, false});
}

ConfigSchema& ConfigSchema::add_int(std::string name, std::int64_t def, std::string help,
                                    std::optional<std::int64_t> min, std::optional<std::int64_t> max) {
	return add(ConfigKey{
	    std::move(name), ConfigType::integer, std::move(help), def, bound(min), bound(max), {}, {}, false});
}

ConfigSchema& ConfigSchema::add_number(std::string name, double def, std::string help,
                                       std::optional<double> min, std::optional<double> max) {
	return add(ConfigKey{
	    std::move(name), ConfigType::number, std::move(help), def, bound(min), bound(max), {}, {}, false});
}

ConfigSchema& ConfigSchema::add_string(std::string name, std::string def, std::string help) {
	return add(ConfigKey{
	    std::move(name), ConfigType::string, std::move(help), std::move(def), {}, {}, {}, {}, false});
}

ConfigSchema& ConfigSchema::add_duration(std::string name, double def_seconds, std::string help,
                                         std::optional<double> min_seconds,
                                         std::optional<double> max_seconds) {
	if (!(def_seconds >= 0) || (min_seconds && !(*min_seconds >= 0)))
		throw std::logic_error("config schema: negative duration for \"" + name + "\"");
	return add(ConfigKey{std::move(name),
	                     ConfigType::duration,
	                     std::move(help),
	                     def_seconds,
	                     bound(min_seconds),
	                     bound(max_seconds),
	                     {},
	                     {},
	                     false});
}

ConfigSchema& ConfigSchema::add_bytes(std::string name, std::uint64_t def, std::string help,
                                      std::optional<std::uint64_t> min, std::optional<std::uint64_t> max) {
	return add(ConfigKey{
	    std::move(name), ConfigType::bytes, std::move(help), def, bound(min), bound(max), {}, {}, false});
}

ConfigSchema& ConfigSchema::required() {
	last().default_value = std::monostate{};
	return *this;
}

ConfigSchema& ConfigSchema::secret() {
	last().secret = true;
	return *this;
}

ConfigSchema& ConfigSchema::flag(std::string spelling) {
	last().flag = std::move(spelling);
	return *this;
}

ConfigSchema& ConfigSchema::one_of(std::initializer_list<std::string_view> values) {
	ConfigKey& key = last();
	if (key.type != ConfigType::string)
		throw std::logic_error(fmt::format("config schema: one_of on non-string key {}", quote(key.name)));
	key.choices.assign(values.begin(), values.end());
	return *this;
}

const ConfigKey* ConfigSchema::find(std::string_view name) const {
	for (const auto& key : keys_)
		if (key.name == name)
			return &key;
	return nullptr;
}

// ---- Config ----

const Config::Entry& Config::entry(std::string_view key, ConfigType type) const {
	auto it = index_.find(key);
	if (it == index_.end())
		throw std::logic_error(fmt::format("config: no key {} in the schema", quote(key)));
	const Entry& e = entries_[it->second];
	if (e.key.type != type)
		throw std::logic_error(fmt::format("config: {} is a {}, not a {}", quote(key),
		                                   config_type_name(e.key.type), config_type_name(type)));
	return e;
}

const std::string& Config::get_string(std::string_view key) const {
	return std::get<std::string>(entry(key, ConfigType::string).value);
}
std::int64_t Config::get_int(std::string_view key) const {
	return std::get<std::int64_t>(entry(key, ConfigType::integer).value);
}
double Config::get_double(std::string_view key) const {
	return std::get<double>(entry(key, ConfigType::number).value);
}
bool Config::get_bool(std::string_view key) const {
	return std::get<bool>(entry(key, ConfigType::boolean).value);
}
double Config::get_duration_s(std::string_view key) const {
	return std::get<double>(entry(key, ConfigType::duration).value);
}
std::uint64_t Config::get_bytes(std::string_view key) const {
	return std::get<std::uint64_t>(entry(key, ConfigType::bytes).value);
}

const std::string& Config::origin(std::string_view key) const {
	auto it = index_.find(key);
	if (it == index_.end())
		throw std::logic_error(fmt::format("config: no key {} in the schema", quote(key)));
	return entries_[it->second].origin;
}

std::string Config::dump() const {
	std::string out;
	for (const auto& e : entries_) {
		std::string value;
		if (!e.key.secret)
			value = format_value(e.key.type, e.value);
		else if (e.key.type == ConfigType::string && std::get<std::string>(e.value).empty())
			value = "\"\"";
		else
			value = "<redacted>";
		out += fmt::format("{} = {}  # {}\n", e.key.name, value, e.origin);
	}
	return out;
}

// ---- loading ----

Result<Config> load_config(const ConfigSchema& schema, const ConfigSources& sources) {
	Loader loader(schema, sources);
	loader.load_file();
	loader.load_env();
	loader.load_flags();
	loader.check_required();
	if (!loader.errors().empty()) {
		std::string message;
		for (const auto& e : loader.errors())
			message += (message.empty() ? "" : "\n") + e;
		return Err(std::move(message));
	}
	Config config;
	auto& slots = loader.slots();
	for (std::size_t i = 0; i < slots.size(); ++i) {
		config.index_.emplace(schema.keys()[i].name, i);
		config.entries_.push_back(
		    Config::Entry{schema.keys()[i], std::move(slots[i].value), std::move(slots[i].origin)});
	}
	config.file_ = loader.file();
	return config;
}

std::string env_var_name(std::string_view prefix, std::string_view key) {
	std::string out(prefix);
	for (char c : key)
		out += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
	return out;
}

std::vector<std::string> process_environment() {
	std::vector<std::string> out;
	for (char** e = environ; e && *e; ++e)
		out.emplace_back(*e);
	return out;
}

// ---- durations and sizes ----

Result<double> parse_duration(std::string_view input) {
	std::string_view text = trim(input);
	auto bad = [&](std::string_view why) -> Error {
		return Err(fmt::format("invalid duration {}: {}", quote(input), why));
	};
	if (text.empty())
		return bad("empty");
	if (text.front() == '-')
		return bad("must not be negative");
	double total = 0;
	int parts = 0;
	std::size_t i = 0;
	while (i < text.size()) {
		while (i < text.size() && text[i] == ' ')
			++i;
		std::size_t start = i;
		while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.'))
			++i;
		if (start == i)
			return bad("expected a number");
		double v = 0;
		auto [end, ec] = std::from_chars(text.data() + start, text.data() + i, v);
		if (ec != std::errc() || end != text.data() + i)
			return bad(fmt::format("bad number {}", quote(text.substr(start, i - start))));
		while (i < text.size() && text[i] == ' ')
			++i;
		std::size_t unit_start = i;
		while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i])))
			++i;
		std::string_view unit = text.substr(unit_start, i - unit_start);
		double mult = 0;
		if (unit.empty()) {
			if (parts > 0 || i < text.size())
				return bad("missing unit (use ms, s, m, h or d)");
			mult = 1;
		} else if (unit == "ms") {
			mult = 0.001;
		} else if (unit == "s") {
			mult = 1;
		} else if (unit == "m") {
			mult = 60;
		} else if (unit == "h") {
			mult = 3600;
		} else if (unit == "d") {
			mult = 86400;
		} else {
			return bad(fmt::format("unknown unit {} (use ms, s, m, h or d)", quote(unit)));
		}
		total += v * mult;
		++parts;
	}
	if (!std::isfinite(total) || total > 1e15)
		return bad("too large");
	return total;
}

Result<std::uint64_t> parse_bytes(std::string_view input) {
	std::string_view text = trim(input);
	auto bad = [&](std::string_view why) -> Error {
		return Err(fmt::format("invalid byte size {}: {}", quote(input), why));
	};
	if (text.empty())
		return bad("empty");
	if (text.front() == '-')
		return bad("must not be negative");
	std::size_t i = 0;
	bool fraction = false;
	while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) {
		fraction |= text[i] == '.';
		++i;
	}
	if (i == 0)
		return bad("expected a number");
	std::string_view number = text.substr(0, i);
	std::string unit = lower(trim(text.substr(i)));
	static constexpr std::pair<std::string_view, std::uint64_t> kUnits[] = {
	    {"", 1},
	    {"b", 1},
	    {"kb", 1000},
	    {"mb", 1000 * 1000},
	    {"gb", 1000 * 1000 * 1000},
	    {"tb", 1000ull * 1000 * 1000 * 1000},
	    {"kib", 1ull << 10},
	    {"mib", 1ull << 20},
	    {"gib", 1ull << 30},
	    {"tib", 1ull << 40},
	};
	std::uint64_t mult = 0;
	for (const auto& [name, m] : kUnits)
		if (unit == name)
			mult = m;
	if (mult == 0)
		return bad(fmt::format("unknown unit {} (use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB)",
		                       quote(trim(text.substr(i)))));
	if (!fraction) {
		std::uint64_t v = 0;
		auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
		if (ec == std::errc::result_out_of_range)
			return bad("too large");
		if (ec != std::errc() || end != number.data() + number.size())
			return bad(fmt::format("bad number {}", quote(number)));
		std::uint64_t out = 0;
		if (__builtin_mul_overflow(v, mult, &out))
			return bad("too large");
		return out;
	}
	if (mult == 1)
		return bad("a number of bytes must be whole");
	double v = 0;
	auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
	if (ec != std::errc() || end != number.data() + number.size())
		return bad(fmt::format("bad number {}", quote(number)));
	double bytes = std::round(v * static_cast<double>(mult));
	if (!(bytes < 18446744073709551616.0)) // 2^64
		return bad("too large");
	return static_cast<std::uint64_t>(bytes);
}

std::string format_duration(double seconds) {
	if (seconds == 0)
		return "0s";
	static constexpr std::pair<double, std::string_view> kUnits[] = {{3600, "h"}, {60, "m"}, {1, "s"}};
	for (const auto& [size, name] : kUnits) {
		double n = seconds / size;
		if (n >= 1 && n < 1e15 && std::floor(n) == n)
			return fmt::format("{}{}", static_cast<std::int64_t>(n), name);
	}
	double ms = seconds * 1000;
	if (ms < 1e15 && std::fabs(ms - std::round(ms)) < 1e-9 * std::max(1.0, ms))
		return fmt::format("{}ms", static_cast<std::int64_t>(std::round(ms)));
	return fmt::format("{}s", seconds);
}

std::string format_bytes(std::uint64_t bytes) {
	static constexpr std::pair<std::uint64_t, std::string_view> kUnits[] = {
	    {1ull << 40, "TiB"}, {1ull << 30, "GiB"}, {1ull << 20, "MiB"}, {1ull << 10, "KiB"}};
	for (const auto& [size, name] : kUnits)
		if (bytes != 0 && bytes % size == 0)
			return fmt::format("{}{}", bytes / size, name);
	return fmt::format("{}", bytes);
}

} // namespace serversan
