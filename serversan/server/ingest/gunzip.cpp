#include "serversan/server/ingest/gunzip.h"

#include <zlib.h>

namespace serversan::ingest {

Result<std::string> gunzip(std::string_view compressed, size_t max_out) {
	z_stream zs{};
	// 16 + MAX_WBITS: gzip wrapper only (no raw deflate, no zlib header).
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return Err("gzip: cannot initialise zlib");
	std::string out;
	out.resize(std::min<size_t>(max_out, std::max<size_t>(compressed.size() * 4, 4096)));
	zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
	zs.avail_in = static_cast<uInt>(compressed.size());
	size_t produced = 0;
	int rc = Z_OK;
	while (true) {
		if (produced == out.size()) {
			if (out.size() >= max_out) {
				inflateEnd(&zs);
				return Err("gzip: decompressed body too large");
			}
			out.resize(std::min(max_out, out.size() * 2));
		}
		zs.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
		zs.avail_out = static_cast<uInt>(out.size() - produced);
		rc = inflate(&zs, Z_NO_FLUSH);
		produced = out.size() - zs.avail_out;
		if (rc == Z_STREAM_END)
			break;
		if (rc != Z_OK) {
			inflateEnd(&zs);
			return Err("gzip: corrupt or truncated data");
		}
		if (zs.avail_in == 0 && zs.avail_out != 0) {
			inflateEnd(&zs);
			return Err("gzip: truncated data");
		}
	}
	bool trailing = zs.avail_in != 0;
	inflateEnd(&zs);
	if (trailing)
		return Err("gzip: trailing data after the stream");
	out.resize(produced);
	return out;
}

} // namespace serversan::ingest
