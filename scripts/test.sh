#!/usr/bin/env bash
# Runs the whole test suite: installs any missing Debian package, configures and
# builds build/ (Release), then runs every Catch2 test through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --deps-only
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DRLARENA_BUILD_TESTS=ON
cmake --build build
ctest --test-dir build --output-on-failure -j "$(nproc)"
