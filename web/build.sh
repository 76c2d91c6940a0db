#!/usr/bin/env bash
# Builds the dashboard into web/dist (what serversan-server serves). Installs the npm packages
# from the committed lock first when node_modules is missing or the lock changed since. Quiet when
# all is well apart from the size line. Usage: web/build.sh
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	echo "web/build.sh: node and npm are missing; run ./deps.sh" >&2
	exit 1
fi
# Vite 7 needs Node 20.19 or newer.
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)'; then
	echo "web/build.sh: Node $(node -v) is too old for Vite 7 (20.19 or newer needed)" >&2
	exit 1
fi

stamp=node_modules/.serversan-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
	npm ci --no-audit --no-fund --loglevel=error >/dev/null
	echo "$want" >"$stamp"
fi
if ! out=$(npm run --silent build 2>&1); then
	echo "$out" >&2
	echo "web/build.sh: the dashboard did not build" >&2
	exit 1
fi
grep '^size-check:' <<<"$out"
