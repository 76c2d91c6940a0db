#!/bin/sh
# ServerSan agent installer (POSIX sh; tested with dash and bash).
#
#   install.sh [OPTIONS] TOKEN SERVER_URL
#   install.sh [OPTIONS] --token-stdin SERVER_URL     (the token on stdin, never in argv)
#   install.sh [--root DIR] --uninstall
#
# Installs serversan-agent as the unprivileged system user "serversan": the binary in
# /usr/local/bin, the token in /etc/serversan/auth.log (0600), the configuration in
# /etc/serversan/agent.toml, the state and spool in /var/lib/serversan, and a hardened systemd
# unit (or, without systemd, a cron line running --once every minute). Before starting the
# service it sends one report as that user and says whether the server accepted it. Running it
# again upgrades in place; --uninstall removes everything it added.
#
# Options:
#   --binary PATH      install this agent binary instead of downloading
#                      SERVER_URL/download/serversan-agent-$(uname -m)
#   --ca-file PATH     CA certificate(s) that signed the server's certificate (copied to
#                      /etc/serversan/ca.pem)
#   --pin-sha256 HEX   pin the server certificate's SHA-256 (self-signed servers)
#   --init systemd|cron  choose instead of detecting
#   --root DIR         install under DIR instead of / (tests, images); creates no user and
#                      starts nothing
#   --no-start         write everything, but neither check nor start the agent
#   --uninstall        stop the agent and remove what install.sh added
set -eu

PROG=install.sh
ROOT=
TOKEN=
URL=
TOKEN_STDIN=0
BINARY=
CA_FILE=
PIN=
INIT=
NO_START=0
UNINSTALL=0

AGENT_USER=serversan
BIN_PATH=/usr/local/bin/serversan-agent
ETC_DIR=/etc/serversan
TOKEN_PATH=$ETC_DIR/auth.log
CONFIG_PATH=$ETC_DIR/agent.toml
CA_PATH=$ETC_DIR/ca.pem
MANIFEST=$ETC_DIR/installed-dirs
STATE_DIR=/var/lib/serversan
UNIT_PATH=/etc/systemd/system/serversan-agent.service
CRON_PATH=/etc/cron.d/serversan-agent

say() { printf '%s: %s\n' "$PROG" "$*"; }
die() {
	printf '%s: error: %s\n' "$PROG" "$*" >&2
	exit 1
}
usage() {
	# The comment above is the help; piped into sh ("curl ... | sh"), there is no file to read.
	if [ -f "$0" ]; then
		sed -n '2,/^set -eu/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
	else
		echo "usage: install.sh [OPTIONS] TOKEN SERVER_URL | --token-stdin SERVER_URL | --uninstall"
	fi
}

while [ $# -gt 0 ]; do
	case $1 in
	--binary) [ $# -ge 2 ] || die "--binary needs a path"; BINARY=$2; shift 2 ;;
	--binary=*) BINARY=${1#*=}; shift ;;
	--ca-file) [ $# -ge 2 ] || die "--ca-file needs a path"; CA_FILE=$2; shift 2 ;;
	--ca-file=*) CA_FILE=${1#*=}; shift ;;
	--pin-sha256) [ $# -ge 2 ] || die "--pin-sha256 needs a value"; PIN=$2; shift 2 ;;
	--pin-sha256=*) PIN=${1#*=}; shift ;;
	--init) [ $# -ge 2 ] || die "--init needs systemd or cron"; INIT=$2; shift 2 ;;
	--init=*) INIT=${1#*=}; shift ;;
	--root) [ $# -ge 2 ] || die "--root needs a directory"; ROOT=$2; shift 2 ;;
	--root=*) ROOT=${1#*=}; shift ;;
	--token-stdin) TOKEN_STDIN=1; shift ;;
	--no-start) NO_START=1; shift ;;
	--uninstall) UNINSTALL=1; shift ;;
	-h | --help) usage; exit 0 ;;
	--) shift; break ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) break ;;
	esac
done

# Paths as seen from here (under --root) and as the agent will see them (always absolute).
ROOT=${ROOT%/}
if [ -n "$ROOT" ]; then
	mkdir -p "$ROOT" || die "cannot create $ROOT"
	ROOT=$(cd "$ROOT" && pwd)
	NO_START=1
fi
at() { printf '%s%s' "$ROOT" "$1"; }

if [ -z "$ROOT" ] && [ "$(id -u)" != 0 ]; then
	die "run as root (e.g. with sudo): the agent is installed as a system service"
fi

case $INIT in
"") if [ -d /run/systemd/system ] && [ -z "$ROOT" ]; then INIT=systemd
    elif [ -n "$ROOT" ] && [ -d "$(at /etc/systemd/system)" ]; then INIT=systemd
    else INIT=cron; fi ;;
systemd | cron) ;;
*) die "--init wants systemd or cron, not \"$INIT\"" ;;
esac

user_exists() { id "$AGENT_USER" >/dev/null 2>&1; }

# Runs a command as the agent's user (its shell is nologin).
as_agent() {
	if command -v runuser >/dev/null 2>&1; then
		runuser -u "$AGENT_USER" -- "$@"
	elif command -v setpriv >/dev/null 2>&1; then
		setpriv --reuid="$AGENT_USER" --regid="$AGENT_USER" --init-groups -- "$@"
	else
		su -s /bin/sh "$AGENT_USER" -c '"$0" "$@"' "$@"
	fi
}

# Directory creation that remembers what it created, so that --uninstall can remove exactly that.
CREATED=
make_dir() { # path mode
	d=$1
	missing=
	while [ ! -d "$(at "$d")" ]; do
		missing="$d $missing"
		d=$(dirname "$d")
	done
	for d in $missing; do
		mkdir -m "$2" "$(at "$d")" || die "cannot create $(at "$d")"
		CREATED="$CREATED$d
"
	done
}

# Writes stdin to a file atomically with the given mode (and owner, if the user exists).
write_file() { # path mode [owner]
	tmp="$(at "$1").tmp.$$"
	(umask 077 && cat >"$tmp") || die "cannot write $(at "$1")"
	chmod "$2" "$tmp"
	if [ -n "${3:-}" ] && user_exists; then chown "$3" "$tmp"; fi
	mv -f "$tmp" "$(at "$1")" || die "cannot write $(at "$1")"
}

stop_agent() {
	[ -z "$ROOT" ] || return 0
	if [ "$INIT" = systemd ] && command -v systemctl >/dev/null 2>&1; then
		systemctl stop serversan-agent.service >/dev/null 2>&1 || true
	fi
}

uninstall() {
	if [ -z "$ROOT" ] && command -v systemctl >/dev/null 2>&1 && [ -e "$UNIT_PATH" ]; then
		systemctl disable --now serversan-agent.service >/dev/null 2>&1 || true
	fi
	rm -f "$(at "$UNIT_PATH")"
	[ -z "$ROOT" ] && command -v systemctl >/dev/null 2>&1 && systemctl daemon-reload >/dev/null 2>&1 || true
	rm -f "$(at "$CRON_PATH")"
	if [ -z "$ROOT" ] && command -v crontab >/dev/null 2>&1 && crontab -u "$AGENT_USER" -l >/dev/null 2>&1; then
		crontab -u "$AGENT_USER" -r >/dev/null 2>&1 || true
	fi
	dirs=
	[ -f "$(at "$MANIFEST")" ] && dirs=$(cat "$(at "$MANIFEST")")
	rm -f "$(at "$BIN_PATH")" "$(at "$TOKEN_PATH")" "$(at "$CONFIG_PATH")" "$(at "$CA_PATH")" "$(at "$MANIFEST")"
	rm -rf "$(at "$STATE_DIR")"
	rmdir "$(at "$ETC_DIR")" 2>/dev/null || true
	# Directories install.sh created, deepest first, if nothing else moved in.
	printf '%s\n' "$dirs" | sort -r | while IFS= read -r d; do
		[ -n "$d" ] && rmdir "$(at "$d")" 2>/dev/null || true
	done
	if [ -z "$ROOT" ] && user_exists; then
		userdel "$AGENT_USER" >/dev/null 2>&1 || deluser "$AGENT_USER" >/dev/null 2>&1 ||
			say "could not remove the user $AGENT_USER"
	fi
	say "serversan-agent removed"
}

if [ "$UNINSTALL" = 1 ]; then
	uninstall
	exit 0
fi

# --- arguments --------------------------------------------------------------------------------
if [ "$TOKEN_STDIN" = 1 ]; then
	[ $# -eq 1 ] || die "usage: $PROG --token-stdin SERVER_URL (token on stdin)"
	IFS= read -r TOKEN || [ -n "$TOKEN" ] || die "no token on stdin"
	URL=$1
else
	[ $# -eq 2 ] || die "usage: $PROG TOKEN SERVER_URL (or --token-stdin SERVER_URL; see --help)"
	TOKEN=$1
	URL=$2
fi
TOKEN=$(printf '%s' "$TOKEN" | tr -d ' \t\r\n')
# The token's shape (the agent checks its checksum too); the message never repeats it.
printf '%s\n' "$TOKEN" | grep -Eq '^ssa1_[1-9][0-9]*_[0-9A-Za-z]{49}$' ||
	die "that is not a ServerSan token (expected ssa1_<id>_<49 letters and digits>); copy it again from the bot"
case $URL in
https://?*) ;;
http://?*) ;;
*) die "SERVER_URL must start with https:// (or http://), got \"$URL\"" ;;
esac
URL=${URL%/}
HOST=$(printf '%s' "$URL" | sed -e 's|^[a-z]*://||' -e 's|/.*||' -e 's|:[0-9]*$||' -e 's|^\[||' -e 's|\]$||')
ALLOW_HTTP=false
case $URL in
http://*)
	case $HOST in
	localhost | 127.* | ::1) ;;
	*) ALLOW_HTTP=true
	   say "warning: $URL is plain http: reports travel unencrypted; prefer https://" ;;
	esac ;;
esac
[ -z "$CA_FILE" ] || [ -r "$CA_FILE" ] || die "cannot read --ca-file $CA_FILE"
if [ -n "$PIN" ]; then
	printf '%s\n' "$PIN" | tr -d ':' | grep -Eq '^[0-9A-Fa-f]{64}$' || die "--pin-sha256 wants 64 hex digits"
fi

# --- user -------------------------------------------------------------------------------------
if [ -z "$ROOT" ] && ! user_exists; then
	nologin=/usr/sbin/nologin
	[ -x $nologin ] || nologin=/sbin/nologin
	if command -v useradd >/dev/null 2>&1; then
		useradd --system --no-create-home --home-dir "$STATE_DIR" --shell "$nologin" --user-group "$AGENT_USER" ||
			die "cannot create the user $AGENT_USER"
	elif command -v adduser >/dev/null 2>&1; then
		addgroup -S "$AGENT_USER" 2>/dev/null || true
		adduser -S -D -H -h "$STATE_DIR" -s "$nologin" -G "$AGENT_USER" "$AGENT_USER" ||
			die "cannot create the user $AGENT_USER"
	else
		die "neither useradd nor adduser is available to create the user $AGENT_USER"
	fi
	say "created the system user $AGENT_USER"
fi
OWNER="$AGENT_USER:$AGENT_USER"
user_exists && OWNER="$AGENT_USER:$(id -gn "$AGENT_USER")"

# --- binary: fetched and checked before anything is written ---------------------------------
NEW_BIN=$(mktemp "${TMPDIR:-/tmp}/serversan-agent.XXXXXX") || die "cannot create a temporary file"
trap 'rm -f "$NEW_BIN"' EXIT
if [ -n "$BINARY" ]; then
	[ -f "$BINARY" ] || die "--binary $BINARY: no such file"
	cp "$BINARY" "$NEW_BIN" || die "cannot copy $BINARY"
else
	ARCH=$(uname -m)
	SOURCE="$URL/download/serversan-agent-$ARCH"
	say "downloading $SOURCE"
	if command -v curl >/dev/null 2>&1; then
		curl -fsSL --proto '=https,http' -o "$NEW_BIN" "$SOURCE" || : >"$NEW_BIN"
	elif command -v wget >/dev/null 2>&1; then
		wget -q -O "$NEW_BIN" "$SOURCE" || : >"$NEW_BIN"
	else
		die "neither curl nor wget is installed to download the agent; pass --binary PATH"
	fi
	[ -s "$NEW_BIN" ] || die "cannot download the agent from $SOURCE (this server may not offer downloads yet): build it (cmake --preset agent-static) and pass --binary PATH"
	# A truncated or mangled download must never replace a working agent.
	if command -v sha256sum >/dev/null 2>&1; then
		if command -v curl >/dev/null 2>&1; then
			WANT=$(curl -fsSL --proto '=https,http' "$SOURCE.sha256" 2>/dev/null | cut -d' ' -f1)
		else
			WANT=$(wget -q -O - "$SOURCE.sha256" 2>/dev/null | cut -d' ' -f1)
		fi
		GOT=$(sha256sum "$NEW_BIN" | cut -d' ' -f1)
		[ -n "$WANT" ] || die "cannot download $SOURCE.sha256 to check the agent"
		[ "$WANT" = "$GOT" ] || die "the downloaded agent does not match $SOURCE.sha256 (got $GOT): not installed"
		say "checksum ok ($GOT)"
	fi
fi
chmod 0755 "$NEW_BIN"
VERSION=$("$NEW_BIN" --version 2>/dev/null) || die "the agent binary does not run on this machine ($(uname -m))"

stop_agent
make_dir "$(dirname "$BIN_PATH")" 0755
make_dir "$ETC_DIR" 0755
make_dir "$STATE_DIR" 0750
cp "$NEW_BIN" "$(at "$BIN_PATH").new.$$" && mv -f "$(at "$BIN_PATH").new.$$" "$(at "$BIN_PATH")" ||
	die "cannot install $(at "$BIN_PATH")"
say "installed $VERSION as $BIN_PATH"

# --- token, configuration ---------------------------------------------------------------------
printf '%s\n' "$TOKEN" | write_file "$TOKEN_PATH" 0600 "$OWNER"
TLS_LINES="allow_http = $ALLOW_HTTP"
if [ -n "$CA_FILE" ]; then
	write_file "$CA_PATH" 0644 <"$CA_FILE"
	TLS_LINES="$TLS_LINES
ca_file = \"$CA_PATH\""
fi
[ -z "$PIN" ] || TLS_LINES="$TLS_LINES
pin_sha256 = \"$PIN\""
write_file "$CONFIG_PATH" 0644 <<EOF
# serversan-agent configuration, written by install.sh (running it again rewrites this file).
# Every key is documented by \`serversan-agent --help\`; SIGHUP (systemctl reload
# serversan-agent) applies changes.
token_file = "$TOKEN_PATH"
state_file = "$STATE_DIR/agent.state"
# interval = 60      # seconds between reports (the server may change it)
# slow_interval = 300

[server]
url = "$URL"

[spool]
dir = "$STATE_DIR/spool"
# max_bytes = "64MiB"
# max_age = "7d"

[tls]
$TLS_LINES
EOF
if user_exists; then chown "$OWNER" "$(at "$STATE_DIR")"; fi

# --- service ----------------------------------------------------------------------------------
if [ "$INIT" = systemd ]; then
	make_dir "$(dirname "$UNIT_PATH")" 0755
	rm -f "$(at "$CRON_PATH")"
	write_file "$UNIT_PATH" 0644 <<EOF
# Written by install.sh; install.sh --uninstall removes it.
[Unit]
Description=ServerSan monitoring agent
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=$AGENT_USER
Group=$AGENT_USER
ExecStart=$BIN_PATH --config $CONFIG_PATH
ExecReload=/bin/kill -HUP \$MAINPID
Restart=always
RestartSec=10
TimeoutStopSec=5
StateDirectory=serversan
StateDirectoryMode=0750
UMask=0077
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
SystemCallArchitectures=native
CapabilityBoundingSet=
AmbientCapabilities=

[Install]
WantedBy=multi-user.target
EOF
else
	rm -f "$(at "$UNIT_PATH")"
	CRON_LINE="* * * * * $AGENT_USER $BIN_PATH --config $CONFIG_PATH --once --log-level warn"
	if [ -n "$ROOT" ] || [ -d /etc/cron.d ]; then
		make_dir "$(dirname "$CRON_PATH")" 0755
		write_file "$CRON_PATH" 0644 <<EOF
# Written by install.sh: one report (and any spooled ones) every minute.
SHELL=/bin/sh
$CRON_LINE
EOF
	elif command -v crontab >/dev/null 2>&1; then
		printf '%s\n' "* * * * * $BIN_PATH --config $CONFIG_PATH --once --log-level warn" |
			crontab -u "$AGENT_USER" - || die "cannot install the crontab of $AGENT_USER"
	else
		die "no systemd and no cron found: run $BIN_PATH --config $CONFIG_PATH yourself"
	fi
fi

# What to remove on --uninstall (directories created by this and earlier runs).
{
	[ -f "$(at "$MANIFEST")" ] && cat "$(at "$MANIFEST")"
	printf '%s' "$CREATED"
} | sort -u | write_file "$MANIFEST" 0644

if [ "$NO_START" = 1 ]; then
	say "files written under ${ROOT:-/}; not started (--no-start or --root)"
	exit 0
fi

# --- first report, then start -----------------------------------------------------------------
say "sending a first report to $URL as $AGENT_USER..."
if OUT=$(as_agent "$BIN_PATH" --config "$CONFIG_PATH" --once 2>&1); then
	say "the server accepted the first report"
	CHECK=ok
else
	printf '%s\n' "$OUT" | tail -n 5 >&2
	say "warning: the first report was NOT accepted (see above); the agent keeps it and retries"
	CHECK=failed
fi
if [ "$INIT" = systemd ]; then
	systemctl daemon-reload
	systemctl enable serversan-agent.service >/dev/null 2>&1
	systemctl restart serversan-agent.service
	say "serversan-agent is running (systemctl status serversan-agent; logs: journalctl -u serversan-agent)"
else
	say "serversan-agent runs from cron every minute"
fi
[ "$CHECK" = ok ] || exit 2
