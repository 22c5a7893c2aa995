#!/usr/bin/env bash
# Offline speed of issue [2/8]: gradient steps/s of rlarena's BC, TD3+BC, CQL and IQL
# against plain LibTorch loops of CORL's updates, and CQL's batched sampled-action pass
# against a loop, in alternating rounds of one process.
#   scripts/bench/offline_speed.sh [ROUNDS] [SECONDS_PER_ROUND] [BLAS_THREADS]
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d build ] || scripts/setup.sh
cmake --build build --target offline_update >/dev/null
build/bench/offline_update "${1:-3}" "${2:-5}" "${3:-2}"
