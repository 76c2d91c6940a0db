// JSON answers of the web API (docs/api.md "Errors"): every error is
// {"error": {"status", "code", "message"}} with the same HTTP status, so the dashboard and scripts
// read one shape everywhere.
#pragma once

#include <string>
#include <string_view>

#include "serversan/server/ingest/routes.h"

namespace serversan::web {

ingest::RouteResponse json_error(int status, std::string_view code, std::string_view message);
// A 200 (or `status`) answer with a JSON body the caller serialised.
ingest::RouteResponse json_answer(std::string body, int status = 200);

} // namespace serversan::web
