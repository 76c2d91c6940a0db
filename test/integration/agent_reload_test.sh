#!/usr/bin/env bash
# SIGHUP reloads /etc/serversan/agent.toml (here a file given with --config): a good file takes
# effect (log level, interval), a bad one is logged and the running configuration kept; the
# token file must not be readable by others; SIGTERM stops the daemon at once.
source "$(dirname "$0")/lib.sh"
AGENT=$1
make_tmp
PORT=$(free_port)

cat >"$TMP/server.py" <<'EOF'
import http.server, json, sys, time
port, tmp = int(sys.argv[1]), sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        with open(tmp + "/requests", "a") as f:
            f.write("%f %d\n" % (time.time(), len(body["reports"])))
        out = json.dumps({"status": "ok", "accepted": len(body["reports"])}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
EOF
python3 "$TMP/server.py" "$PORT" "$TMP" 2>"$TMP/server.log" &
PIDS+=($!)
wait_for 10 python3 -c "import socket; socket.create_connection(('127.0.0.1', $PORT))" ||
	fail "test server did not start: $(cat "$TMP/server.log")"

python3 - >"$TMP/token" <<'EOF'
import secrets, zlib
alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
raw = "ssa1_1_" + "".join(secrets.choice(alphabet) for _ in range(43))
crc, digits = zlib.crc32(raw.encode()), ""
for _ in range(6):
    digits = alphabet[crc % 62] + digits
    crc //= 62
print(raw + digits)
EOF

config() { # interval log_level [extra line]
	cat >"$TMP/agent.toml" <<EOT
interval = $1
jitter = 0
log_level = "$2"
token_file = "$TMP/token"
state_file = "$TMP/agent/agent.state"
${3:-}
[server]
url = "http://127.0.0.1:$PORT/"
EOT
}
requests() { cat "$TMP/requests" 2>/dev/null | wc -l; }
at_least() { [ "$(requests)" -ge "$1" ]; }

# A token file readable by others stops the agent before it sends anything.
chmod 644 "$TMP/token"
config 0.2 info
if "$AGENT" --config "$TMP/agent.toml" --once 2>"$TMP/open.log"; then
	fail "agent accepted a world-readable token file"
fi
grep -q "UNPROTECTED TOKEN FILE" "$TMP/open.log" || fail "no clear message: $(cat "$TMP/open.log")"
[ "$(requests)" = 0 ] || fail "something was sent with an unprotected token"
chmod 600 "$TMP/token"

"$AGENT" --config "$TMP/agent.toml" 2>"$TMP/agent.log" &
AGENT_PID=$!
PIDS+=($AGENT_PID)
wait_for 10 at_least 5 || fail "no reports: $(cat "$TMP/agent.log")"
grep -q "every 0.2 s" "$TMP/agent.log" || fail "start line: $(cat "$TMP/agent.log")"

# A good file: debug logging, and reports every second instead of every 0.2 s.
config 1 debug
kill -HUP "$AGENT_PID"
wait_for 5 grep -q "configuration reloaded" "$TMP/agent.log" || fail "no reload: $(cat "$TMP/agent.log")"
wait_for 5 grep -q " debug " "$TMP/agent.log" || fail "log level not applied: $(cat "$TMP/agent.log")"
before=$(requests)
sleep 3
slow=$(($(requests) - before))
[ "$slow" -le 4 ] || fail "$slow reports in 3 s after moving to a 1 s interval"
[ "$slow" -ge 2 ] || fail "only $slow reports in 3 s at a 1 s interval"

# A bad file (a typo in a value, then a plain-http URL elsewhere): logged, the old one kept.
config '"soon"' debug
kill -HUP "$AGENT_PID"
wait_for 5 grep -q "reload failed" "$TMP/agent.log" || fail "bad file not reported: $(cat "$TMP/agent.log")"
grep "reload failed" "$TMP/agent.log" | grep -q "agent.toml:1" || fail "the message does not say where"
sed -i "s|url = .*|url = \"http://192.0.2.1:8080/\"|" "$TMP/agent.toml"
sed -i 's|^interval = .*|interval = 1|' "$TMP/agent.toml"
kill -HUP "$AGENT_PID"
wait_for 5 grep -q "unencrypted" "$TMP/agent.log" || fail "plain-http reload not refused: $(cat "$TMP/agent.log")"
before=$(requests)
sleep 2.5
kill -0 "$AGENT_PID" || fail "the agent died on a bad configuration"
[ "$(requests)" -gt "$before" ] || fail "the agent stopped reporting after a bad reload"

START=$(date +%s%N)
kill -TERM "$AGENT_PID"
wait "$AGENT_PID" || fail "non-zero exit after SIGTERM"
MS=$((($(date +%s%N) - START) / 1000000))
[ "$MS" -lt 1000 ] || fail "SIGTERM took $MS ms"
echo "PASS"
