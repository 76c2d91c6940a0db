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
# Vite 7 needs Node 20.19 or newer. An older one (Debian 12 has 18) stays for npm itself, and a
# Node 20 from the npm registry (the package "node", which fetches the platform's build) is
# installed once into a project-local folder and put first in PATH for the rest of the build.
node_ok() {
	node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)' 2>/dev/null
}
if ! node_ok; then
	local_node=${SERVERSAN_LOCAL_NODE:-$PWD/.node}
	old=$(node -v 2>/dev/null || echo unknown)
	PATH="$local_node/node_modules/.bin:$PATH"
	if ! node_ok; then
		echo "web/build.sh: Node $old is older than Vite 7 needs (20.19); installing Node 20 from the npm registry into $local_node" >&2
		mkdir -p "$local_node"
		# hash -r: the shell remembers where it found the old node.
		if ! npm install --prefix "$local_node" --no-audit --no-fund --loglevel=error node@20 >/dev/null ||
			! hash -r || ! node_ok; then
			echo "web/build.sh: could not install Node 20 into $local_node; install Node 20.19 or newer (https://nodejs.org)" >&2
			exit 1
		fi
	fi
	echo "web/build.sh: building with Node $(node -v) from $local_node (the system's is $old)" >&2
	export PATH
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
