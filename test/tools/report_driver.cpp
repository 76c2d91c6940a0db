// serversan-report-driver: signed reports with chosen times and values, for end-to-end tests of
// the real server on its test clock (serve --test-clock, ingest/test_clock_route.h). It reads a
// script from stdin, one action a line, so that days of reports go in one call:
//
//   at MS [SERVER KEY=VALUE...]     move the server's clock to MS (its due work runs), then, if a
//                                   server is named, post one report of that server taken at MS
//   report SERVER TIME_MS KEY=VALUE...   post a report taken at TIME_MS (older: a backfill)
//   backlog SERVER FROM_MS STEP_MS COUNT KEY=VALUE...   COUNT reports from FROM_MS, STEP_MS
//                                   apart, in one request: what an agent sends after an outage
//   # ...                           a comment; empty lines are skipped
//
// KEYs: cpu=PERCENT mem=PERCENT swap=PERCENT load=LOAD1 cores=N
//       fs=MOUNT:USED_BYTES:TOTAL_BYTES (repeatable) top=NAME:CPU_PERCENT (repeatable)
// Requests are signed at the server's clock as the driver last set it (--now, else GET /test/clock),
// as an agent whose clock agrees with the server's. Each server's stream is its id; its sequence
// numbers are the report times in seconds, so separate calls keep counting up.
//
//   serversan-report-driver --url http://127.0.0.1:PORT --server web1=web1.token [--server ...]
//
// Exits 1 at the first request the server does not answer 200 (printing the answer).
#include <charconv>
#include <chrono>
#include <cstdio>
#include <curl/curl.h>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "serversan/core/crypto.h"
#include "serversan/core/report_encode.h"
#include "serversan/core/signing.h"
#include "serversan/core/token.h"

using namespace serversan;

namespace {

struct Server {
	AgentToken token;
	SigningKey key{};
	bool sent_host = false;
};

[[noreturn]] void die(const std::string& message) {
	std::cerr << "report-driver: " << message << "\n";
	std::exit(1);
}

int64_t to_int(const std::string& s) {
	int64_t v = 0;
	auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
	if (ec != std::errc() || end != s.data() + s.size())
		die("not an integer: " + s);
	return v;
}

double to_double(const std::string& s) {
	try {
		size_t used = 0;
		double v = std::stod(s, &used);
		if (used == s.size())
			return v;
	} catch (...) {
	}
	die("not a number: " + s);
}

std::vector<std::string> split(const std::string& s, char sep) {
	std::vector<std::string> parts;
	std::string part;
	std::istringstream in(s);
	while (std::getline(in, part, sep))
		parts.push_back(part);
	return parts;
}

size_t collect(char* data, size_t size, size_t n, void* out) {
	static_cast<std::string*>(out)->append(data, size * n);
	return size * n;
}

class Http {
public:
	explicit Http(std::string base) : base_(std::move(base)), curl_(curl_easy_init()) {}
	~Http() { curl_easy_cleanup(curl_); }

	// The status, the body in *answer.
	long request(const std::string& method, const std::string& path, const std::string& body,
	             const std::vector<std::string>& headers, std::string* answer) {
		curl_slist* list = nullptr;
		for (const auto& h : headers)
			list = curl_slist_append(list, h.c_str());
		answer->clear();
		curl_easy_reset(curl_);
		std::string url = base_ + path;
		curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
		curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);
		curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, collect);
		curl_easy_setopt(curl_, CURLOPT_WRITEDATA, answer);
		curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 30L);
		if (method == "POST") {
			curl_easy_setopt(curl_, CURLOPT_POST, 1L);
			curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
			curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
		}
		CURLcode rc = curl_easy_perform(curl_);
		curl_slist_free_all(list);
		if (rc != CURLE_OK)
			die(method + " " + path + ": " + curl_easy_strerror(rc));
		long status = 0;
		curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &status);
		return status;
	}

private:
	std::string base_;
	CURL* curl_;
};

Report make_report(const std::string& name, Server& server, int64_t time_ms,
                   const std::vector<std::string>& fields) {
	Report r;
	r.seq = static_cast<uint64_t>(time_ms / 1000);
	r.time_ms = time_ms;
	r.interval_s = 60;
	r.uptime_s = 100'000;
	double cpu = 5, mem = 30, swap = 0, load = 0.1;
	uint32_t cores = 2;
	std::vector<ProcessEntry> top;
	for (const std::string& f : fields) {
		size_t eq = f.find('=');
		if (eq == std::string::npos)
			die("expected KEY=VALUE, got " + f);
		std::string key = f.substr(0, eq), value = f.substr(eq + 1);
		if (key == "cpu")
			cpu = to_double(value);
		else if (key == "mem")
			mem = to_double(value);
		else if (key == "swap")
			swap = to_double(value);
		else if (key == "load")
			load = to_double(value);
		else if (key == "cores")
			cores = static_cast<uint32_t>(to_int(value));
		else if (key == "fs") {
			auto p = split(value, ':');
			if (p.size() != 3)
				die("fs=MOUNT:USED:TOTAL, got " + value);
			uint64_t used = static_cast<uint64_t>(to_int(p[1])), total = static_cast<uint64_t>(to_int(p[2]));
			r.filesystems.push_back(
			    {p[0], "/dev/vda1", "ext4", total, used, total - used, 1'000'000, 10'000});
		} else if (key == "top") {
			auto p = split(value, ':');
			if (p.size() != 2)
				die("top=NAME:CPU_PERCENT, got " + value);
			top.push_back({static_cast<uint32_t>(1000 + top.size()), p[0], "www-data", to_double(p[1]),
			               uint64_t{300} << 20});
		} else
			die("unknown key " + key);
	}
	r.cpu.total = {cpu, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 100.0 - cpu};
	r.load = {load, load, load};
	const uint64_t total = uint64_t{8} << 30, swap_total = uint64_t{2} << 30;
	const auto used = static_cast<uint64_t>(static_cast<double>(total) * mem / 100);
	r.memory = {
	    total, used, total - used, total - used,
	    0,     0,    swap_total,   static_cast<uint64_t>(static_cast<double>(swap_total) * swap / 100)};
	if (!top.empty()) {
		r.top_cpu = top;
		r.top_memory = top;
	}
	if (!server.sent_host) {
		HostFacts h;
		h.hostname = name;
		h.os_name = "Debian GNU/Linux";
		h.os_version = "12";
		h.kernel = "6.1.0-18-amd64";
		h.arch = "x86_64";
		h.agent_version = "0.1.0";
		h.cpu_logical = cores;
		r.host = h;
		server.sent_host = true;
	}
	return r;
}

} // namespace

int main(int argc, char** argv) {
	std::string url;
	std::map<std::string, Server> servers;
	int64_t now_ms = 0;
	for (int i = 1; i < argc; ++i) {
		std::string a = argv[i];
		if (a == "--url" && i + 1 < argc)
			url = argv[++i];
		else if (a == "--now" && i + 1 < argc)
			now_ms = to_int(argv[++i]);
		else if (a == "--server" && i + 1 < argc) {
			std::string spec = argv[++i];
			size_t eq = spec.find('=');
			if (eq == std::string::npos)
				die("--server NAME=TOKEN_FILE");
			std::ifstream in(spec.substr(eq + 1));
			std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
			auto token = parse_token(text);
			if (!token.ok())
				die(spec + ": " + token.error().message);
			Server s;
			s.token = *token;
			s.key = derive_signing_key(*token);
			servers[spec.substr(0, eq)] = s;
		} else
			die("usage: serversan-report-driver --url URL --server NAME=TOKEN_FILE... [--now MS] < script");
	}
	if (url.empty())
		die("--url is required");
	curl_global_init(CURL_GLOBAL_DEFAULT);
	Http http(url);
	std::string answer;
	if (now_ms == 0) {
		if (http.request("GET", "/test/clock", "", {}, &answer) != 200)
			die("GET /test/clock: " + answer + " (is the server on --test-clock?)");
		size_t at = answer.find(':');
		now_ms = to_int(answer.substr(at + 1, answer.find_first_not_of("0123456789", at + 1) - at - 1));
	}

	const auto started = std::chrono::steady_clock::now();
	size_t reports = 0, moves = 0, line_no = 0;
	std::string line;
	auto post_reports = [&](const std::string& name, int64_t time_ms, int64_t step_ms, int64_t count,
	                        const std::vector<std::string>& fields) {
		auto it = servers.find(name);
		if (it == servers.end())
			die("line " + std::to_string(line_no) + ": unknown server " + name);
		ReportBatch batch;
		batch.stream = fmt::format("{:016x}", it->second.token.server_id);
		batch.agent_version = "0.1.0";
		for (int64_t i = 0; i < count; ++i)
			batch.reports.push_back(make_report(name, it->second, time_ms + i * step_ms, fields));
		std::string body = encode_batch(batch);
		SignedRequest req{"POST", "/api/v1/reports", "", "application/json", "", crypto::bytes(body)};
		std::string auth =
		    sign_request(it->second.key, it->second.token.server_id, now_ms / 1000, make_nonce(), req);
		long status = http.request("POST", "/api/v1/reports", body,
		                           {"Content-Type: application/json", "Authorization: " + auth}, &answer);
		if (status != 200)
			die(fmt::format("line {}: report of {} at {} answered {}: {}", line_no, name, time_ms, status,
			                answer));
		reports += static_cast<size_t>(count);
	};
	auto post_report = [&](const std::string& name, int64_t time_ms, const std::vector<std::string>& fields) {
		post_reports(name, time_ms, 0, 1, fields);
	};
	while (std::getline(std::cin, line)) {
		++line_no;
		std::istringstream in(line);
		std::string verb;
		if (!(in >> verb) || verb[0] == '#')
			continue;
		std::vector<std::string> words;
		for (std::string w; in >> w;)
			words.push_back(w);
		if (verb == "at" && !words.empty()) {
			int64_t to = to_int(words[0]);
			long status = http.request("POST", "/test/clock", fmt::format("{{\"set_ms\":{}}}", to),
			                           {"Content-Type: application/json"}, &answer);
			if (status != 200)
				die(fmt::format("line {}: moving the clock to {} answered {}: {}", line_no, to, status,
				                answer));
			now_ms = to;
			++moves;
			if (words.size() > 1)
				post_report(words[1], to, {words.begin() + 2, words.end()});
		} else if (verb == "backlog" && words.size() >= 4) {
			post_reports(words[0], to_int(words[1]), to_int(words[2]), to_int(words[3]),
			             {words.begin() + 4, words.end()});
		} else if (verb == "report" && words.size() >= 2) {
			post_report(words[0], to_int(words[1]), {words.begin() + 2, words.end()});
		} else {
			die("line " + std::to_string(line_no) + ": cannot read \"" + line + "\"");
		}
	}
	std::cerr << "report-driver: " << reports << " reports, " << moves << " clock moves in "
	          << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
	                                                                   started)
	                 .count()
	          << " ms\n";
	curl_global_cleanup();
	return 0;
}
