#include "serversan/agent/collectors/load.h"

#include <dirent.h>

#include "serversan/agent/collectors/text.h"

namespace serversan::agent {

LoadSample parse_loadavg(std::string_view text) {
	LoadSample s;
	std::string_view rest = trim(text);
	std::string_view f1 = next_field(rest), f5 = next_field(rest), f15 = next_field(rest),
	                 tasks = next_field(rest);
	if (!f1.empty())
		s.load.load1 = to_double(f1);
	if (!f5.empty())
		s.load.load5 = to_double(f5);
	if (!f15.empty())
		s.load.load15 = to_double(f15);
	size_t slash = tasks.find('/');
	if (slash != std::string_view::npos) {
		s.processes.running = to_u64(tasks.substr(0, slash));
		s.processes.threads = to_u64(tasks.substr(slash + 1));
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
