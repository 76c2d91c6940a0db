#!/usr/bin/env bash
# Builds the libFuzzer targets (preset fuzz: clang, ASan + UBSan, in build/fuzz), writes their
# seed corpora from test/fixtures and runs each target in turn. docs/fuzzing.md has the details.
#
#   test/fuzz/run.sh                      short pass (./test.sh): every seed, then 4 s of fuzzing each
#   test/fuzz/run.sh --seconds 600        longer run: 10 minutes per target
#   test/fuzz/run.sh --seconds 60 token   only some targets (names without fuzz_)
#
# Each target reads its seeds (build/fuzz/seeds/<target>, regenerated every run, and the committed
# test/fuzz/seeds/<target>) and keeps what it learns in build/fuzz/corpus/<target>, so later runs
# on the same machine start further. A crash leaves its input in build/fuzz/artifacts/<target>/
# and the script exits 1 once every target has run. Environment: FUZZ_JOBS (build jobs, default 2).
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=4
targets=()
while [ $# -gt 0 ]; do
	case "$1" in
	--seconds) seconds="$2"; shift 2 ;;
	-h | --help) sed -n '2,13p' "$0"; exit 0 ;;
	*) targets+=("$1"); shift ;;
	esac
done
[ ${#targets[@]} -gt 0 ] || targets=(report_decode token authorization gunzip device_blob stored_report store_roundtrip)

build=build/fuzz
mkdir -p "$build/logs"
cmake --preset fuzz >/dev/null
if ! cmake --build --preset fuzz -j "${FUZZ_JOBS:-2}" >"$build/logs/build.log" 2>&1; then
	tail -n 40 "$build/logs/build.log" >&2
	echo "run.sh: the fuzz build failed (log: $build/logs/build.log)" >&2
	exit 1
fi

rm -rf "$build/seeds"
"$build/test/fuzz/fuzz_seeds" test/fixtures/protocol "$build/seeds"

# What a failed run leaves for the reader: the sanitizer's or FUZZ_CHECK's lines, the input.
report_failure() { # log artifact bin
	grep -E -A2 'runtime error|FUZZ_CHECK failed|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)' "$1" |
		grep -v '^ *#' | head -n 12 | sed 's/^/    /'
	[ -n "$2" ] || return 0
	echo "    input: $2 ($(stat -c %s "$2") bytes), first bytes in hex:"
	od -An -tx1 -N 96 "$2" | sed 's/^/   /'
	echo "    again: $3 $2"
}

failed=()
for t in "${targets[@]}"; do
	bin="$build/test/fuzz/fuzz_$t"
	[ -x "$bin" ] || { echo "run.sh: no fuzz target fuzz_$t" >&2; exit 2; }
	mkdir -p "$build/corpus/$t" "$build/artifacts/$t" "$build/seeds/$t"
	log="$build/logs/$t.log"
	export ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1

	# The committed regression inputs one by one, so that each known defect is named on its own.
	regressions=0
	for seed in test/fuzz/seeds/"$t"/*; do
		[ -f "$seed" ] || continue
		seed_log="$build/logs/$t-$(basename "$seed").log"
		if ! "$bin" "$seed" >"$seed_log" 2>&1; then
			regressions=$((regressions + 1))
			echo "fuzz_$t: FAILED on the regression input $seed (log: $seed_log)"
			report_failure "$seed_log" "" ""
		fi
	done
	if [ $regressions -gt 0 ]; then
		failed+=("$t")
		continue
	fi

	dirs=("$build/corpus/$t" "$build/seeds/$t")
	[ -d "test/fuzz/seeds/$t" ] && dirs+=("test/fuzz/seeds/$t")
	dict=()
	case "$t" in report_decode | stored_report | store_roundtrip) dict=(-dict="$build/seeds/report.dict") ;; esac
	# -timeout: one input may take 10 s (a hang is a finding); -rss_limit_mb: gunzip may hold
	# 8 MiB twice, ASan doubles it, far below this.
	if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 "${dict[@]}" \
		-artifact_prefix="$build/artifacts/$t/" "${dirs[@]}" >"$log" 2>&1; then
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
		echo "fuzz_$t: ok, ${runs:-?} executions in ${seconds} s (${rate:-?}/s)"
	else
		failed+=("$t")
		echo "fuzz_$t: FAILED (log: $log)"
		report_failure "$log" "$(sed -n "s/.*Test unit written to \(.*\)$/\1/p" "$log" | tail -n1)" "$bin"
	fi
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "run.sh: ${#failed[@]} fuzz target(s) failed: ${failed[*]}" >&2
	exit 1
fi
