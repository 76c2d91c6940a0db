#include "serversan/server/web/gzip_compress.h"

#include <stdexcept>

#include <zlib.h>

namespace serversan::web {

std::string gzip_compress(std::string_view data) {
	z_stream z{};
	// 15 + 16: a gzip header and trailer around the deflate stream.
	if (deflateInit2(&z, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		throw std::runtime_error("zlib: deflateInit2 failed");
	std::string out(deflateBound(&z, static_cast<uLong>(data.size())), '\0');
	z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
	z.avail_in = static_cast<uInt>(data.size());
	z.next_out = reinterpret_cast<Bytef*>(out.data());
	z.avail_out = static_cast<uInt>(out.size());
	int rc = deflate(&z, Z_FINISH); // deflateBound's room: one call finishes
	out.resize(z.total_out);
	deflateEnd(&z);
	if (rc != Z_STREAM_END)
		throw std::runtime_error("zlib: deflate did not finish");
	return out;
}

} // namespace serversan::web
