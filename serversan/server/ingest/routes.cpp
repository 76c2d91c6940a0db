#include "serversan/server/ingest/routes.h"

#include <algorithm>
#include <cctype>

namespace serversan::ingest {

bool iequals_ascii(std::string_view a, std::string_view b) {
	return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
		       return std::tolower(static_cast<unsigned char>(x)) ==
		              std::tolower(static_cast<unsigned char>(y));
	       });
}

std::string_view RouteRequest::header(std::string_view name) const {
	if (headers)
		for (const auto& [n, v] : *headers)
			if (iequals_ascii(n, name))
				return v;
	return {};
}

void Routes::add(std::string method, std::string path, RouteHandler handler,
                 std::vector<std::string> headers) {
	routes_.push_back({std::move(method), std::move(path), std::move(handler), false});
	add_headers(std::move(headers));
}

void Routes::add_prefix(std::string method, std::string prefix, RouteHandler handler,
                        std::vector<std::string> headers) {
	routes_.push_back({std::move(method), std::move(prefix), std::move(handler), true});
	add_headers(std::move(headers));
}

void Routes::add_headers(std::vector<std::string> headers) {
	for (auto& h : headers)
		if (std::none_of(headers_.begin(), headers_.end(),
		                 [&](const std::string& x) { return iequals_ascii(x, h); }))
			headers_.push_back(std::move(h));
}

const Route* Routes::find(std::string_view method, std::string_view path) const {
	const Route* best = nullptr;
	for (const Route& r : routes_) {
		if (r.method != method)
			continue;
		if (!r.prefix && r.path == path)
			return &r;
		if (r.prefix && path.starts_with(r.path) && (!best || r.path.size() > best->path.size()))
			best = &r;
	}
	return best;
}

} // namespace serversan::ingest
