// gzip (RFC 1952) at zlib's best level, for content compressed once and sent many times (the
// front end's files at start-up).
#pragma once

#include <string>
#include <string_view>

namespace serversan::web {

std::string gzip_compress(std::string_view data);

} // namespace serversan::web
