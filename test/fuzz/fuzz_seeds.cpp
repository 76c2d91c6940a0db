// Writes the seed corpora of the fuzz targets from test/fixtures/protocol (the signing and token
// vectors, the report batch example) with the project's own encoders, so that the seeds follow
// the formats when they change and need not be committed:
//
//   fuzz_seeds <fixtures/protocol dir> <corpus dir>     -> <corpus dir>/<target>/seed-<n>
//                                                          and <corpus dir>/report.dict
//
// report.dict (libFuzzer's -dict) holds every key of the example batch and the numbers at the
// edges of the decoder's ranges: mutations rarely spell `"tx_bytes_per_s":1e39` on their own.
//
// Exits non-zero if a fixture is missing or unreadable.
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "serversan/core/report_decode.h"
#include "serversan/core/report_encode.h"
#include "serversan/server/ingest/gunzip.h"
#include "serversan/server/store/device_blob.h"
#include "serversan/server/store/stored_report.h"

namespace fs = std::filesystem;
using namespace serversan;

namespace {

std::string read_file(const fs::path& p) {
	std::ifstream in(p, std::ios::binary);
	if (!in)
		throw std::runtime_error("cannot read " + p.string());
	std::ostringstream s;
	s << in.rdbuf();
	return s.str();
}

std::string from_hex(std::string_view hex) {
	std::string out;
	for (size_t i = 0; i + 1 < hex.size(); i += 2)
		out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
	return out;
}

// Every object key in `j`, quoted as JSON would spell it.
void collect_keys(const nlohmann::json& j, std::set<std::string>& keys) {
	if (j.is_object())
		for (const auto& [k, v] : j.items()) {
			keys.insert("\"" + k + "\"");
			collect_keys(v, keys);
		}
	else if (j.is_array())
		for (const auto& v : j)
			collect_keys(v, keys);
}

void write_dictionary(const fs::path& file, const nlohmann::json& example) {
	std::set<std::string> tokens;
	collect_keys(example, tokens);
	for (const char* edge :
	     {"0", "-1", "-0", "1e39", "3.5e38", "1e308", "1e-320", "100", "100.0001", "9007199254740993",
	      "18446744073709551615", "18446744073709551616", "9223372036854775807", "null", "true"})
		tokens.insert(edge);
	std::ofstream out(file);
	for (const std::string& t : tokens)
		out << nlohmann::json(t).dump() << "\n"; // libFuzzer's dictionary syntax is a JSON string
}

class Corpus {
public:
	explicit Corpus(fs::path dir) : dir_(std::move(dir)) {}
	void add(const std::string& target, std::string_view bytes) {
		fs::create_directories(dir_ / target);
		std::ofstream(dir_ / target / ("seed-" + std::to_string(++n_)), std::ios::binary)
		    .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
	}

private:
	fs::path dir_;
	size_t n_ = 0;
};

} // namespace

int main(int argc, char** argv) try {
	if (argc != 3) {
		std::cerr << "usage: fuzz_seeds <fixtures/protocol dir> <corpus dir>\n";
		return 2;
	}
	fs::path fixtures = argv[1];
	Corpus corpus(argv[2]);
	auto vectors = nlohmann::json::parse(read_file(fixtures / "vectors.json"));

	std::vector<std::string> batches{read_file(fixtures / "report-batch-example.json")};
	fs::create_directories(argv[2]);
	write_dictionary(fs::path(argv[2]) / "report.dict", nlohmann::json::parse(batches.front()));
	for (const auto& v : vectors.at("signing")) {
		corpus.add("token", v.at("token").get<std::string>());
		corpus.add("authorization", v.at("authorization").get<std::string>());
		std::string body = from_hex(v.at("body_hex").get<std::string>());
		if (body.empty())
			continue;
		// The vectors spell encodings as agents may send them (" GZIP\t"): compare as the server does,
		// spaces and tabs trimmed, case folded.
		std::string encoding = v.at("content_encoding").get<std::string>();
		encoding.erase(0, encoding.find_first_not_of(" \t"));
		encoding.erase(encoding.find_last_not_of(" \t") + 1);
		for (char& c : encoding)
			c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
		if (encoding == "gzip") {
			// Under each limit (fuzz_gunzip.cpp: the first byte picks it).
			for (char limit = 0; limit < 5; ++limit)
				corpus.add("gunzip", std::string(1, limit) + body);
			auto plain = ingest::gunzip(body, kMaxDecodedBodyBytes);
			if (!plain.ok())
				throw std::runtime_error("a fixture body does not inflate: " + plain.error().message);
			body = std::move(*plain);
		}
		batches.push_back(body);
	}
	for (const auto& t : vectors.at("tokens"))
		corpus.add("token", t.at("text").get<std::string>());

	for (const std::string& json : batches) {
		auto batch = decode_batch(json);
		if (!batch.ok())
			throw std::runtime_error("a fixture batch does not decode: " + batch.error().message);
		// The whole batch, and each report on its own: small seeds mutate faster.
		std::vector<std::string> texts{json};
		for (const Report& r : batch->reports) {
			ReportBatch one = *batch;
			one.reports = {r};
			texts.push_back(encode_batch(one));
			std::string blob;
			store::encode_devices(r, blob);
			if (!blob.empty())
				corpus.add("device_blob", blob);
			corpus.add("stored_report", store::encode_stored_report(r));
			for (auto encode : {store::encode_top_cpu, store::encode_top_memory, store::encode_tcp_states})
				if (std::string section = encode(r); !section.empty())
					corpus.add("stored_report", section);
		}
		for (const std::string& text : texts) {
			corpus.add("report_decode", text);
			corpus.add("store_roundtrip", text);
		}
	}
	return 0;
} catch (const std::exception& e) {
	std::cerr << "fuzz_seeds: " << e.what() << "\n";
	return 1;
}
