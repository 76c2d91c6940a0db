#!/usr/bin/env bash
# Installs the Debian 12 packages ServerSan needs to build, test and run. Idempotent and quiet:
# when everything is present it prints nothing and takes well under a second.
# Usage: ./deps.sh          (build + test + run dependencies)
# clang-14 and libclang-rt-14-dev build the fuzz targets under test/fuzz; the latter ships libFuzzer
# and the ASan/UBSan runtimes and is only a recommendation of clang's packages, so it is named here.
set -euo pipefail

PACKAGES=(
	build-essential cmake ninja-build pkg-config git ccache
	libboost-dev libssl-dev libmbedtls-dev zlib1g-dev libcurl4-openssl-dev
	nlohmann-json3-dev libsimdjson-dev libsqlite3-dev sqlite3
	libfmt-dev libspdlog-dev libcli11-dev libtomlplusplus-dev
	libgtest-dev libgmock-dev libbenchmark-dev
	libhowardhinnant-date-dev tzdata
	libcairo2-dev fonts-dejavu-core fonts-wqy-microhei
	clang-format curl ca-certificates python3 openssl procps dash
	clang-14 libclang-rt-14-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing+=("$p")
	fi
done
# The dashboard (web/): node and npm build it, Chromium runs its browser tests. Checked by
# command, not by package: a nodejs package that bundles npm (NodeSource's) satisfies both, and
# Debian's npm package would conflict with it. Debian 12's nodejs (18) is older than Vite 7 needs:
# web/build.sh then fetches a project-local Node 20 through npm by itself (docs/web.md).
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then
		SUDO="sudo"
	else
		echo "deps.sh: missing packages (${missing[*]}) and not root; run as root or install sudo" >&2
		exit 1
	fi
fi
echo "deps.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Update the package lists once per hour at most: a fresh machine has none, a warm one is fine.
lists=$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -60 2>/dev/null | head -n1)
if [ -z "$lists" ]; then
	$SUDO apt-get update -qq >/dev/null
fi
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
