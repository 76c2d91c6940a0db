#include "serversan/agent/collectors/file_handles.h"

#include "serversan/agent/collectors/text.h"

namespace serversan::agent {

FileHandles parse_file_nr(std::string_view text) {
	FileHandles h;
	text = trim(text);
	auto allocated = to_u64(next_field(text));
	auto free = to_u64(next_field(text));
	auto max = to_u64(next_field(text));
	if (allocated && free && *free <= *allocated)
		h.used = *allocated - *free;
	h.max = max;
	return h;
}

} // namespace serversan::agent
