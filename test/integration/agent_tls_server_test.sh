#!/usr/bin/env bash
# The real agent reports to the real server over HTTPS (the server's certificate made here):
# trusted through a CA file, and through a pin of the self-signed certificate; a wrong pin and
# the system store (which does not know this certificate) are refused, and nothing is stored for
# them. Skipped if this build of the server has no TLS.
source "$(dirname "$0")/lib.sh"
SERVER=$1
AGENT=$2
command -v openssl >/dev/null || { echo "SKIP: no openssl command"; exit 0; }
make_tmp
PORT=$(free_port)
URL=https://127.0.0.1:$PORT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null ||
	fail "openssl could not make a certificate"
chmod 600 "$TMP/key.pem"
PIN=$(openssl x509 -in "$TMP/cert.pem" -noout -fingerprint -sha256 | sed 's/.*=//')

"$SERVER" --data-dir "$TMP/data" server add --name tls-agent --token-only >"$TMP/token"
chmod 600 "$TMP/token"
SERVERSAN_SERVER_INGEST_TLS_CERT="$TMP/cert.pem" SERVERSAN_SERVER_INGEST_TLS_KEY="$TMP/key.pem" \
	"$SERVER" --data-dir "$TMP/data" serve --listen "127.0.0.1:$PORT" 2>"$TMP/server.log" &
PIDS+=($!)
if ! wait_for 10 curl -fsS --cacert "$TMP/cert.pem" "$URL/healthz"; then
	if grep -qi "TLS_CERT\|unknown" "$TMP/server.log"; then
		echo "SKIP: this serversan-server has no TLS: $(head -3 "$TMP/server.log")"
		exit 0
	fi
	fail "server did not come up: $(cat "$TMP/server.log")"
fi
reports() { "$SERVER" --data-dir "$TMP/data" server show 1 | awk '$1 == "reports:" {print $2}'; }
agent() { "$AGENT" --server "$URL" --token-file "$TMP/token" --state-file "$TMP/agent/agent.state" --once "$@"; }

agent --ca-file "$TMP/cert.pem" 2>"$TMP/ca.log" || fail "CA file: $(cat "$TMP/ca.log")"
agent --pin-sha256 "$PIN" 2>"$TMP/pin.log" || fail "pin: $(cat "$TMP/pin.log")"
[ "$(reports)" = 2 ] || fail "expected 2 reports, server has $(reports)"

WRONG=$(printf '%064d' 0)
if agent --pin-sha256 "$WRONG" --timeout 2 2>"$TMP/wrong.log"; then fail "a wrong pin was accepted"; fi
grep -q "does not match tls.pin_sha256" "$TMP/wrong.log" || fail "wrong pin: $(cat "$TMP/wrong.log")"
if agent --timeout 2 2>"$TMP/system.log"; then fail "the system CA store accepted a self-signed certificate"; fi
grep -q "not signed by a trusted CA" "$TMP/system.log" || fail "system store: $(cat "$TMP/system.log")"
# The refused runs' reports wait in the spool: delivered by the next trusted run.
agent --ca-file "$TMP/cert.pem" 2>"$TMP/again.log" || fail "after refusals: $(cat "$TMP/again.log")"
[ "$(reports)" = 5 ] || fail "expected 5 reports (2 + 2 spooled + 1), server has $(reports)"
echo "PASS"
