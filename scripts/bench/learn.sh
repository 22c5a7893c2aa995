#!/usr/bin/env bash
# Learning figures of a recipe: trains RECIPE once per seed (one run at a time, so
# each has both cores), then prints a line per seed (first env step and wall second
# at which the mean of the last 20 episodic returns reached TARGET, the final such
# mean, wall time, the evaluation) and the summary row that docs/results.md's table
# takes as it is (scripts/bench/learn_summary.py). Runs stay in
# runs/bench/<recipe>/seed<N>; curve.png there shows all seeds (mean and band).
#   scripts/bench/learn.sh RECIPE [SEEDS] [TARGET] [--eval [EPISODES]] [--key value ...]
#     SEEDS: a count (5: seeds 1..5) or a list (4,5,6)
#     --eval: a deterministic evaluation of EPISODES episodes (20 unless given) at the
#             end of each seed; without it the runs skip their final evaluation
#   e.g. scripts/bench/learn.sh recipes/ppo-lunarlander.cfg 5 200 --eval
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/same_kernels.sh  # the kernels the recorded figures were made with
RECIPE="${1:-recipes/ppo-cartpole.cfg}"
SEEDS="${2:-5}"
TARGET="${3:-475}"
shift $(( $# < 3 ? $# : 3 ))
EVAL=0
if [ "${1:-}" = "--eval" ]; then
  shift
  EVAL=20
  if [[ "${1:-}" =~ ^[0-9]+$ ]]; then EVAL="$1"; shift; fi
fi
if [[ "$SEEDS" == *,* ]]; then SEED_LIST="${SEEDS//,/ }"; else SEED_LIST=$(seq 1 "$SEEDS"); fi
[ -x build/rlarena ] || scripts/setup.sh
STEM=$(basename "$RECIPE" .cfg)
DIR="runs/bench/$STEM"
rm -rf "$DIR"
mkdir -p "$DIR"
echo "learn.sh $RECIPE seeds $(echo $SEED_LIST) target $TARGET eval $EVAL episodes $* ($(date -u +%FT%TZ), $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
for seed in $SEED_LIST; do
  build/rlarena train "$RECIPE" --seed "$seed" --run-dir "$DIR/seed$seed" --eval_episodes "$EVAL" "$@" \
    2>/dev/null >"$DIR/seed$seed.log"
done
scripts/bench/learn_summary.py "$RECIPE" "$DIR" "$TARGET" $SEED_LIST
build/rlarena plot "$DIR"/seed*/ --out "$DIR/curve.png" --title "$STEM" >/dev/null && echo "curves: $DIR/curve.png"
