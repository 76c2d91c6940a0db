// Webhook deliveries go out through libcurl: time-outs come for free and Beast stays in one file.
#include <curl/curl.h>

#include "test/fake_telegram/http_server.h"

namespace serversan::fake_telegram {

int post_json(const std::string& url, const std::vector<std::string>& headers, const std::string& body,
              std::chrono::milliseconds timeout, std::string* error) {
	CURL* curl = curl_easy_init();
	if (!curl) {
		*error = "curl_easy_init failed";
		return -1;
	}
	curl_slist* list = curl_slist_append(nullptr, "Content-Type: application/json");
	for (const std::string& h : headers)
		list = curl_slist_append(list, h.c_str());
	curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(
	    curl, CURLOPT_WRITEFUNCTION, +[](char*, size_t size, size_t n, void*) { return size * n; });
	CURLcode rc = curl_easy_perform(curl);
	long status = -1;
	if (rc == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	else
		*error = curl_easy_strerror(rc);
	curl_slist_free_all(list);
	curl_easy_cleanup(curl);
	return static_cast<int>(status);
}

} // namespace serversan::fake_telegram
