#!/usr/bin/env bash
# SAC speed of issue [5/5]: rlarena's SAC on HalfCheetah-v5 (env steps/s with one
# 256x256, batch-256 update per step) against a plain LibTorch loop of CleanRL's
# update, in alternating rounds of one process; prints each round and the median ratio.
#   scripts/bench/sac_speed.sh [ROUNDS] [SECONDS_PER_ROUND] [BLAS_THREADS]
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -d build ] || scripts/setup.sh
cmake --build build --target sac_update >/dev/null
build/bench/sac_update "${1:-5}" "${2:-10}" "${3:-2}"
