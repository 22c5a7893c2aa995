#!/usr/bin/env bash
# Learning figures of issue [5/5]: trains RECIPE for each seed and reports, from each
# run's metrics.csv, the first step and wall second at which the mean of the last 20
# episodic returns reached TARGET, and the final mean.
#   scripts/bench/learn.sh [RECIPE] [SEEDS] [TARGET]
set -euo pipefail
cd "$(dirname "$0")/../.."
RECIPE="${1:-recipes/ppo-cartpole.cfg}"
SEEDS="${2:-5}"
TARGET="${3:-475}"
PY=/usr/bin/python3
[ -x build/rlarena ] || scripts/setup.sh
OUT=$(mktemp -d)
for seed in $(seq 1 "$SEEDS"); do
  build/rlarena train "$RECIPE" --seed "$seed" --run-dir "$OUT/seed$seed" 2>/dev/null >/dev/null
  $PY - "$OUT/seed$seed/metrics.csv" "$TARGET" "$seed" <<'PYEOF'
import csv, sys
path, target, seed = sys.argv[1], float(sys.argv[2]), sys.argv[3]
recent, reached = [], None
rows = list(csv.DictReader(open(path)))
for row in rows:
    if row["episodic_return"]:
        # metrics hold the mean of each update's episodes, weighted here by their count
        recent += [float(row["episodic_return"])] * int(row["episodes"])
        recent = recent[-20:]
    if reached is None and len(recent) == 20 and sum(recent) / 20 >= target:
        reached = (int(row["global_step"]), float(row["wall_s"]))
final = sum(recent) / len(recent) if recent else float("nan")
if reached:
    print(f"seed {seed}: mean of last 20 >= {target:g} at step {reached[0]} ({reached[1]:.1f} s); final {final:.1f}")
else:
    print(f"seed {seed}: never reached {target:g}; final {final:.1f}")
PYEOF
done
rm -rf "$OUT"
