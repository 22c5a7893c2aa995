#!/usr/bin/env bash
# Distributed figures of issue [7/8] (not a test): PPO on HalfCheetah-v5 (recipes/
# ppo-halfcheetah.cfg) for the same env steps as 1 process x 1 thread and as 2 local
# ranks x 1 thread (--nproc 2, loopback), one after the other in this run: the job's
# env steps/s of each and their ratio, both learning curves at the same env steps, and
# the gradient all-reduce's cost per update against the update's time. Run it on a
# quiet machine: each rank wants a core of its own.
#   scripts/bench/distributed.sh [ENV_STEPS]      (default 100000)
set -euo pipefail
cd "$(dirname "$0")/../.."
STEPS=${1:-100000}
R=build/rlarena
[ -x "$R" ] || scripts/setup.sh
OUT=runs/bench-distributed
rm -rf "$OUT"
mkdir -p "$OUT"
# RL Zoo's settings (minibatches of 64 rows, 160 per 512-step rollout) make every update
# wait for an all-reduce of ~1-2 ms on these VMs' loopback (Gloo's latency alone is
# ~0.9 ms): communication-bound. A data-parallel job's settings give each all-reduce
# more work: 32 envs x 256 steps per rank, 2 minibatches of 4096 rows, 10 epochs.
# SETTINGS=zoo measures the recipe as it is instead.
settings=(--num_envs 32 --num_steps 256 --minibatches 2 --epochs 10)
[ "${SETTINGS:-}" = zoo ] && settings=()
common=(recipes/ppo-halfcheetah.cfg "${settings[@]}" --total_steps "$STEPS" --torch_threads 1 --blas_threads 1
        --env_threads 1 --eval_every 0 --eval_episodes 10 --tensorboard false)
echo "distributed.sh: PPO HalfCheetah-v5 ${settings[*]:-(the recipe as it is)}, $STEPS env steps each" \
  "($(date -u +%FT%TZ), $(git rev-parse --short HEAD))"
SECONDS=0
"$R" train "${common[@]}" --run-dir "$OUT/one" 2> "$OUT/one.err" | tail -2
one_s=$SECONDS
SECONDS=0
"$R" train "${common[@]}" --nproc 2 --run-dir "$OUT/two" 2> "$OUT/two.err" | tail -2
two_s=$SECONDS
grep '^all-reduce' "$OUT/two.err" || true
python3 - "$OUT" "$one_s" "$two_s" <<'PY'
import csv, sys
out, one_s, two_s = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def rows(run):
    return list(csv.DictReader(open(f"{out}/{run}/metrics.csv")))
one, two = rows("one"), rows("two")
# Training wall time (the runs' own clock, without start-up and the final evaluation).
w1, w2 = float(one[-1]["wall_s"]), float(two[-1]["wall_s"])
s1, s2 = int(one[-1]["global_step"]), int(two[-1]["global_step"])
print(f"1 process x 1 thread: {s1} env steps in {w1:.1f} s, {s1 / w1:.0f} steps/s (command {one_s} s)")
print(f"2 ranks x 1 thread:   {s2} env steps in {w2:.1f} s, {s2 / w2:.0f} steps/s (command {two_s} s)")
print(f"ratio {(s2 / w2) / (s1 / w1):.2f}")
print("learning curves (mean episodic return of the metrics rows up to each step):")
def curve(rs, step):
    vals = [float(r["episodic_return"]) for r in rs if r["episodic_return"] and int(r["global_step"]) <= step]
    recent = vals[-5:]
    return sum(recent) / len(recent) if recent else float("nan")
marks = [s1 * k // 5 for k in range(1, 6)]
print("  env steps   " + "".join(f"{m:>10}" for m in marks))
print("  1 process   " + "".join(f"{curve(one, m):>10.1f}" for m in marks))
print("  2 ranks     " + "".join(f"{curve(two, m):>10.1f}" for m in marks))
PY
