#!/usr/bin/env bash
# Runs the whole test suite: installs any missing Debian package, configures and
# builds build/ (Release), then runs every Catch2 test through ctest.
#   --sanitize: the same suite built with AddressSanitizer and UndefinedBehaviorSanitizer
#               in build-sanitize/; any report (memory error, leak, undefined behaviour)
#               fails its test.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=build
CONFIG=(-DCMAKE_BUILD_TYPE=Release)
if [ "${1:-}" = "--sanitize" ]; then
  BUILD=build-sanitize
  CONFIG=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DRLARENA_SANITIZE=ON)
  # Leaks of the libraries we link but do not build (their one-time allocations) are
  # listed in tests/lsan.supp; ours are reported.
  export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:abort_on_error=0:detect_odr_violation=0"
  export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
elif [ -n "${1:-}" ]; then
  echo "usage: scripts/test.sh [--sanitize]" >&2
  exit 2
fi
scripts/setup.sh --deps-only
cmake -S . -B "$BUILD" -G Ninja "${CONFIG[@]}" -DRLARENA_BUILD_TESTS=ON
cmake --build "$BUILD"
ctest --test-dir "$BUILD" --output-on-failure -j "$(nproc)"
