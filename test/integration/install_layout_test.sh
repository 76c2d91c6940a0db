#!/usr/bin/env bash
# `cmake --install` into a temp prefix: bin/serversan-server, bin/serversan-agent and the built
# dashboard in share/serversan/web, where the installed server finds it without web.root: GET /
# answers the dashboard's index.html.
# Usage: install_layout_test.sh BUILD_DIR SOURCE_DIR
source "$(dirname "$0")/lib.sh"
BUILD=$1 SRC=$2
[ -f "$SRC/web/dist/index.html" ] || fail "web/dist is not built (web/build.sh; CTest's web.build runs it first)"
make_tmp
PREFIX=$TMP/prefix
cmake --install "$BUILD" --prefix "$PREFIX" >"$TMP/install.log" 2>&1 || fail "cmake --install: $(cat "$TMP/install.log")"
for f in bin/serversan-server bin/serversan-agent share/serversan/web/index.html; do
	[ -e "$PREFIX/$f" ] || fail "$f not installed: $(cat "$TMP/install.log")"
done
[ -x "$PREFIX/bin/serversan-server" ] || fail "serversan-server is not executable"
ls "$PREFIX/share/serversan/web/assets/"*.js >/dev/null 2>&1 || fail "no scripts under share/serversan/web/assets"

# The installed server, run from anywhere (not the source tree), with no web.root.
SERVER=$PREFIX/bin/serversan-server
PORT=$(free_port)
cd "$TMP"
env -u SERVERSAN_SERVER_WEB_ROOT "$SERVER" --data-dir "$TMP/data" serve --roles ingest \
	--listen "127.0.0.1:$PORT" 2>>"$TMP/server.log" &
PIDS+=($!)
wait_for 10 curl -fsS "http://127.0.0.1:$PORT/healthz" || fail "server did not come up: $(cat "$TMP/server.log")"
grep -q "web: serving .* from $PREFIX/.*share/serversan/web" "$TMP/server.log" ||
	fail "the server did not take the installed site: $(cat "$TMP/server.log")"
curl -fsS "http://127.0.0.1:$PORT/" >"$TMP/index.html" || fail "GET / failed"
cmp -s "$TMP/index.html" "$PREFIX/share/serversan/web/index.html" || fail "GET / is not the installed index.html"
curl -fsS "http://127.0.0.1:$PORT/servers/1" | cmp -s - "$TMP/index.html" || fail "a client route is not index.html"
echo "PASS: installed into $PREFIX; the installed server serves its dashboard ($(du -sk "$PREFIX/share/serversan/web" | cut -f1) kB)"
