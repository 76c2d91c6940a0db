#!/usr/bin/env bash
# Installs what is missing, builds (release preset, and the dashboard with web/build.sh) and runs
# the whole test suite with CTest, then a short pass of the fuzz targets (test/fuzz/run.sh: clang
# build in build/fuzz, every seed and a few seconds of fuzzing each). Exits non-zero on any
# failure. Extra arguments go to ctest (e.g. ./test.sh -R Token); SERVERSAN_SKIP_FUZZ=1 leaves the
# fuzz pass out.
set -euo pipefail
cd "$(dirname "$0")"

./deps.sh
jobs=$(nproc)
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
web/build.sh
ctest --preset release -j "$jobs" "$@"
if [ "${SERVERSAN_SKIP_FUZZ:-0}" != 1 ]; then
	FUZZ_JOBS="$jobs" test/fuzz/run.sh
fi
