#!/usr/bin/env bash
# Env throughput figures of issues [1/5], [2/5] and [3/5], each
# measured as a ratio against a baseline run beside it in the same process where
# possible, because these machines are shared and noisy.
#   scripts/bench/envs.sh [SECONDS_PER_RUN]
set -euo pipefail
cd "$(dirname "$0")/../.."
S="${1:-3}"
# Debian's python3 (with python3-numpy from setup.sh), whatever else is on PATH.
PY=/usr/bin/python3
BIN=build/rlarena
[ -x "$BIN" ] || scripts/setup.sh
sps() { "$BIN" bench "$@" --seconds "$S" --json | $PY -c 'import json,sys; print(json.load(sys.stdin)["steps_per_s"])'; }
fmt() { $PY -c "import sys; print(f'{float(sys.argv[1])/1e6:.2f}M')" "$1"; }
ratio() { $PY -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.2f}')" "$1" "$2"; }

echo "== sync VecEnv, 64 envs, 1 thread (env steps/s)"
py=$($PY scripts/bench/cartpole_python.py --seconds "$S")
cp=$(sps CartPole-v1 --num-envs 64 --threads 1)
echo "CartPole-v1: $(fmt "$cp")  (target >= 10M); Python CartPole beside it: $($PY -c "print(f'{$py/1e3:.1f}k')") -> ratio $(ratio "$cp" "$py")x"
for env in Pendulum-v1 Acrobot-v1 MountainCar-v0 MountainCarContinuous-v0; do
  echo "$env: $(fmt "$(sps "$env" --num-envs 64 --threads 1)")"
done

echo "== async VecEnv, 1 vs 2 threads in alternating rounds (2 threads must not be slower)"
for env in CartPole-v1 Pendulum-v1 Acrobot-v1; do
  for n in 64 1024; do
    "$BIN" bench "$env" --num-envs "$n" --threads 1,2 --async --seconds "$S" 2>/dev/null | tail -1
  done
done

echo "== MuJoCo: env vs bare mj_step on the same model, 16 envs, 1 thread (target >= 0.9 for the first five)"
for env in HalfCheetah-v5 Hopper-v5 Walker2d-v5 Ant-v5 Humanoid-v5 Swimmer-v5 Reacher-v5 Pusher-v5 \
           InvertedPendulum-v5 InvertedDoublePendulum-v5; do
  "$BIN" bench "$env" --num-envs 16 --threads 1 --raw-physics --seconds "$S" 2>/dev/null
done

echo "== MuJoCo: 2 threads / 1 thread, 16 envs (target >= 1.8 for Ant and Humanoid)"
for env in Ant-v5 Humanoid-v5; do
  for mode in "" --async; do
    "$BIN" bench "$env" --num-envs 16 --threads 1,2 $mode --seconds "$S" 2>/dev/null | tail -1
  done
done

echo "== Box2D: env vs bare b2World::Step on the same world, and 2 threads / 1 thread (16 envs)"
echo "   (targets: raw ratio >= 0.8 for LunarLander and BipedalWalker)"
for env in LunarLander-v3 BipedalWalker-v3 BipedalWalkerHardcore-v3; do
  "$BIN" bench "$env" --num-envs 16 --threads 1,2 --raw-physics --seconds "$S" 2>/dev/null
done
echo "   CarRacing: the raw loop is car model + b2World::Step, so env/raw shows the 96x96 picture's cost"
"$BIN" bench CarRacing-v3 --num-envs 16 --threads 1,2 --raw-physics --seconds "$S" 2>/dev/null
for env in LunarLander-v3 BipedalWalker-v3; do
  "$BIN" bench "$env" --num-envs 16 --threads 1,2 --async --seconds "$S" 2>/dev/null | tail -1
done
