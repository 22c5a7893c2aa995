#!/usr/bin/env bash
# Offline figures of issue [2/8] (not a test): BC, TD3+BC, CQL and IQL on hopper-medium and
# walker2d-medium (our D4RL-style datasets, scripts/datasets.sh), the same gradient steps
# and seeds for all, then IQL on hopper-medium-expert and IQL from hopper-medium with
# online fine-tuning, each from its recipe (recipes/ALGO-ENV-medium.cfg and the two
# iql-hopper-medium-*.cfg, CORL's settings) with GRADIENT_STEPS in place of CORL's 1M.
# Prints a table of final normalized scores (mean +- std over seeds) beside CORL's
# published ones; runs already finished are kept, interrupted ones resume (from their
# checkpoint, saved at every evaluation).
#   scripts/bench/offline.sh [GRADIENT_STEPS] [SEEDS]      (defaults 50000 and 3)
# Environment: ALGOS (default "bc td3_bc cql iql"), ENVS (default "Hopper-v5 Walker2d-v5"),
#   ONLINE_STEPS (default 100000), RUNS (default runs/offline).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/same_kernels.sh  # the kernels the recorded figures were made with
STEPS=${1:-50000}
SEEDS=${2:-3}
ALGOS=${ALGOS:-bc td3_bc cql iql}
ENVS=${ENVS:-Hopper-v5 Walker2d-v5}
ONLINE_STEPS=${ONLINE_STEPS:-100000}
RUNS=${RUNS:-runs/offline}
R=build/rlarena
[ -x "$R" ] || scripts/setup.sh
EVAL_EVERY=$(( STEPS / 10 > 0 ? STEPS / 10 : 1 ))

name_of() { echo "${1%-v*}" | tr '[:upper:]' '[:lower:]'; }
ensure_datasets() {  # ENV
  $R dataset info "mujoco/$(name_of "$1")/medium-v0" > /dev/null 2>&1 || scripts/datasets.sh "$1"
}
run() {  # DIR ARGS...
  local dir=$1; shift
  if [ -f "$dir/eval.json" ]; then return; fi
  if [ -f "$dir/checkpoints/latest.h5" ]; then $R train --resume "$dir"
  else $R train "$@" --checkpoint_every "$EVAL_EVERY" --run-dir "$dir"; fi
}

for env in $ENVS; do
  ensure_datasets "$env"
  n=$(name_of "$env")
  for algo in $ALGOS; do
    for seed in $(seq 1 "$SEEDS"); do
      echo "offline.sh: $algo on $n-medium, seed $seed, $STEPS gradient steps" >&2
      run "$RUNS/$n-medium/$algo/seed$seed" "recipes/$algo-$n-medium.cfg" \
        --total-steps "$STEPS" --seed "$seed" --eval-every "$EVAL_EVERY" --eval-episodes 10
    done
  done
done
first=$(echo "$ENVS" | awk '{print $1}')
n=$(name_of "$first")
for seed in $(seq 1 "$SEEDS"); do
  [ -f "recipes/iql-$n-medium-expert.cfg" ] || break  # recipes exist for hopper
  run "$RUNS/$n-medium-expert/iql/seed$seed" "recipes/iql-$n-medium-expert.cfg" \
    --total-steps "$STEPS" --seed "$seed" --eval-every "$EVAL_EVERY" --eval-episodes 10
  run "$RUNS/$n-medium-online/iql/seed$seed" "recipes/iql-$n-medium-online.cfg" \
    --total-steps "$STEPS" --online_steps "$ONLINE_STEPS" --seed "$seed" --eval-every "$EVAL_EVERY" --eval-episodes 10
done

python3 - "$RUNS" "$STEPS" <<'PY'
import csv, glob, json, os, statistics, sys
runs, steps = sys.argv[1], sys.argv[2]
corl = {"hopper-medium": {"bc": 53.5, "td3_bc": 60.4, "cql": 59.1, "iql": 67.5},
        "walker2d-medium": {"bc": 63.2, "td3_bc": 82.7, "cql": 80.8, "iql": 80.9}}
print(f"normalized score at the end ({steps} gradient steps; mean +- std over seeds; CORL's D4RL figure in brackets)")
print("| dataset | algo | seeds | normalized score | raw return | CORL |")
print("|---|---|---|---|---|---|")
for data in sorted(os.listdir(runs)):
    for algo in sorted(os.listdir(os.path.join(runs, data))):
        evals = [json.load(open(f)) for f in sorted(glob.glob(os.path.join(runs, data, algo, "seed*", "eval.json")))]
        if not evals:
            continue
        scores = [e.get("normalized_score", float("nan")) for e in evals]
        raw = [e["mean"] for e in evals]
        sd = lambda xs: statistics.stdev(xs) if len(xs) > 1 else 0.0
        ref = corl.get(data, {}).get(algo, "")
        print(f"| {data} | {algo} | {len(evals)} | {statistics.mean(scores):.1f} +- {sd(scores):.1f} | "
              f"{statistics.mean(raw):.0f} +- {sd(raw):.0f} | {ref} |")
# Offline-to-online: the score at the end of the offline phase against the end of the run.
for d in sorted(glob.glob(os.path.join(runs, "*-online", "iql", "seed*"))):
    rows = list(csv.DictReader(open(os.path.join(d, "evals.csv"))))
    offline = [r for r in rows if int(r["global_step"]) <= int(steps)]
    if offline and "normalized" in rows[-1]:
        print(f"{d}: normalized {float(offline[-1]['normalized']):.1f} after the offline phase -> "
              f"{float(rows[-1]['normalized']):.1f} after online fine-tuning")
PY
