// Bounded gzip decompression: stops with an error as soon as the output would exceed max_out,
// so a gzip bomb costs at most max_out bytes of memory. Called only after the MAC verified.
#pragma once

#include <string>
#include <string_view>

#include "serversan/core/result.h"

namespace serversan::ingest {

Result<std::string> gunzip(std::string_view compressed, size_t max_out);

} // namespace serversan::ingest
