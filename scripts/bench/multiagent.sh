#!/usr/bin/env bash
# Multi-agent learning figures of issue [4/8] (not a test), each a run of its recipe
# then a tournament or evaluation of what it learned:
#   selfplay-sumo:        the final policy against random and against its first snapshot (win rates)
#   selfplay-connectfour: the final policy against greedy (win rate)
#   mappo-spread / ippo-spread: mean episode return per agent (100 evaluation episodes)
#                         beside random actions over the same seeds
# Runs already finished are kept. scripts/bench/multiagent.sh [WHICH...] [--seed S]
#   WHICH: sumo connectfour spread (default all)
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/same_kernels.sh  # the kernels the recorded figures were made with
R=build/rlarena
PY=/usr/bin/python3
RUNS=${RUNS:-runs/bench-multiagent}
SEED=${SEED:-1}
[ -x "$R" ] || scripts/setup.sh
WHICH=("$@")
[ ${#WHICH[@]} -gt 0 ] || WHICH=(sumo spread connectfour)
train() {  # RECIPE DIR
  if [ -f "$2/eval.json" ]; then return; fi
  if [ -f "$2/checkpoints/latest.h5" ]; then $R train --resume "$2"; else $R train "$1" --seed "$SEED" --run-dir "$2"; fi
}
first_snapshot() { ls "$1"/checkpoints/step_*.h5 | sort -t_ -k2 -n | head -1; }
against() {  # DIR PLAYER OPPONENT: PLAYER's wins-draws-losses against OPPONENT and its win rate, from matrix.csv
  $PY - "$1/matrix.csv" "$2" "$3" <<'PY'
import csv, sys
for r in csv.DictReader(open(sys.argv[1])):
    if r["player"] == sys.argv[2] and r["opponent"] == sys.argv[3]:
        w, d, l = int(r["wins"]), int(r["draws"]), int(r["losses"])
        print(f"{sys.argv[2]} vs {sys.argv[3]}: {w}-{d}-{l}, wins {w / max(w + d + l, 1):.3f}")
PY
}
for which in "${WHICH[@]}"; do
  case $which in
  sumo)
    run=$RUNS/selfplay-sumo-seed$SEED
    SECONDS=0
    train recipes/selfplay-sumo.cfg "$run"
    echo "== selfplay-sumo, seed $SEED: trained in ${SECONDS}s (0 if it was already)"
    first=$(first_snapshot "$run")
    $R tournament --env Sumo-v0 --players "final=$run" random "first=$first" --games-per-pair 200 --seed 7 \
      --out "$run/tournament" > /dev/null
    echo "first snapshot: $first"
    against "$run/tournament" final random
    against "$run/tournament" final first
    cat "$run/tournament/matrix.csv"
    ;;
  connectfour)
    run=$RUNS/selfplay-connectfour-seed$SEED
    SECONDS=0
    train recipes/selfplay-connectfour.cfg "$run"
    echo "== selfplay-connectfour, seed $SEED: trained in ${SECONDS}s (0 if it was already)"
    $R tournament --env ConnectFour-v0 --players "final=$run" greedy random --games-per-pair 200 --seed 7 \
      --out "$run/tournament" > /dev/null
    against "$run/tournament" final greedy
    cat "$run/tournament/matrix.csv"
    ;;
  spread)
    for algo in mappo ippo; do
      run=$RUNS/$algo-spread-seed$SEED
      SECONDS=0
      train recipes/$algo-spread.cfg "$run"
      echo "== $algo-spread, seed $SEED: trained in ${SECONDS}s; final evaluation (per-agent episode return):"
      $PY -c "import json,sys; e=json.load(open(sys.argv[1])); print(f\"  {e['mean']:.2f} +- {e['std']:.2f} over {e['episodes']} agent-episodes\")" "$run/eval.json"
    done
    echo "== random actions on simple_spread_v3, the same evaluation seeds (1000001..1000100):"
    for s in $(seq 1000001 1000100); do $R rollout simple_spread_v3 --seed "$s" --policy random --out -; done |
      $PY -c "
import csv, sys
ret, n = {}, 0
for line in sys.stdin:
    if line.startswith('step'): continue
    cells = line.rstrip().split(',')
    ret[cells[1]] = ret.get(cells[1], 0.0) + float(cells[-3]); n += 1
print(f'  {sum(ret.values()) / 300:.2f} per agent-episode (100 episodes x 3 agents)')"
    ;;
  *) echo "unknown part $which; give sumo, connectfour or spread" >&2; exit 2 ;;
  esac
done
