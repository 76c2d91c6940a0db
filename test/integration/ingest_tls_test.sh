#!/usr/bin/env bash
# The real server over HTTPS with a certificate made here (never a committed key), and an
# independent client: Python's ssl, hmac and hashlib, written from docs/protocol.md alone (the
# "independent client" of reliability.md's bar). A signed report gets 200 and is stored; the
# identical request replayed gets 401; forged ones get 401 and store nothing; plain HTTP to the
# TLS port gets no HTTP answer; /metrics counts it all; a half TLS configuration refuses to start.
source "$(dirname "$0")/lib.sh"
SERVER=$1
make_tmp
PORT=$(free_port)
URL=https://127.0.0.1:$PORT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>"$TMP/openssl.log" ||
	fail "openssl: $(cat "$TMP/openssl.log")"
chmod 600 "$TMP/key.pem"

"$SERVER" --data-dir "$TMP/data" server add --name tls-host --token-only >"$TMP/token"

# Half a TLS configuration is a start-up error, not a silent fallback to plain HTTP.
if SERVERSAN_SERVER_INGEST_TLS_CERT="$TMP/cert.pem" "$SERVER" --data-dir "$TMP/data" serve \
	--listen "127.0.0.1:$PORT" 2>"$TMP/half.log"; then
	fail "server started with a certificate but no key"
fi
grep -q 'tls_key' "$TMP/half.log" || fail "half TLS config: unclear message: $(cat "$TMP/half.log")"

SERVERSAN_SERVER_INGEST_TLS_CERT="$TMP/cert.pem" SERVERSAN_SERVER_INGEST_TLS_KEY="$TMP/key.pem" \
	"$SERVER" --data-dir "$TMP/data" serve --listen "127.0.0.1:$PORT" 2>"$TMP/server.log" &
SERVER_PID=$!
PIDS+=("$SERVER_PID")
wait_for 10 curl -fsS --cacert "$TMP/cert.pem" "$URL/healthz" || fail "server did not come up: $(cat "$TMP/server.log")"

# Plain HTTP to the HTTPS port: no HTTP answer.
if curl -fsS --max-time 5 "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then
	fail "plain HTTP was answered on the TLS port"
fi

python3 - "$URL" "$TMP/cert.pem" "$(cat "$TMP/token")" <<'PY' || fail "python client: see above"
import hashlib, hmac, http.client, json, os, ssl, sys, time, urllib.parse

url, cafile, token = sys.argv[1], sys.argv[2], sys.argv[3].strip()
# ssa1_<id>_<43 base62 secret><6 base62 checksum>
prefix, server_id, rest = token.split("_")
assert prefix == "ssa1" and len(rest) == 49, "unexpected token shape"
secret = rest[:43]
key = hmac.new(secret.encode(), f"SS1 signing key\n{server_id}".encode(), hashlib.sha256).digest()

ctx = ssl.create_default_context(cafile=cafile)  # verification on, against the test certificate
host = urllib.parse.urlparse(url)
conn = http.client.HTTPSConnection(host.hostname, host.port, context=ctx, timeout=10)


def sign(body, ts=None, nonce=None, signing_key=key, sid=server_id):
    ts = int(time.time()) if ts is None else ts
    nonce = nonce or os.urandom(16).hex()
    canonical = "\n".join(["SS1-HMAC-SHA256", str(sid), "POST", "/api/v1/reports", "", str(ts), nonce,
                           "application/json", "", hashlib.sha256(body).hexdigest()])
    sig = hmac.new(signing_key, canonical.encode(), hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json",
            "Authorization": f"SS1-HMAC-SHA256 Server={sid}, Timestamp={ts}, Nonce={nonce}, Signature={sig}"}


def post(body, headers):
    conn.request("POST", "/api/v1/reports", body=body, headers=headers)
    r = conn.getresponse()
    return r.status, r.read(), r


def report(seq):
    return json.dumps({"protocol": 1, "stream": "0f1e2d3c4b5a6978", "agent_version": "py-0",
                       "reports": [{"seq": seq, "time_ms": int(time.time() * 1000),
                                    "memory": {"total": 25769803776}}]}).encode()


def expect(what, got, want):
    if got != want:
        sys.exit(f"{what}: got {got}, want {want}")


body = report(1)
headers = sign(body)
status, answer, r = post(body, headers)
expect("signed report", status, 200)
doc = json.loads(answer)
expect("accepted", doc["accepted"], 1)
assert r.getheader("X-ServerSan-Time") and r.getheader("Date"), "time headers missing"

status, unauthorized, _ = post(body, headers)  # the identical request again
expect("replay", status, 401)
expect("401 body", unauthorized, b'{"error":"unauthorized"}')

flipped = bytearray(report(2))
flipped[20] ^= 1
expect("flipped byte", post(bytes(flipped), sign(report(2)))[0], 401)
expect("unknown server", post(report(2), sign(report(2), sid=999999))[0], 401)
expect("stale timestamp", post(report(2), sign(report(2), ts=int(time.time()) - 301))[0], 401)
wrong_key = hashlib.sha256(b"not the key").digest()
status, other_401, _ = post(report(2), sign(report(2), signing_key=wrong_key))
expect("bad MAC", status, 401)
expect("401 bodies identical", other_401, unauthorized)

# An honest retry of seq 1 (new nonce, same report) is a duplicate, still 200.
status, answer, _ = post(body, sign(body))
expect("honest retry", status, 200)
expect("duplicates", json.loads(answer)["duplicates"], 1)
print("python client: PASS")
PY

METRICS=$(curl -fsS --cacert "$TMP/cert.pem" "$URL/metrics") || fail "metrics not served to loopback"
echo "$METRICS" | grep -qx 'serversan_ingest_reports_total{outcome="accepted"} 1' || fail "metrics: accepted"
echo "$METRICS" | grep -qx 'serversan_ingest_reports_total{outcome="duplicate"} 1' || fail "metrics: duplicate"
echo "$METRICS" | grep -qx 'serversan_ingest_rejected_total{reason="replayed_nonce"} 1' || fail "metrics: replay"
echo "$METRICS" | grep -q '^serversan_tls_handshake_failures_total [1-9]' || fail "metrics: handshake failures"

kill -TERM "$SERVER_PID"
for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
kill -0 "$SERVER_PID" 2>/dev/null && fail "server did not stop within 5 s of SIGTERM"
wait "$SERVER_PID" || fail "server exited non-zero after SIGTERM"

SHOW=$("$SERVER" --data-dir "$TMP/data" server show 1)
echo "$SHOW" | grep -qx 'reports: 1' || fail "expected exactly 1 stored report: $SHOW"
echo "PASS"
