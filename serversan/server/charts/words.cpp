#include "serversan/server/charts/words.h"

namespace serversan::charts {

namespace {

void replace_all(std::string& s, std::string_view what, std::string_view with) {
	for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + with.size()))
		s.replace(at, what.size(), with);
}

} // namespace

const Words& english_words() {
	static const Words w = {
	    {"title.cpu", "CPU"},
	    {"title.mem", "Memory"},
	    {"title.disk", "Disk space"},
	    {"title.io", "Disk I/O"},
	    {"title.net", "Network"},
	    {"title.load", "Load"},
	    {"title.temp", "Temperature"},
	    {"range.1h", "last hour"},
	    {"range.6h", "last 6 hours"},
	    {"range.24h", "last 24 hours"},
	    {"range.7d", "last 7 days"},
	    {"range.30d", "last 30 days"},
	    {"user", "user"},
	    {"system", "system"},
	    {"iowait", "iowait"},
	    {"steal", "steal"},
	    {"ram_used", "RAM used"},
	    {"swap_used", "swap used"},
	    {"used", "used"},
	    {"read", "read"},
	    {"write", "write"},
	    {"in", "in"},
	    {"out", "out"},
	    {"load1", "1 min"},
	    {"load15", "15 min"},
	    {"core", "{n} core"},
	    {"cores", "{n} cores"},
	    {"ram_total", "RAM {size}"},
	    {"fs_size", "size {size}"},
	    {"limit", "limit {size}"},
	    {"offline", "offline"},
	    {"no_data", "No data yet"},
	    {"no_data_detail", "Nothing was reported in this range."},
	    {"date", "{month} {day}"},
	    {"month.1", "Jan"},
	    {"month.2", "Feb"},
	    {"month.3", "Mar"},
	    {"month.4", "Apr"},
	    {"month.5", "May"},
	    {"month.6", "Jun"},
	    {"month.7", "Jul"},
	    {"month.8", "Aug"},
	    {"month.9", "Sep"},
	    {"month.10", "Oct"},
	    {"month.11", "Nov"},
	    {"month.12", "Dec"},
	};
	return w;
}

std::string word(const Words& words, std::string_view key, std::string_view n, std::string_view size) {
	auto it = words.find(key);
	std::string s;
	if (it != words.end() && !it->second.empty()) {
		s = it->second;
	} else {
		auto en = english_words().find(key);
		s = en != english_words().end() ? en->second : std::string(key);
	}
	replace_all(s, "{n}", n);
	replace_all(s, "{size}", size);
	return s;
}

} // namespace serversan::charts
