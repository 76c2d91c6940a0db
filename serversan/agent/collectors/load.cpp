#include "serversan/agent/collectors/load.h"

#include <dirent.h>

#include "serversan/agent/collectors/text.h"

namespace serversan::agent {

LoadSample parse_loadavg(std::string_view text) {
	LoadSample s;
	auto f = split_ws(trim(text));
	if (f.size() >= 1)
		s.load.load1 = to_double(f[0]);
	if (f.size() >= 2)
		s.load.load5 = to_double(f[1]);
	if (f.size() >= 3)
		s.load.load15 = to_double(f[2]);
	if (f.size() >= 4) {
		size_t slash = f[3].find('/');
		if (slash != std::string_view::npos) {
			s.processes.running = to_u64(f[3].substr(0, slash));
			s.processes.threads = to_u64(f[3].substr(slash + 1));
		}
	}
	return s;
}

std::optional<uint64_t> count_processes(const std::string& proc_root) {
	DIR* dir = ::opendir(proc_root.c_str());
	if (!dir)
		return std::nullopt;
	uint64_t n = 0;
	while (dirent* e = ::readdir(dir)) {
		std::string_view name = e->d_name;
		if (!name.empty() && to_u64(name))
			++n;
	}
	::closedir(dir);
	return n;
}

Result<LoadSample> collect_load(const std::string& proc_root) {
	auto text = read_text_file(join_path(proc_root, "loadavg"));
	if (!text)
		return text.error();
	LoadSample s = parse_loadavg(*text);
	s.processes.total = count_processes(proc_root);
	return s;
}

} // namespace serversan::agent
