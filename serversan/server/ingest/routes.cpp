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
	routes_.push_back({std::move(method), std::move(path), std::move(handler)});
	for (auto& h : headers)
		if (std::none_of(headers_.begin(), headers_.end(),
		                 [&](const std::string& x) { return iequals_ascii(x, h); }))
			headers_.push_back(std::move(h));
}

const Route* Routes::find(std::string_view method, std::string_view path) const {
	for (const Route& r : routes_)
		if (r.path == path && r.method == method)
			return &r;
	return nullptr;
}

} // namespace serversan::ingest
