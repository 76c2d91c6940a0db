#!/usr/bin/env bash
# Regenerates serversan/agent/hot_text.ld, the list of code that the static agent runs, which
# the agent-static preset links first (SERVERSAN_AGENT_HOT_LAYOUT). Run it after changes to the
# agent, mbedTLS or the toolchain, then rebuild and check bench/agent_rss.sh.
#
#   bench/agent_layout.sh [BUILD_DIR]     default: build/agent-static (configured and built)
#
# Environment: RSS_SERVER as for bench/agent_rss.sh (the HTTPS endpoint; default: the first
# build/*/bench one). Needs valgrind, openssl and python3.
#
# Why: the kernel maps a file's pages into a process 64 KiB at a time (fault-around), so a code
# page that runs pulls in the 15 around it. Linked in the default order, the code that one round
# and start-up run (about 0.85 MB) is spread over nearly every block of the 1.45 MB text, and the
# whole text is resident. Linked first and together, it is all that gets mapped; the rest (scanf,
# wide-character printf, dlopen, locale code, mbedTLS's unused ciphers, error paths) is never read.
#
# How: callgrind records every instruction the agent executes over a daemon run (start-up, a full
# handshake checked against a CA bundle, one checked by a pin, a host name resolved, a few hundred
# rounds with their spool and state writes); the link map of the same binary says which input
# section (one per function for the agent's code, one per object for glibc and mbedTLS) holds each.
# Under valgrind there is no vDSO and the CPU has no AVX-512: the start-up code that looks up the
# vDSO, and every variant of the string functions that ran, are added by hand.
set -euo pipefail
BUILD=${1:-build/agent-static}
cd "$(dirname "$0")/.."
AGENT=$BUILD/serversan/agent/serversan-agent
MAP=$AGENT.map
[ -x "$AGENT" ] && [ -f "$MAP" ] || {
	echo "no $AGENT with its link map: configure with SERVERSAN_AGENT_HOT_LAYOUT=ON (the agent-static preset) and build" >&2
	exit 1
}
if [ -z "${RSS_SERVER:-}" ]; then
	RSS_SERVER=$(ls build/*/bench/bench_agent_rss_server 2>/dev/null | head -1 || true)
fi
[ -x "${RSS_SERVER:-}" ] || { echo "no bench_agent_rss_server; build the bench target or set RSS_SERVER" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "valgrind is needed" >&2; exit 1; }

TMP=$(mktemp -d /tmp/serversan-layout.XXXXXX)
SERVER_PID=
cleanup() {
	[ -n "$SERVER_PID" ] && kill -KILL "$SERVER_PID" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT

# shellcheck source=bench/tls_endpoint.sh
source "$(dirname "$0")/tls_endpoint.sh"
make_test_pki "$TMP" localhost "IP:127.0.0.1,DNS:localhost"
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
chmod 600 "$TMP/token"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$RSS_SERVER" "$PORT" "$TMP/server.pem" "$TMP/server.key" "$TMP/count" >"$TMP/server.out" 2>&1 &
SERVER_PID=$!
for _ in $(seq 50); do grep -q ready "$TMP/server.out" 2>/dev/null && break; sleep 0.1; done

# name host count trust-arguments...
profile() {
	local name=$1 host=$2 count=$3
	shift 3
	echo "profiling: $name ($count rounds)" >&2
	rm -rf "$TMP/state"
	valgrind --tool=callgrind --dump-instr=yes --callgrind-out-file="$TMP/cg.$name" "$AGENT" \
		--server "https://$host:$PORT/" "$@" --token-file "$TMP/token" --state-file "$TMP/state/agent.state" \
		--interval 0.1 --jitter 0 --log-level warn --count "$count" 2>"$TMP/vg.$name.log" ||
		{ tail -5 "$TMP/vg.$name.log" >&2; exit 1; }
}
# Past 64 rounds (the state file is rewritten), and 1 MiB of spool: a new segment, and the old
# one deleted once settled.
profile bundle 127.0.0.1 1000 --ca-file "$TMP/bundle.pem"
profile pin 127.0.0.1 300 --pin-sha256 "$PIN"
profile name localhost 20 --ca-file "$TMP/bundle.pem"
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=

python3 - "$MAP" "$TMP"/cg.* >serversan/agent/hot_text.ld <<'EOF'
import bisect, re, sys

# glibc objects that run natively but not under valgrind (it hides the vDSO, whose symbols the
# static start-up looks up), and string-function families used there.
EXTRA_MEMBERS = {"dl-object.o", "dl-setup_hash.o", "dl-lookup.o", "dl-misc.o", "dl-version.o"}
EXTRA_FAMILIES = {"strcmp"}

def text_sections(path):
    """(section, address, size, file) of each input section in the map's .text and .text.hot."""
    out, pending, inside = [], None, False
    for line in open(path):
        line = line.rstrip("\n")
        if re.match(r"^\.\S", line):
            inside = re.match(r"^\.text(\.hot)?(\s|$)", line) is not None
            continue
        if not inside:
            continue
        m = re.match(r"^ (\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$", line)
        if m:
            out.append((m[1], int(m[2], 16), int(m[3], 16), m[4]))
            pending = None
            continue
        m = re.match(r"^ (\S+)$", line)
        if m:
            pending = m[1]
            continue
        m = re.match(r"^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$", line)
        if m and pending:
            out.append((pending, int(m[1], 16), int(m[2], 16), m[3]))
            pending = None
    return sorted((s for s in out if s[2] > 0), key=lambda s: s[1])

def executed(path):
    """Instruction addresses in a callgrind file written with --dump-instr=yes."""
    out, last = set(), 0
    for line in open(path):
        c = line[0]
        if not (c.isdigit() or c in "+-*"):
            continue
        tok = line.split()[0]
        if tok.startswith("0x"):
            last = int(tok, 16)
        elif tok[0] in "+-":
            step = int(tok[1:], 16) if tok[1:].startswith("0x") else int(tok[1:])
            last = last + step if tok[0] == "+" else last - step
        elif tok != "*":
            last = int(tok)
        out.add(last)
    return out

def member(section):
    m = re.search(r"\(([^)]+)\)$", section[3])
    return m[1] if m else None

def family(name):
    m = re.match(r"^([a-z_0-9]+?)-(sse2|ssse3|sse4|avx|evex|erms)", name or "")
    return m[1] if m else None

sections = text_sections(sys.argv[1])
starts = [s[1] for s in sections]
hot = set()
for path in sys.argv[2:]:
    for a in executed(path):
        i = bisect.bisect_right(starts, a) - 1
        if i >= 0 and a < sections[i][1] + sections[i][2]:
            hot.add(i)
# The CPU picks a string function's variant at start: a family that ran keeps all its variants
# but the RTM ones (TSX is off on current CPUs).
families = set(EXTRA_FAMILIES) | {family(member(sections[i])) for i in hot} - {None}
for i, s in enumerate(sections):
    name = member(s)
    if name in EXTRA_MEMBERS or (family(name) in families and "rtm" not in name):
        hot.add(i)

patterns, seen, size = [], set(), 0
for i in sorted(hot, key=lambda i: sections[i][1]):
    name, _, length, origin = sections[i]
    size += length
    archive = re.search(r"([^/]+\.a)\(([^)]+)\)$", origin)
    if archive:
        pattern = f"*{archive[1]}:{archive[2]}({name})"
    elif "ltrans" in origin:
        # LTO numbers its local clones; the number is not stable from one build to the next.
        pattern = "*(" + re.sub(r"\.(lto_priv|constprop|isra|part|cold)\.[0-9]+", r".\1.*", name) + ")"
    else:
        pattern = f"*{origin.split('/')[-1]}({name})"
    if pattern not in seen:
        seen.add(pattern)
        patterns.append(pattern)

print("/* Generated by bench/agent_layout.sh: the code the static agent runs, linked first so that")
print("   only it is mapped (see that script). %d input sections, %d bytes. */" % (len(patterns), size))
print("SECTIONS\n{\n\t.text.hot :\n\t{")
for p in patterns:
    print("\t\t" + p)
print("\t}\n}\nINSERT BEFORE .text;")
print(f"{len(patterns)} input sections, {size} bytes of code run", file=sys.stderr)
EOF
echo "wrote serversan/agent/hot_text.ld; rebuild $BUILD to link with it" >&2
