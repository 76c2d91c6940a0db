#include "serversan/server/bot/telegram/http_transport.h"

#include <curl/curl.h>
#include <mutex>

namespace serversan::bot::telegram {

struct HttpTransport::Impl {
	CURL* curl = nullptr;
	curl_slist* json_headers = nullptr;
	curl_slist* form_headers = nullptr;
	std::string secret;
	char error_buffer[CURL_ERROR_SIZE] = {};
	std::string body;

	Result<HttpReply> perform(const std::string& url, std::chrono::milliseconds timeout);
};

namespace {

size_t append_body(char* data, size_t size, size_t n, void* out) {
	static_cast<std::string*>(out)->append(data, size * n);
	return size * n;
}

int cancelled(void* flag, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
	return static_cast<const std::atomic<bool>*>(flag)->load() ? 1 : 0;
}

void replace_all(std::string& text, const std::string& what, const std::string& with) {
	if (what.empty())
		return;
	for (size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += with.size())
		text.replace(at, what.size(), with);
}

} // namespace

HttpTransport::HttpTransport(HttpOptions options, std::string secret) : impl_(std::make_unique<Impl>()) {
	static std::once_flag global_init;
	std::call_once(global_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
	CURL* c = impl_->curl = curl_easy_init();
	if (!c)
		throw std::runtime_error("curl_easy_init failed");
	impl_->secret = std::move(secret);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, impl_->error_buffer);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, append_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &impl_->body);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L); // the Bot API never redirects
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	// An explicit proxy, or explicitly none: an http_proxy variable must not silently reroute.
	curl_easy_setopt(c, CURLOPT_PROXY, options.proxy.c_str());
	if (!options.ca_file.empty())
		curl_easy_setopt(c, CURLOPT_CAINFO, options.ca_file.c_str());
	if (options.cancel) {
		// curl calls this at least once a second, also while a long poll waits.
		curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, cancelled);
		curl_easy_setopt(c, CURLOPT_XFERINFODATA, options.cancel);
	}
	impl_->json_headers = curl_slist_append(nullptr, "Content-Type: application/json");
	// Without this curl waits up to a second for "100 Continue" before a large upload.
	impl_->form_headers = curl_slist_append(nullptr, "Expect:");
}

HttpTransport::~HttpTransport() {
	curl_easy_cleanup(impl_->curl);
	curl_slist_free_all(impl_->json_headers);
	curl_slist_free_all(impl_->form_headers);
}

std::string HttpTransport::scrub(std::string text) const {
	const std::string& s = impl_->secret;
	replace_all(text, s, "<token>");
	std::string encoded = s;
	replace_all(encoded, ":", "%3A");
	replace_all(text, encoded, "<token>");
	encoded = s;
	replace_all(encoded, ":", "%3a");
	replace_all(text, encoded, "<token>");
	return text;
}

Result<HttpReply> HttpTransport::Impl::perform(const std::string& url, std::chrono::milliseconds timeout) {
	body.clear();
	error_buffer[0] = '\0';
	curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
	CURLcode rc = curl_easy_perform(curl);
	if (rc != CURLE_OK) {
		std::string why = curl_easy_strerror(rc);
		if (error_buffer[0])
			why += std::string(" (") + error_buffer + ")";
		return Err(why);
	}
	HttpReply reply;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply.status);
	char* type = nullptr;
	curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
	if (type)
		reply.content_type = type;
	reply.body = std::move(body);
	return reply;
}

Result<HttpReply> HttpTransport::post_json(const std::string& url, const std::string& body,
                                           std::chrono::milliseconds timeout) {
	CURL* c = impl_->curl;
	curl_easy_setopt(c, CURLOPT_MIMEPOST, nullptr);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, impl_->json_headers);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
	curl_easy_setopt(c, CURLOPT_COPYPOSTFIELDS, body.c_str());
	auto r = impl_->perform(url, timeout);
	if (!r)
		return Err(scrub(r.error().message));
	return r;
}

Result<HttpReply> HttpTransport::post_form(const std::string& url, const std::vector<FormField>& fields,
                                           std::chrono::milliseconds timeout) {
	CURL* c = impl_->curl;
	curl_mime* mime = curl_mime_init(c);
	for (const FormField& f : fields) {
		curl_mimepart* part = curl_mime_addpart(mime);
		curl_mime_name(part, f.name.c_str());
		curl_mime_data(part, f.value.data(), f.value.size());
		if (!f.filename.empty()) {
			curl_mime_filename(part, f.filename.c_str());
			curl_mime_type(part, f.content_type.c_str());
		}
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, impl_->form_headers);
	curl_easy_setopt(c, CURLOPT_MIMEPOST, mime);
	auto r = impl_->perform(url, timeout);
	curl_easy_setopt(c, CURLOPT_MIMEPOST, nullptr);
	curl_mime_free(mime);
	if (!r)
		return Err(scrub(r.error().message));
	return r;
}

} // namespace serversan::bot::telegram
