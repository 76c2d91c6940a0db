#!/usr/bin/env bash
# web/build.sh on a system whose node is too old for Vite 7 (Debian 12's 18): it installs Node 20
# from the npm registry into the project-local folder once, and builds with it first in PATH.
# Hermetic: a copy of build.sh in a temp dir, a fake old `node` and a fake `npm` that records its
# calls (its `install --prefix DIR node@20` leaves a fake Node 20 in DIR, as the real one would).
# Usage: node_fallback_test.sh SOURCE_DIR
set -euo pipefail
src=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/web" "$tmp/bin"
cp "$src/web/build.sh" "$src/web/package-lock.json" "$tmp/web/"

cat >"$tmp/bin/node" <<'EOT'
#!/bin/sh
# Debian 12's node: too old (the version check's -e exits 1 under it).
[ "$1" = "-v" ] && { echo v18.19.0; exit 0; }
exit 1
EOT
cat >"$tmp/bin/npm" <<'EOT'
#!/bin/bash
echo "npm $* | node $(node -v)" >>"$NPM_LOG"
if [ "$1" = install ] && [ "$2" = --prefix ]; then
	[ "${*: -1}" = node@20 ] || exit 3
	mkdir -p "$3/node_modules/.bin"
	cat >"$3/node_modules/.bin/node" <<'EON'
#!/bin/sh
[ "$1" = "-v" ] && { echo v20.19.1; exit 0; }
exit 0
EON
	chmod +x "$3/node_modules/.bin/node"
	exit 0
fi
[ "$1" = ci ] && { mkdir -p node_modules; exit 0; }
[ "$1" = run ] && { echo "size-check: 42 kB (fake)"; exit 0; }
exit 2
EOT
chmod +x "$tmp/bin/node" "$tmp/bin/npm"
export NPM_LOG=$tmp/npm.log PATH="$tmp/bin:$PATH"

fail() { echo "FAIL: $*" >&2; echo "--- npm calls:" >&2; cat "$NPM_LOG" >&2; exit 1; }

out=$("$tmp/web/build.sh" 2>&1) || fail "build.sh failed: $out"
echo "$out"
grep -q "installing Node 20 from the npm registry into $tmp/web/.node" <<<"$out" || fail "no install notice"
grep -q "building with Node v20.19.1" <<<"$out" || fail "did not say it builds with Node 20"
grep -q "^size-check:" <<<"$out" || fail "no size line"
[ "$(head -1 "$NPM_LOG")" = "npm install --prefix $tmp/web/.node --no-audit --no-fund --loglevel=error node@20 | node v18.19.0" ] ||
	fail "the first npm call is not the Node 20 install"
grep -q "^npm ci .* | node v20.19.1$" "$NPM_LOG" || fail "npm ci did not run with Node 20 first in PATH"
grep -q "^npm run --silent build | node v20.19.1$" "$NPM_LOG" || fail "the build did not run with Node 20"

# A second build finds the local Node 20: no second install.
out=$("$tmp/web/build.sh" 2>&1) || fail "second build.sh failed: $out"
[ "$(grep -c "^npm install" "$NPM_LOG")" = 1 ] || fail "Node 20 installed twice"
grep -q "building with Node v20.19.1" <<<"$out" || fail "second build not with Node 20"

# A node new enough takes no detour.
: >"$NPM_LOG"
printf '#!/bin/sh\n[ "$1" = "-v" ] && echo v22.1.0\nexit 0\n' >"$tmp/bin/node"
rm -rf "$tmp/web/.node"
out=$("$tmp/web/build.sh" 2>&1) || fail "build with Node 22 failed: $out"
! grep -q "^npm install" "$NPM_LOG" || fail "installed Node 20 beside a new enough node"
[ ! -e "$tmp/web/.node" ] || fail "made the local folder for nothing"
echo "PASS: an old node gets a local Node 20 once; a new one is used as it is"
