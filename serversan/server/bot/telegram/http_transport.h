// HTTP for the Bot API client over one libcurl easy handle, reused for every request so that the
// connection stays open (keep-alive) and TLS sessions are resumed. Not thread-safe: one transport
// per thread. TLS verification is always on; a CA file can be given (tests with their own CA).
// Error texts never contain `secret` (the bot token, which is in every URL): they are built from
// curl's error code and its error buffer, with the secret scrubbed out of the latter.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "serversan/core/result.h"

namespace serversan::bot::telegram {

struct HttpOptions {
	std::string proxy;   // http://, https:// or socks5:// URL; empty = none (curl's env vars are ignored)
	std::string ca_file; // PEM bundle instead of the system's; empty = system
	std::chrono::milliseconds connect_timeout{10'000};
	// Set (by another thread): a call in flight, a long poll too, ends within about a second with
	// a network error, so that shutdown never waits for a long poll's timeout.
	const std::atomic<bool>* cancel = nullptr;
};

struct HttpReply {
	long status = 0;
	std::string content_type;
	std::string body;
};

struct FormField {
	std::string name;
	std::string value;        // the text, or the file's bytes
	std::string filename;     // non-empty: sent as a file part
	std::string content_type; // for file parts
};

class HttpTransport {
public:
	HttpTransport(HttpOptions options, std::string secret);
	~HttpTransport();
	HttpTransport(const HttpTransport&) = delete;
	HttpTransport& operator=(const HttpTransport&) = delete;

	Result<HttpReply> post_json(const std::string& url, const std::string& body,
	                            std::chrono::milliseconds timeout);
	Result<HttpReply> post_form(const std::string& url, const std::vector<FormField>& fields,
	                            std::chrono::milliseconds timeout);
	// Replaces every copy of the secret (also percent-encoded) in `text`.
	std::string scrub(std::string text) const;

private:
	struct Impl;
	std::unique_ptr<Impl> impl_;
};

} // namespace serversan::bot::telegram
