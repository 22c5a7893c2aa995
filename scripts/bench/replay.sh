#!/usr/bin/env bash
# ReplayStore and HDF5 figures of issue [4/5]: memory of a 1M-step HalfCheetah store
# against one copy of its columns, uniform sampling throughput, and D4RL write/read
# time against fwrite/fread of the same bytes measured in the same run.
#   scripts/bench/replay.sh [STEPS] [DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x build/bench/replay_bench ] || scripts/setup.sh
build/bench/replay_bench "${1:-1000000}" "${2:-/tmp}"
