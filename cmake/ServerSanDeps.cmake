# Every dependency is a Debian 12 package; deps.sh installs them. Quirks are noted per package.
find_package(Threads REQUIRED)

# fmt is used header-only everywhere: Debian ships no libfmt.a, and the agent must link statically.
find_path(FMT_INCLUDE_DIR fmt/format.h REQUIRED)
add_library(serversan_fmt INTERFACE)
target_compile_definitions(serversan_fmt INTERFACE FMT_HEADER_ONLY=1)
# The agent's fmt: a fixed thousands separator instead of std::locale, whose facets (money, time,
# messages, wide characters, iconv) are about 0.45 MB of the static agent (issue 11: 2 MB). Only
# for code that never formats dates with fmt (fmt/chrono needs the locale): the agent and the
# agent's copy of the core libraries. Every translation unit of a binary must agree on it (fmt's
# inline functions differ), so it is an interface definition: whatever links the agent's libraries
# is compiled with it.
add_library(serversan_fmt_agent INTERFACE)
target_link_libraries(serversan_fmt_agent INTERFACE serversan_fmt)
target_compile_definitions(serversan_fmt_agent INTERFACE FMT_STATIC_THOUSANDS_SEPARATOR=0x27
	FMT_USE_LONG_DOUBLE=0 FMT_USE_FLOAT=0 FMT_USE_INT128=0)

# toml++ is used header-only in exactly one translation unit (core/config.cpp), so the agent does
# not depend on Debian's shared libtomlplusplus.
find_path(TOMLPP_INCLUDE_DIR toml++/toml.h REQUIRED)

# mbedTLS 2.28 (agent TLS and crypto): static archives, no CMake config in Debian.
find_path(MBEDTLS_INCLUDE_DIR mbedtls/ssl.h REQUIRED)
find_library(MBEDTLS_LIB NAMES libmbedtls.a REQUIRED)
find_library(MBEDX509_LIB NAMES libmbedx509.a REQUIRED)
find_library(MBEDCRYPTO_LIB NAMES libmbedcrypto.a REQUIRED)
add_library(serversan_mbedtls INTERFACE)
target_include_directories(serversan_mbedtls SYSTEM INTERFACE ${MBEDTLS_INCLUDE_DIR})
target_link_libraries(serversan_mbedtls INTERFACE ${MBEDTLS_LIB} ${MBEDX509_LIB} ${MBEDCRYPTO_LIB})

find_package(Boost 1.74 REQUIRED)
find_package(CLI11 REQUIRED)

if(SERVERSAN_BUILD_SERVER)
	find_package(OpenSSL 3 REQUIRED)
	find_package(simdjson REQUIRED)
	find_package(SQLite3 REQUIRED)
	find_package(spdlog REQUIRED)
	find_package(nlohmann_json 3.11 REQUIRED)
	find_package(ZLIB REQUIRED)
	# The bot's Bot API client (libcurl4-openssl-dev): proxies, keep-alive, TLS via OpenSSL.
	find_package(CURL REQUIRED)
	# The bot's times in each user's IANA zone (libhowardhinnant-date-dev; libstdc++ 12 has no tzdb).
	# date::date-tz reads /usr/share/zoneinfo (tzdata) at run time: USE_OS_TZDB=1.
	find_package(date REQUIRED)
	# The charts (libcairo2-dev): PNG in memory, text through FreeType/fontconfig with the
	# DejaVu fonts (fonts-dejavu-core).
	find_package(PkgConfig REQUIRED)
	pkg_check_modules(CAIRO REQUIRED IMPORTED_TARGET cairo)
endif()
