#!/usr/bin/env bash
# Installs what is missing, builds (release preset) and runs the whole test suite with CTest.
# Exits non-zero on any failure. Extra arguments go to ctest (e.g. ./test.sh -R Token).
set -euo pipefail
cd "$(dirname "$0")"

./deps.sh
jobs=$(nproc)
cmake --preset release >/dev/null
cmake --build --preset release -j "$jobs"
ctest --preset release -j "$jobs" "$@"
