#include "serversan/agent/collectors/temperatures.h"

#include <algorithm>
#include <dirent.h>
#include <map>
#include <unistd.h>

#include <fmt/format.h>

#include "serversan/agent/collectors/text.h"

namespace serversan::agent {

std::optional<double> parse_millidegrees(std::string_view text) {
	auto v = to_i64(trim(text));
	if (!v || *v < -100000 || *v > 200000)
		return std::nullopt;
	return static_cast<double>(*v) / 1000.0;
}

namespace {

std::vector<std::string> list_dir(const std::string& dir) {
	std::vector<std::string> names;
	DIR* d = ::opendir(dir.c_str());
	if (!d)
		return names;
	while (dirent* e = ::readdir(d)) {
		if (e->d_name[0] != '.')
			names.emplace_back(e->d_name);
	}
	::closedir(d);
	// Natural order (hwmon2 before hwmon10) keeps the report stable and readable.
	std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
		size_t i = 0;
		while (i < a.size() && i < b.size() && a[i] == b[i] && !(a[i] >= '0' && a[i] <= '9'))
			++i;
		auto na = to_u64(std::string_view(a).substr(i)), nb = to_u64(std::string_view(b).substr(i));
		if (na && nb && std::string_view(a).substr(0, i) == std::string_view(b).substr(0, i))
			return *na < *nb;
		return a < b;
	});
	return names;
}

std::string read_line(const std::string& path) {
	auto text = read_text_file(path, 4096);
	if (!text)
		return {};
	std::string_view t = *text;
	return std::string(trim(next_line(t)));
}

std::string link_basename(const std::string& path) {
	char target[4096];
	ssize_t n = ::readlink(path.c_str(), target, sizeof target - 1);
	if (n <= 0)
		return {};
	std::string_view t(target, static_cast<size_t>(n));
	while (!t.empty() && t.back() == '/')
		t.remove_suffix(1);
	size_t slash = t.rfind('/');
	return std::string(slash == std::string_view::npos ? t : t.substr(slash + 1));
}

// "temp3_input" -> 3
std::optional<uint64_t> temp_input_index(std::string_view file) {
	if (!file.starts_with("temp") || !file.ends_with("_input"))
		return std::nullopt;
	return to_u64(file.substr(4, file.size() - 4 - 6));
}

struct HwmonDevice {
	std::string name;     // from the name file
	std::string device;   // basename of the device link
	std::string attr_dir; // where tempK_input live
	std::string fallback; // hwmonN
};

} // namespace

void TemperatureCollector::discover() {
	discovered_ = true;
	sensors_.clear();
	std::vector<HwmonDevice> devices;
	std::string hwmon_root = join_path(sys_, "class/hwmon");
	for (const std::string& entry : list_dir(hwmon_root)) {
		HwmonDevice d;
		std::string base = join_path(hwmon_root, entry);
		d.fallback = entry;
		d.device = link_basename(join_path(base, "device"));
		d.attr_dir = base;
		d.name = read_line(join_path(base, "name"));
		if (d.name.empty()) {
			// Before 2.6.32-ish drivers put their attributes on the device itself.
			d.name = read_line(join_path(base, "device/name"));
			if (!d.name.empty())
				d.attr_dir = join_path(base, "device");
		} else {
			bool any = false;
			for (const std::string& f : list_dir(base))
				any = any || temp_input_index(f).has_value();
			if (!any)
				d.attr_dir = join_path(base, "device");
		}
		if (d.name.empty())
			d.name = entry;
		devices.push_back(std::move(d));
	}
	std::map<std::string, int> name_count;
	for (const HwmonDevice& d : devices)
		++name_count[d.name];
	for (const HwmonDevice& d : devices) {
		std::string prefix = d.name;
		if (name_count[d.name] > 1)
			prefix = fmt::format("{}-{}", d.name, d.device.empty() ? d.fallback : d.device);
		std::vector<std::pair<uint64_t, std::string>> inputs;
		for (const std::string& f : list_dir(d.attr_dir)) {
			if (auto k = temp_input_index(f))
				inputs.emplace_back(*k, f);
		}
		std::sort(inputs.begin(), inputs.end());
		for (const auto& [k, file] : inputs) {
			if (sensors_.size() >= kMaxTemperatures)
				return;
			std::string label = read_line(join_path(d.attr_dir, fmt::format("temp{}_label", k)));
			std::string name = fmt::format("{}/{}", prefix, label.empty() ? fmt::format("temp{}", k) : label);
			sensors_.push_back({std::move(name), ProcFile(join_path(d.attr_dir, file))});
		}
	}

	// Thermal zones not already seen through hwmon (the kernel's hwmon name for a zone is its
	// type with '-' turned into '_').
	std::string thermal_root = join_path(sys_, "class/thermal");
	std::vector<std::pair<std::string, std::string>> zones; // (type, zone dir)
	for (const std::string& entry : list_dir(thermal_root)) {
		if (!entry.starts_with("thermal_zone"))
			continue;
		std::string dir = join_path(thermal_root, entry);
		std::string type = read_line(join_path(dir, "type"));
		if (type.empty())
			continue;
		std::string as_hwmon = type;
		std::replace(as_hwmon.begin(), as_hwmon.end(), '-', '_');
		if (name_count.count(as_hwmon) || name_count.count(type))
			continue;
		zones.emplace_back(std::move(type), std::move(dir));
	}
	std::map<std::string, int> type_count;
	for (const auto& z : zones)
		++type_count[z.first];
	for (auto& [type, dir] : zones) {
		if (sensors_.size() >= kMaxTemperatures)
			return;
		// "thermal_zone3" -> "zone3"
		std::string_view zone = std::string_view(dir).substr(dir.rfind('/') + 1 + 8);
		std::string name = type_count[type] > 1 ? fmt::format("{}/{}", type, zone) : type;
		sensors_.push_back({std::move(name), ProcFile(join_path(dir, "temp"))});
	}
}

void TemperatureCollector::collect(std::vector<Temperature>& out) {
	out.clear();
	if (!discovered_)
		discover();
	for (Sensor& s : sensors_) {
		auto text = s.input.read(64);
		if (!text)
			continue;
		if (auto c = parse_millidegrees(*text))
			out.push_back({s.name, *c});
	}
}

} // namespace serversan::agent
