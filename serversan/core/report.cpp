// Report is plain data. Its JSON codec is in report_encode.cpp (agent side, no JSON library) and
// report_decode.cpp (server side, simdjson); the field names, ranges and required flags both use
// are the report_fields tables in report_encode.h.
