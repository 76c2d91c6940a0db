#!/usr/bin/env bash
# The install one-liner against a real server: the server serves install.sh and the agent build
# from its downloads directory, install.sh (fetched from the server, run by POSIX sh) downloads the
# agent, checks it against the published SHA-256 and installs it under --root. Paths outside the
# two download names are refused, and without a directory the server says how to configure one.
source "$(dirname "$0")/lib.sh"
SRC=$1
SERVER=$2
AGENT=$3
SH=$(command -v dash || command -v sh)
ARCH=$(uname -m)
make_tmp
PORT=$(free_port)
URL=http://127.0.0.1:$PORT
mkdir -p "$TMP/dl"
cp "$SRC/install.sh" "$TMP/dl/install.sh"
cp "$AGENT" "$TMP/dl/serversan-agent-$ARCH"

"$SERVER" --data-dir "$TMP/data" server add --name dl-host >"$TMP/add" || fail "server add failed"
TOKEN=$(grep -o 'ssa1_[A-Za-z0-9_]*' "$TMP/add" | head -1)
[ -n "$TOKEN" ] || fail "no token in: $(cat "$TMP/add")"
SERVERSAN_SERVER_INGEST_DOWNLOADS_DIR="$TMP/dl" "$SERVER" --data-dir "$TMP/data" serve --listen "127.0.0.1:$PORT" \
	2>"$TMP/server.log" &
PIDS+=($!)
wait_for 10 curl -fsS "$URL/healthz" || fail "server did not start: $(cat "$TMP/server.log")"

# The one-liner as `server add` prints it, with sudo and the real prefix swapped for the test's.
grep -qF "curl -fsSL $URL/install.sh | sudo sh -s -- $TOKEN $URL" "$TMP/add" ||
	grep -q "install.sh | sudo sh -s --" "$TMP/add" || fail "server add prints no install one-liner: $(cat "$TMP/add")"
curl -fsSL "$URL/install.sh" | "$SH" -s -- --root "$TMP/root" --no-start "$TOKEN" "$URL" >"$TMP/install.log" 2>&1 ||
	fail "install through the server failed: $(cat "$TMP/install.log")"
cat "$TMP/install.log"
grep -q "checksum ok" "$TMP/install.log" || fail "install.sh did not check the download"
cmp -s "$TMP/root/usr/local/bin/serversan-agent" "$AGENT" || fail "the installed agent is not the served build"
[ "$(cat "$TMP/root/etc/serversan/auth.log")" = "$TOKEN" ] || fail "token file content"

# The checksum line is sha256sum's; HEAD gives the length without the body.
[ "$(curl -fsS "$URL/download/serversan-agent-$ARCH.sha256")" = "$(cd "$TMP/dl" && sha256sum "serversan-agent-$ARCH")" ] ||
	fail "checksum line differs from sha256sum"
len=$(curl -fsSI "$URL/download/serversan-agent-$ARCH" | tr -d '\r' | awk -F': ' 'tolower($1) == "content-length" {print $2}')
[ "$len" = "$(stat -c %s "$AGENT")" ] || fail "HEAD Content-Length $len"

status() { curl -s -o /dev/null -w '%{http_code}' --path-as-is "$@"; }
for p in /download/serversan-agent-nope9 /download/install.sh /download/../install.sh /download/serversan.db \
	"/download/serversan-agent-$ARCH/" /download/; do
	[ "$(status "$URL$p")" = 404 ] || fail "$p was not refused with 404"
done
[ "$(status -X POST "$URL/download/serversan-agent-$ARCH")" = 405 ] || fail "POST to a download was not 405"

# A failed download never installs anything: the agent missing on the server.
rm "$TMP/dl/serversan-agent-$ARCH"
if curl -fsSL "$URL/install.sh" | "$SH" -s -- --root "$TMP/root2" --no-start "$TOKEN" "$URL" >"$TMP/fail.log" 2>&1; then
	fail "install succeeded without an agent on the server"
fi
grep -q "cannot download the agent" "$TMP/fail.log" || fail "unclear failure: $(cat "$TMP/fail.log")"
[ ! -e "$TMP/root2/usr/local/bin/serversan-agent" ] || fail "something was installed"
echo "PASS"
