#!/usr/bin/env bash
# Learning figures of issue [5/5]: trains RECIPE once per seed (one run at a time, so
# each has both cores) and reports, from each run's episodes.csv, the first env step
# and wall second at which the mean of the last 20 episodic returns reached TARGET,
# the final such mean, the run's wall time and the deterministic evaluation
# (eval.json). Runs stay in runs/bench/<recipe>/seed<N>; curve.png there shows all
# seeds (mean and band).
#   scripts/bench/learn.sh RECIPE [SEEDS] [TARGET] [--key value ...]
#   e.g. scripts/bench/learn.sh recipes/sac-halfcheetah.cfg 3 3000 --total_steps 100000
set -euo pipefail
cd "$(dirname "$0")/../.."
RECIPE="${1:-recipes/ppo-cartpole.cfg}"
SEEDS="${2:-5}"
TARGET="${3:-475}"
shift $(( $# < 3 ? $# : 3 ))
[ -x build/rlarena ] || scripts/setup.sh
STEM=$(basename "$RECIPE" .cfg)
DIR="runs/bench/$STEM"
rm -rf "$DIR"
mkdir -p "$DIR"
echo "learn.sh $RECIPE seeds 1..$SEEDS target $TARGET $* ($(date -u +%FT%TZ), $(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
for seed in $(seq 1 "$SEEDS"); do
  build/rlarena train "$RECIPE" --seed "$seed" --run-dir "$DIR/seed$seed" "$@" 2>/dev/null >"$DIR/seed$seed.log"
done
/usr/bin/python3 - "$DIR" "$SEEDS" "$TARGET" <<'PYEOF'
import csv, json, statistics, sys
d, seeds, target = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
reached_times, finals, evals = [], [], []
for seed in range(1, seeds + 1):
    run = f"{d}/seed{seed}"
    recent, reached = [], None
    for row in csv.DictReader(open(f"{run}/episodes.csv")):
        recent = (recent + [float(row["return"])])[-20:]
        if reached is None and len(recent) == 20 and sum(recent) / 20 >= target:
            reached = (int(row["global_step"]), float(row["wall_s"]))
    metrics = list(csv.DictReader(open(f"{run}/metrics.csv")))
    last = metrics[-1]
    final = sum(recent) / len(recent) if recent else float("nan")
    finals.append(final)
    ev = json.load(open(f"{run}/eval.json")) if __import__("os").path.exists(f"{run}/eval.json") else None
    if ev: evals.append(ev["mean"])
    line = f"seed {seed}: "
    if reached:
        reached_times.append(reached[1])
        line += f"last-20 mean >= {target:g} at step {reached[0]} ({reached[1]:.1f} s)"
    else:
        line += f"never reached {target:g}"
    line += f"; final last-20 mean {final:.1f}; {int(last['global_step'])} steps in {float(last['wall_s']):.1f} s"
    line += f" ({float(last['sps']):.0f} steps/s)"
    if ev: line += f"; eval {ev['episodes']} ep mean {ev['mean']:.1f} (IQM {ev['iqm']:.1f})"
    print(line)
summary = f"reached {target:g}: {len(reached_times)}/{seeds} seeds"
if reached_times:
    summary += f", wall s to target median {statistics.median(reached_times):.1f} (max {max(reached_times):.1f})"
summary += f"; final last-20 mean over seeds {statistics.mean(finals):.1f}"
if evals: summary += f"; eval mean over seeds {statistics.mean(evals):.1f}"
print(summary)
PYEOF
build/rlarena plot "$DIR"/seed*/ --out "$DIR/curve.png" --title "$STEM" >/dev/null && echo "curves: $DIR/curve.png"
