#!/usr/bin/env bash
# D4RL's recipe on our envs, since its files cannot be downloaded here: for ENV
# (Hopper-v5, HalfCheetah-v5 or Walker2d-v5) it trains SAC (recipes/sac-<env>.cfg) and
# collects, with `rlarena dataset collect`:
#   random         the uniform policy
#   medium         the SAC policy stopped at the evaluation nearest 1/3 of the expert's return,
#                  among those before the run first reaches 2/3 of it
#   medium-replay  the replay buffer of the run up to that point
#   expert         the fully trained SAC policy
#   medium-expert  medium and expert together
# Each file's metadata/ names its env, policy run and that policy's evaluation return,
# and ref_min_score/ref_max_score from our random and expert policies. Each dataset is
# also registered in the Minari root as mujoco/<env>/<kind>-v0.
#   scripts/datasets.sh ENV [OUT_DIR]      (default OUT_DIR: datasets/<env>)
# Environment: EXPERT_STEPS (SAC env steps, default the recipe's 1M), DATASET_STEPS (steps
# per dataset, default 1000000 as D4RL), EVAL_EVERY (default 10000), SEED (default 1).
# Re-running continues: finished runs and files are kept, an interrupted run resumes from
# its checkpoint (saved every 10000 env steps).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/same_kernels.sh  # the kernels the recorded figures were made with
ENV_ID=${1:?usage: scripts/datasets.sh ENV [OUT_DIR]   (ENV: Hopper-v5, HalfCheetah-v5 or Walker2d-v5)}
NAME=$(echo "${ENV_ID%-v*}" | tr '[:upper:]' '[:lower:]')
OUT=${2:-datasets/$NAME}
RECIPE=recipes/sac-$NAME.cfg
[ -f "$RECIPE" ] || { echo "datasets.sh: no $RECIPE; give Hopper-v5, HalfCheetah-v5 or Walker2d-v5" >&2; exit 2; }
EXPERT_STEPS=${EXPERT_STEPS:-$(sed -n 's/^total_steps *= *//p' "$RECIPE")}
DATASET_STEPS=${DATASET_STEPS:-1000000}
EVAL_EVERY=${EVAL_EVERY:-10000}
SEED=${SEED:-1}
R=build/rlarena
[ -x "$R" ] || scripts/setup.sh
mkdir -p "$OUT/runs"
say() { echo "datasets.sh [$(date +%H:%M:%S), ${SECONDS}s]: $*" >&2; }

# A run that finishes, resuming it when an earlier call was interrupted.
train() {  # DIR ARGS...
  local dir=$1; shift
  if [ -f "$dir/eval.json" ]; then return; fi
  if [ -f "$dir/checkpoints/latest.h5" ]; then $R train --resume "$dir"; else $R train "$@" --checkpoint_every 10000 --run-dir "$dir"; fi
}
json() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$2)" "$1"; }

say "expert: SAC on $ENV_ID for $EXPERT_STEPS steps"
train "$OUT/runs/expert" "$RECIPE" --seed "$SEED" --total_steps "$EXPERT_STEPS" --eval_every "$EVAL_EVERY"
EXPERT_RETURN=$(json "$OUT/runs/expert/eval.json" "['mean']")

# The medium policy: the same run (same seed, so the same steps) stopped at the evaluation
# nearest a third of the expert's return, among those before the run first reaches two
# thirds of it (later dips are a near-expert policy failing, not a medium one); its store
# is medium-replay. Not the first evaluation past a third: SAC's returns jump while it
# learns to hop, and such an evaluation is often half falls, half expert episodes
# (Hopper's at 40k: 1425 +- 821), which is not a medium policy (results.md).
MEDIUM_STEP=$(python3 - "$OUT/runs/expert/evals.csv" "$EXPERT_RETURN" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
expert = float(sys.argv[2])
early = []
for r in rows:
    if float(r["mean"]) >= 2 * expert / 3:
        break
    early.append(r)
print(min(early or rows[:1], key=lambda r: abs(float(r["mean"]) - expert / 3))["global_step"])
PY
)
say "medium: the run to step $MEDIUM_STEP (expert return $EXPERT_RETURN)"
train "$OUT/runs/medium" "$RECIPE" --seed "$SEED" --total_steps "$MEDIUM_STEP" --eval_every "$EVAL_EVERY" --save-buffer
MEDIUM_RETURN=$(json "$OUT/runs/medium/eval.json" "['mean']")

# The random policy's return, from a short collection of its own.
if [ ! -f "$OUT/random-return.hdf5" ]; then
  $R dataset collect "$ENV_ID" --policy random --steps 20000 --seed 999 --out "$OUT/random-return.hdf5" > /dev/null
fi
RANDOM_RETURN=$($R dataset info "$OUT/random-return.hdf5" --json | python3 -c "import json,sys; print(json.load(sys.stdin)['return']['mean'])")
REFS=(--metadata "ref_min_score=$RANDOM_RETURN" --metadata "ref_max_score=$EXPERT_RETURN")
say "references: random $RANDOM_RETURN, expert $EXPERT_RETURN"

collect() {  # KIND POLICY RETURN [collect options]
  local kind=$1 policy=$2 ret=$3; shift 3
  local file="$OUT/$NAME-$kind.hdf5"
  if [ -f "$file" ]; then return; fi
  say "$kind: $DATASET_STEPS steps of $policy"
  $R dataset collect "$ENV_ID" --policy "$policy" --steps "$DATASET_STEPS" --seed "$SEED" --out "$file" "${REFS[@]}" \
    --metadata "dataset=$NAME-$kind" --metadata "policy_run=$policy" --metadata "policy_eval_return=$ret" "$@"
}
collect random random "$RANDOM_RETURN"
collect medium "$OUT/runs/medium" "$MEDIUM_RETURN" --stochastic
collect expert "$OUT/runs/expert" "$EXPERT_RETURN" --stochastic
if [ ! -f "$OUT/$NAME-medium-replay.hdf5" ]; then
  say "medium-replay: the medium run's $MEDIUM_STEP steps"
  $R dataset convert "$OUT/runs/medium/buffer.hdf5" --to d4rl --out "$OUT/$NAME-medium-replay.hdf5" "${REFS[@]}" \
    --metadata "dataset=$NAME-medium-replay" --metadata algorithm_name=sac --metadata "policy_run=$OUT/runs/medium" --metadata "policy_eval_return=$MEDIUM_RETURN"
fi
if [ ! -f "$OUT/$NAME-medium-expert.hdf5" ]; then
  say "medium-expert: medium and expert together"
  $R dataset merge "$OUT/$NAME-medium.hdf5" "$OUT/$NAME-expert.hdf5" --out "$OUT/$NAME-medium-expert.hdf5" "${REFS[@]}" \
    --metadata "dataset=$NAME-medium-expert" --metadata algorithm_name=sac
fi

for kind in random medium medium-replay expert medium-expert; do
  id="mujoco/$NAME/$kind-v0"
  if $R dataset info "$id" > /dev/null 2>&1; then continue; fi
  $R dataset convert "$OUT/$NAME-$kind.hdf5" --to minari --id "$id" > /dev/null
  say "registered $id"
done
say "done: $(ls "$OUT"/*.hdf5 | tr '\n' ' ')"
$R dataset list
