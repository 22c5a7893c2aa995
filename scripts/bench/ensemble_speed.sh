#!/usr/bin/env bash
# Ensemble training speed of issue [3/8]: one epoch of the batched 7-member ensemble
# against a loop of 7 networks doing the same updates, in alternating rounds.
#   scripts/bench/ensemble_speed.sh [ROUNDS] [ROWS] [BLAS_THREADS]
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d build ] || scripts/setup.sh
cmake --build build --target ensemble_train >/dev/null
build/bench/ensemble_train "${1:-3}" "${2:-20000}" "${3:-2}"
