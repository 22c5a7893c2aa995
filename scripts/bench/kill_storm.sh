#!/usr/bin/env bash
# Kill storms: kill -9 at random moments during a command, then continue it (train:
# --resume, or the same command where no checkpoint exists yet; dataset collect: the
# same command into a new file), KILLS times, and check the end against an
# uninterrupted run: equal metrics.csv and episodes.csv (but wall_s and sps), equal
# checkpoint arrays, and every killed dataset holding the flushed steps of the
# uninterrupted one.
#   scripts/bench/kill_storm.sh [KILLS] [SEED]
set -uo pipefail
cd "$(dirname "$0")/../.."
KILLS="${1:-20}"
SEED="${2:-1}"
RANDOM=$SEED
[ -x build/rlarena ] && [ -x build/bench/same_state ] || cmake --build build --target rlarena same_state >/dev/null
BIN=build/rlarena
SAME=build/bench/same_state
DIR=runs/kill_storm
rm -rf "$DIR"
mkdir -p "$DIR"
echo "kill_storm.sh: $KILLS kills per command, seed $SEED ($(date -u +%FT%TZ), $(git rev-parse --short HEAD))"

# A random pause of 0.05 to MAX seconds.
pause() { sleep "$(awk -v r=$RANDOM -v m="$1" 'BEGIN { printf "%.2f", 0.05 + (m - 0.05) * r / 32767 }')"; }

# The CSV without its wall-clock columns.
strip() {
  python3 - "$1" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
drop = {i for i, c in enumerate(rows[0]) if c in ("wall_s", "sps")}
for r in rows: print(",".join(c for i, c in enumerate(r) if i not in drop))
PY
}

ROWS=()
storm_train() {  # name, max pause, recipe and keys
  local name=$1 max=$2; shift 2
  local ref="$DIR/$name-reference" run="$DIR/$name-storm" kills=0 runs=0
  $BIN train "$@" --run-dir "$ref" >/dev/null 2>&1 || { echo "$name: the reference run failed"; return; }
  while [ $kills -lt "$KILLS" ]; do
    if [ -f "$run/checkpoints/latest.h5" ]; then
      $BIN train --resume "$run" >/dev/null 2>"$DIR/$name.err" &
    else
      $BIN train "$@" --run-dir "$run" --overwrite >/dev/null 2>"$DIR/$name.err" &
    fi
    local pid=$!
    runs=$((runs + 1))
    pause "$max"
    if kill -9 $pid 2>/dev/null; then kills=$((kills + 1)); fi
    wait $pid 2>/dev/null
    if grep -q "finished at step" "$DIR/$name.err"; then break; fi
  done
  # The last continuation runs to the end.
  if [ -f "$run/checkpoints/latest.h5" ]; then
    $BIN train --resume "$run" >/dev/null 2>"$DIR/$name.err"
  else
    $BIN train "$@" --run-dir "$run" --overwrite >/dev/null 2>"$DIR/$name.err"
  fi
  runs=$((runs + 1))
  local equal=yes
  for f in metrics.csv episodes.csv; do
    cmp -s <(strip "$ref/$f") <(strip "$run/$f") || { equal=no; echo "$name: $f differs"; }
  done
  $SAME checkpoint "$ref/checkpoints/latest.h5" "$run/checkpoints/latest.h5" >"$DIR/$name.same" ||
    { equal=no; cat "$DIR/$name.same"; }
  ROWS+=("| train $name | $runs | $kills | $equal ($(tail -1 "$DIR/$name.same")) |")
}

storm_collect() {  # max pause, collect arguments
  local max=$1; shift
  local ref="$DIR/collect-reference.hdf5" kills=0 runs=0 equal=yes
  $BIN dataset collect "$@" --out "$ref" >/dev/null 2>&1 || { echo "collect: the reference failed"; return; }
  while [ $kills -lt "$KILLS" ]; do
    local out="$DIR/collect-$runs.hdf5"
    $BIN dataset collect "$@" --out "$out" >/dev/null 2>&1 &
    local pid=$!
    runs=$((runs + 1))
    pause "$max"
    if kill -9 $pid 2>/dev/null; then
      kills=$((kills + 1))
      wait $pid 2>/dev/null
      [ -f "$out" ] || continue  # killed before the file was made
      # Every flushed step is there, and they are the uninterrupted run's first steps.
      if ! $BIN dataset recover "$out" --out "$out.plain" >/dev/null 2>"$DIR/collect.err"; then
        equal=no; echo "collect: $out: $(cat "$DIR/collect.err")"
      elif ! $SAME prefix "$out.plain" "$ref" >/dev/null; then
        equal=no; echo "collect: $out is not a prefix of the uninterrupted run"
      fi
    else
      wait $pid 2>/dev/null
    fi
  done
  local last="$DIR/collect-last.hdf5"
  $BIN dataset collect "$@" --out "$last" >/dev/null 2>&1
  runs=$((runs + 1))
  $SAME prefix "$last" "$ref" >/dev/null && $SAME prefix "$ref" "$last" >/dev/null || equal=no
  ROWS+=("| dataset collect | $runs | $kills | $equal (every killed file: its flushed steps, a prefix of the full run) |")
}

storm_train on-policy 1.0 recipes/ppo-cartpole.cfg --total_steps 500000 --checkpoint_every 16384 --eval_every 65536 --eval_episodes 3
storm_train off-policy 1.0 recipes/dqn-cartpole.cfg --total_steps 300000 --checkpoint_every 10000 --eval_every 50000 --eval_episodes 3
storm_collect 1.0 LunarLander-v3 --policy heuristic --steps 60000 --num-envs 4 --flush-every 2000

echo
echo "| command | runs | kills | results equal |"
echo "|---|---|---|---|"
for r in "${ROWS[@]}"; do echo "$r"; done
