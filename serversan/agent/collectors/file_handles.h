// File handles collector: <proc>/sys/fs/file-nr "allocated free maximum" -> in use (allocated -
// free; free is always 0 since Linux 2.6) and the maximum (fs.file-max).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace serversan::agent {

struct FileHandles {
	std::optional<uint64_t> used, max;
	bool operator==(const FileHandles&) const = default;
};
FileHandles parse_file_nr(std::string_view text);

} // namespace serversan::agent
