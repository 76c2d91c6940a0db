#include "test/unit/bot/raw_http.h"

#include <curl/curl.h>

namespace serversan::test {

RawAnswer raw_http(const std::string& verb, const std::string& url, const std::string& content_type,
                   const std::string& body) {
	RawAnswer a;
	CURL* curl = curl_easy_init();
	curl_slist* headers = nullptr;
	if (!content_type.empty())
		headers = curl_slist_append(headers, ("Content-Type: " + content_type).c_str());
	curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, verb.c_str());
	if (verb == "POST") {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
	}
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &a.body);
	curl_easy_setopt(
	    curl, CURLOPT_WRITEFUNCTION, +[](char* p, size_t size, size_t n, void* out) {
		    static_cast<std::string*>(out)->append(p, size * n);
		    return size * n;
	    });
	if (curl_easy_perform(curl) == CURLE_OK)
		curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &a.status);
	curl_slist_free_all(headers);
	curl_easy_cleanup(curl);
	return a;
}

} // namespace serversan::test
