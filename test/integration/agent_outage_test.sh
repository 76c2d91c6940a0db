#!/usr/bin/env bash
# The agent binary over HTTPS (its mbedTLS client, a CA file made here) against a recording
# server written from docs/protocol.md: while the server answers 503 the agent backs off (no busy
# loop) and keeps its reports; once it answers 200, every report arrives exactly once, in
# sequence order, with the time it was measured (not the time it was sent). Then a plain-http URL
# to another host is refused, and SIGTERM ends the daemon within a second.
source "$(dirname "$0")/lib.sh"
AGENT=$1
command -v openssl >/dev/null || { echo "SKIP: no openssl command"; exit 0; }
make_tmp
PORT=$(free_port)

# A CA and a server certificate for 127.0.0.1, made now (no key is committed).
ec="-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
openssl req -x509 $ec -keyout "$TMP/ca.key" -out "$TMP/ca.pem" -days 2 -subj "/CN=Outage Test CA" \
	-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
openssl req $ec -keyout "$TMP/server.key" -out "$TMP/server.csr" -subj "/CN=127.0.0.1" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >"$TMP/ext"
openssl x509 -req -in "$TMP/server.csr" -CA "$TMP/ca.pem" -CAkey "$TMP/ca.key" -CAcreateserial -days 2 \
	-extfile "$TMP/ext" -out "$TMP/server.pem" 2>/dev/null

echo down >"$TMP/mode"
cat >"$TMP/server.py" <<'EOF'
import http.server, json, ssl, sys, time
port, tmp = int(sys.argv[1]), sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        mode = open(tmp + "/mode").read().strip()
        now = int(time.time() * 1000)
        with open(tmp + "/requests", "a") as f:
            f.write("%d %s %s\n" % (now, mode, self.headers.get("Authorization", "")[:15]))
        if mode == "down":
            out, status = b'{"error":"unavailable","reason":"test outage"}', 503
        else:
            reports = json.loads(body)["reports"]
            with open(tmp + "/stored", "a") as f:
                for r in reports:
                    f.write("%d %d %d\n" % (r["seq"], r["time_ms"], now))
            out, status = json.dumps({"status": "ok", "accepted": len(reports), "duplicates": 0,
                                      "stale": 0, "server_time_ms": now}).encode(), 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-ServerSan-Time", str(now))
        if status == 503:
            self.send_header("Retry-After", "1")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
srv = http.server.ThreadingHTTPServer(("127.0.0.1", port), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(tmp + "/server.pem", tmp + "/server.key")
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
open(tmp + "/ready", "w").close()
srv.serve_forever()
EOF
python3 "$TMP/server.py" "$PORT" "$TMP" 2>"$TMP/server.log" &
PIDS+=($!)
wait_for 10 test -e "$TMP/ready" || fail "test server did not start: $(cat "$TMP/server.log")"

# Any well-formed token works: this server does not check signatures.
TOKEN=$(python3 - <<'EOF'
import secrets, zlib
alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
raw = "ssa1_1_" + "".join(secrets.choice(alphabet) for _ in range(43))
crc, digits = zlib.crc32(raw.encode()), ""
for _ in range(6):
    digits = alphabet[crc % 62] + digits
    crc //= 62
print(raw + digits)
EOF
)
printf '%s\n' "$TOKEN" >"$TMP/token"
chmod 600 "$TMP/token"

"$AGENT" --server "https://127.0.0.1:$PORT/" --ca-file "$TMP/ca.pem" --token-file "$TMP/token" \
	--state-file "$TMP/agent/agent.state" --interval 0.2 --jitter 0 --timeout 2 2>"$TMP/agent.log" &
AGENT_PID=$!
PIDS+=($AGENT_PID)
sleep 3.5
DOWN_REQUESTS=$(grep -c ' down ' "$TMP/requests" || true)
echo up >"$TMP/mode"
UP_AT=$(($(date +%s%N) / 1000000))
# The back-off is at most 10 s in a young outage (docs/agent.md); allow for that, then a little.
wait_for 12 test -s "$TMP/stored" || fail "nothing delivered 12 s after the server came back"
RESUMED_MS=$(($(date +%s%N) / 1000000 - UP_AT))
sleep 1

START=$(date +%s%N)
kill -TERM "$AGENT_PID"
wait "$AGENT_PID" || fail "agent exited non-zero after SIGTERM: $(tail -5 "$TMP/agent.log")"
STOPPED_MS=$((($(date +%s%N) - START) / 1000000))
echo "agent stopped ${STOPPED_MS} ms after SIGTERM; $DOWN_REQUESTS attempts during a 3.5 s outage; resumed ${RESUMED_MS} ms after it"
[ "$STOPPED_MS" -lt 1000 ] || fail "SIGTERM took ${STOPPED_MS} ms"
[ "$DOWN_REQUESTS" -ge 1 ] || fail "the agent never tried during the outage"
[ "$DOWN_REQUESTS" -le 4 ] || fail "$DOWN_REQUESTS attempts in 3.5 s: the agent does not back off"
grep -q "cannot deliver\|server answered HTTP 503" "$TMP/agent.log" || fail "no outage log line: $(cat "$TMP/agent.log")"

python3 - "$TMP/stored" "$UP_AT" <<'EOF' || fail "delivery check failed (agent log: $(tail -20 "$TMP/agent.log"))"
import sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1])]
up_at = int(sys.argv[2])
seqs = [r[0] for r in rows]
assert seqs == sorted(seqs), "out of order: %s" % seqs
assert len(seqs) == len(set(seqs)), "duplicates: %s" % seqs
assert seqs == list(range(1, len(seqs) + 1)), "gaps: %s" % seqs
times = [r[1] for r in rows]
assert times == sorted(times), "sample times not increasing"
backfilled = [r for r in rows if r[1] < up_at - 1000]
assert len(backfilled) >= 10, "only %d reports were measured during the outage" % len(backfilled)
for seq, measured, received in backfilled:
    assert received - measured >= 500, "seq %d carries its send time, not its sample time" % seq
print("%d reports, %d measured during the outage, delivered once each, in order" % (len(rows), len(backfilled)))
EOF

# Plain http to another host is refused before anything is sent.
if "$AGENT" --server "http://192.0.2.1:8080/" --token-file "$TMP/token" --state-file "$TMP/s2" --once \
	2>"$TMP/plain.log"; then
	fail "plain http to another host was accepted"
fi
grep -q "unencrypted" "$TMP/plain.log" || fail "no explanation: $(cat "$TMP/plain.log")"
echo "PASS"
