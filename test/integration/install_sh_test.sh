#!/usr/bin/env bash
# install.sh under --root (nothing on this host changes): the files it writes, their modes and
# content, the systemd unit and the cron line, the token on stdin, a re-run that upgrades in
# place, refusals of bad input, and --uninstall leaving the prefix empty. Runs install.sh with
# dash when it is there (POSIX sh), else sh.
source "$(dirname "$0")/lib.sh"
SRC=$1
AGENT=$2
INSTALL=$SRC/install.sh
SH=$(command -v dash || command -v sh)
make_tmp
R=$TMP/root
TOKEN=ssa1_7_Zx9Qm3Lk7Pw2Rt5Yv8Bn1Cd4Fg6Hj0KsTuVwXyAbCde0edTAQ
install_sh() { "$SH" "$INSTALL" "$@"; }
mode() { stat -c %a "$1"; }
tree() { (cd "$R" && find . -mindepth 1 | sort); }

"$SH" -n "$INSTALL" || fail "install.sh is not valid POSIX sh"
install_sh --help | grep -q -- "--token-stdin" || fail "--help does not document --token-stdin"

# --- systemd -------------------------------------------------------------------------------
install_sh --root "$R" --no-start --init systemd --binary "$AGENT" "$TOKEN" https://monitor.example.com/ \
	>"$TMP/out1" 2>&1 || fail "install failed: $(cat "$TMP/out1")"
cat "$TMP/out1"
BIN=$R/usr/local/bin/serversan-agent
[ -x "$BIN" ] || fail "no agent binary"
cmp -s "$BIN" "$AGENT" || fail "installed binary differs from --binary"
[ "$(mode "$BIN")" = 755 ] || fail "binary mode $(mode "$BIN")"
[ "$(cat "$R/etc/serversan/auth.log")" = "$TOKEN" ] || fail "token file content"
[ "$(mode "$R/etc/serversan/auth.log")" = 600 ] || fail "token file mode $(mode "$R/etc/serversan/auth.log")"
[ "$(mode "$R/var/lib/serversan")" = 750 ] || fail "state dir mode $(mode "$R/var/lib/serversan")"
if id serversan >/dev/null 2>&1; then
	[ "$(stat -c %U "$R/etc/serversan/auth.log")" = serversan ] || fail "token file not owned by serversan"
fi
CONF=$R/etc/serversan/agent.toml
grep -qx 'url = "https://monitor.example.com"' "$CONF" || fail "server url: $(cat "$CONF")"
grep -qx 'token_file = "/etc/serversan/auth.log"' "$CONF" || fail "token_file: $(cat "$CONF")"
grep -qx 'allow_http = false' "$CONF" || fail "allow_http: $(cat "$CONF")"
UNIT=$R/etc/systemd/system/serversan-agent.service
for line in 'User=serversan' 'NoNewPrivileges=yes' 'ProtectSystem=strict' 'StateDirectory=serversan' \
	'ExecStart=/usr/local/bin/serversan-agent --config /etc/serversan/agent.toml' 'CapabilityBoundingSet=' \
	'ExecReload=/bin/kill -HUP $MAINPID' 'Restart=always' 'WantedBy=multi-user.target'; do
	grep -qxF "$line" "$UNIT" || fail "unit lacks \"$line\""
done
[ ! -e "$R/etc/cron.d/serversan-agent" ] || fail "cron line written in systemd mode"
grep -q "$TOKEN" "$UNIT" "$CONF" && fail "the token leaked into the unit or the config"

# The written configuration is one the agent accepts (--print needs no token or network).
sed -e "s|\"/etc/serversan/|\"$R/etc/serversan/|" -e "s|\"/var/lib/serversan|\"$R/var/lib/serversan|" \
	"$CONF" >"$TMP/check.toml"
"$BIN" --config "$TMP/check.toml" --print --count 1 >"$TMP/print.json" 2>"$TMP/print.log" ||
	fail "the agent refuses the written config: $(cat "$TMP/print.log")"
grep -q '"protocol":1' "$TMP/print.json" || fail "no report printed"

# --- re-run: upgrade in place, token on stdin ------------------------------------------------
BEFORE=$(tree)
TOKEN2=ssa1_7_Ab9Qm3Lk7Pw2Rt5Yv8Bn1Cd4Fg6Hj0KsTuVwXyAbCde0edTAQ
printf '%s\n' "$TOKEN2" | install_sh --root "$R" --no-start --init systemd --binary "$AGENT" --token-stdin \
	https://monitor.example.com:8443/ >"$TMP/out2" 2>&1 || fail "re-run failed: $(cat "$TMP/out2")"
[ "$(tree)" = "$BEFORE" ] || fail "re-run changed the set of files: $(diff <(echo "$BEFORE") <(tree))"
[ "$(cat "$R/etc/serversan/auth.log")" = "$TOKEN2" ] || fail "token not replaced"
grep -qx 'url = "https://monitor.example.com:8443"' "$CONF" || fail "url not replaced"
[ "$(mode "$R/etc/serversan/auth.log")" = 600 ] || fail "token mode after re-run"

# --- cron mode, plain http to another host, a CA file and a pin ------------------------------
openssl_pem=$TMP/ca.pem
printf -- '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' >"$openssl_pem"
PIN=$(printf 'a%.0s' $(seq 64))
install_sh --root "$R" --no-start --init cron --binary "$AGENT" --ca-file "$openssl_pem" --pin-sha256 "$PIN" \
	"$TOKEN" http://10.1.2.3:8080 >"$TMP/out3" 2>&1 || fail "cron install failed: $(cat "$TMP/out3")"
grep -q "unencrypted" "$TMP/out3" || fail "no warning about plain http"
CRON=$R/etc/cron.d/serversan-agent
grep -qx '\* \* \* \* \* serversan /usr/local/bin/serversan-agent --config /etc/serversan/agent.toml --once --log-level warn' \
	"$CRON" || fail "cron line: $(cat "$CRON")"
[ "$(grep -c serversan-agent "$CRON")" = 1 ] || fail "cron line duplicated"
[ ! -e "$UNIT" ] || fail "unit left behind when switching to cron"
grep -qx 'allow_http = true' "$CONF" || fail "plain http to another host without allow_http"
grep -qx 'ca_file = "/etc/serversan/ca.pem"' "$CONF" || fail "ca_file: $(cat "$CONF")"
grep -qx "pin_sha256 = \"$PIN\"" "$CONF" || fail "pin: $(cat "$CONF")"
cmp -s "$R/etc/serversan/ca.pem" "$openssl_pem" || fail "CA file not copied"
install_sh --root "$R" --no-start --init cron --binary "$AGENT" "$TOKEN" http://10.1.2.3:8080 >/dev/null 2>&1 ||
	fail "cron re-run failed"
[ "$(grep -c serversan-agent "$CRON")" = 1 ] || fail "cron line duplicated by a re-run"

# --- refusals: nothing is written ------------------------------------------------------------
R2=$TMP/root2
for args in "not-a-token https://m.example.com" "$TOKEN ftp://m.example.com" "$TOKEN" \
	"--pin-sha256 xyz $TOKEN https://m.example.com" "--init upstart $TOKEN https://m.example.com"; do
	# shellcheck disable=SC2086
	if install_sh --root "$R2" --no-start --binary "$AGENT" $args >"$TMP/bad" 2>&1; then
		fail "install.sh accepted: $args"
	fi
	grep -q "error" "$TMP/bad" || fail "no error message for: $args"
	grep -q "Zx9Qm3Lk" "$TMP/bad" && fail "the token was echoed in an error: $(cat "$TMP/bad")"
	[ -z "$(cd "$R2" && find . -mindepth 1)" ] || fail "files written despite bad input: $args"
done
# Without --binary the agent is downloaded from the server; there is none here: a clear failure.
if install_sh --root "$R2" --no-start "$TOKEN" http://127.0.0.1:9 >"$TMP/dl" 2>&1; then
	fail "install without a binary or a server succeeded"
fi
grep -q "cannot download the agent from http://127.0.0.1:9/download/serversan-agent-$(uname -m)" "$TMP/dl" ||
	fail "unclear download failure: $(cat "$TMP/dl")"

# --- uninstall -------------------------------------------------------------------------------
install_sh --root "$R" --uninstall >"$TMP/out4" 2>&1 || fail "uninstall failed: $(cat "$TMP/out4")"
[ -z "$(tree)" ] || fail "uninstall left: $(tree)"
install_sh --root "$R2" --uninstall >/dev/null 2>&1 || fail "uninstall of nothing failed"
[ -z "$(cd "$R2" && find . -mindepth 1)" ] || fail "uninstall of nothing left files"
echo "PASS"
