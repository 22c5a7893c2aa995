#!/usr/bin/env bash
# Particle-world speed of issue [4/8]: env steps/s of each MPE env per thread (64 envs),
# and simple_spread_v3 against a NumPy implementation of the same step run beside it
# (scripts/bench/mpe_python.py), in alternating rounds.
#   scripts/bench/mpe.sh [SECONDS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
S=${1:-3}
ROUNDS=${2:-3}
PY=/usr/bin/python3
BIN=build/rlarena
[ -x "$BIN" ] || scripts/setup.sh
sps() { "$BIN" bench "$@" --seconds "$S" --json 2>/dev/null | $PY -c 'import json,sys; print(json.load(sys.stdin)["steps_per_s"])'; }
echo "== simple_spread_v3: rlarena (64 envs, 1 thread) against NumPy (one env), env steps/s"
ratios=()
for r in $(seq 1 "$ROUNDS"); do
  ours=$(sps simple_spread_v3 --num-envs 64 --threads 1)
  numpy=$($PY scripts/bench/mpe_python.py --seconds "$S")
  ratio=$($PY -c "print(f'{$ours/$numpy:.0f}')")
  ratios+=("$ratio")
  echo "round $r: rlarena $($PY -c "print(f'{$ours/1e6:.2f}M')") | numpy $($PY -c "print(f'{$numpy/1e3:.1f}k')") | ratio ${ratio}x"
done
echo "median ratio $(printf '%s\n' "${ratios[@]}" | sort -n | sed -n "$(( (ROUNDS + 1) / 2 ))p")x"
echo "== every particle world, 64 envs, 1 and 2 threads"
for env in simple_spread_v3 simple_tag_v3 simple_adversary_v3 simple_push_v3; do
  "$BIN" bench "$env" --num-envs 64 --threads 1,2 --seconds "$S" 2>/dev/null
done
