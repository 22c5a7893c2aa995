#!/usr/bin/env bash
# Model-based figures of issue [3/8] (not a test), one part or several:
#   pets-ip       PETS on InvertedPendulum-v5, 5k env steps, seeds 1..SEEDS: evaluations,
#                 the first env step whose evaluation reached 1000, and the first training
#                 episode of return 1000 (PETS's training episodes are planned as its
#                 evaluations are; MBRL-Lib reports those)
#   pets-reacher  PETS on Reacher-v5 after 10k env steps, beside SAC after 10k and 100k
#                 env steps (one SAC run per seed, evaluated at both), same seeds
#   mbpo-hopper   MBPO on Hopper-v5 and SAC (recipes/sac-hopper.cfg) at 30k env steps,
#                 same seeds, with wall times
#   speed         PETS planning time per env step; one epoch of ensemble training,
#                 batched against a loop of 7 networks; MBPO's SAC updates/s against SAC's
#   scripts/bench/model_based.sh [PART ...]        (default: all four; seeds FIRST_SEED..SEEDS,
#                                                   1..3 unless given)
# Runs go to runs/model_based/<part>/...; finished runs are kept, interrupted ones resume
# (from their checkpoint, saved every 1000 env steps).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/same_kernels.sh  # the kernels the recorded figures were made with
SEEDS=${SEEDS:-3}
FIRST_SEED=${FIRST_SEED:-1}
RUNS=${RUNS:-runs/model_based}
PARTS=${*:-pets-ip pets-reacher mbpo-hopper speed}
R=build/rlarena
[ -x "$R" ] || scripts/setup.sh

run() {  # DIR ARGS...
  local dir=$1; shift
  if [ -f "$dir/eval.json" ]; then return; fi
  echo "model_based.sh: $dir" >&2
  if [ -f "$dir/checkpoints/latest.h5" ]; then $R train --resume "$dir" >/dev/null
  else $R train "$@" --checkpoint_every 1000 --run-dir "$dir" >/dev/null; fi
}

# The evaluation of DIR at env step STEP (evals.csv), or at the end when STEP is "end".
eval_at() {
  /usr/bin/python3 - "$1" "$2" <<'PYEOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1] + "/evals.csv")))
step = sys.argv[2]
row = rows[-1] if step == "end" else next((r for r in rows if int(r["global_step"]) == int(step)), None)
print(f"{float(row['mean']):.1f}" if row else "n/a")
PYEOF
}
first_reaching() {  # CSV COLUMN VALUE: global_step of the first row of CSV whose COLUMN is >= VALUE
  /usr/bin/python3 - "$1" "$2" "$3" <<'PYEOF'
import csv, sys
hit = next((r["global_step"] for r in csv.DictReader(open(sys.argv[1]))
            if float(r[sys.argv[2]]) >= float(sys.argv[3])), "never")
print(hit)
PYEOF
}
wall() { tail -1 "$1/metrics.csv" | awk -F, '{printf "%.0f", $2}'; }

for part in $PARTS; do
  case $part in
    pets-ip)
      for s in $(seq "$FIRST_SEED" "$SEEDS"); do
        run "$RUNS/pets-ip/seed$s" recipes/pets-invertedpendulum.cfg --seed "$s"
        d="$RUNS/pets-ip/seed$s"
        echo "pets InvertedPendulum-v5 seed $s: eval at 5k $(eval_at "$d" end), first eval >= 1000 at step $(first_reaching "$d/evals.csv" mean 1000), first training episode of 1000 ending at step $(first_reaching "$d/episodes.csv" return 1000), $(wall "$d") s"
      done ;;
    pets-reacher)
      for s in $(seq "$FIRST_SEED" "$SEEDS"); do
        run "$RUNS/pets-reacher/pets-seed$s" recipes/pets-reacher.cfg --seed "$s"
        run "$RUNS/pets-reacher/sac-seed$s" --algo sac --env Reacher-v5 --seed "$s" --total-steps 100000 \
          --learning_starts 5000 --eval-every 10000 --eval-episodes 10 --blas_threads 2
        p="$RUNS/pets-reacher/pets-seed$s" q="$RUNS/pets-reacher/sac-seed$s"
        echo "Reacher-v5 seed $s: PETS at 10k $(eval_at "$p" end) ($(wall "$p") s); SAC at 10k $(eval_at "$q" 10000), at 100k $(eval_at "$q" end) ($(wall "$q") s)"
      done ;;
    mbpo-hopper)
      for s in $(seq "$FIRST_SEED" "$SEEDS"); do
        run "$RUNS/mbpo-hopper/mbpo-seed$s" recipes/mbpo-hopper.cfg --seed "$s"
        run "$RUNS/mbpo-hopper/sac-seed$s" recipes/sac-hopper.cfg --seed "$s" --total-steps 30000 --eval-every 5000
        m="$RUNS/mbpo-hopper/mbpo-seed$s" q="$RUNS/mbpo-hopper/sac-seed$s"
        echo "Hopper-v5 seed $s at 30k: MBPO $(eval_at "$m" end) ($(wall "$m") s), SAC $(eval_at "$q" end) ($(wall "$q") s)"
      done ;;
    speed)
      # Runs whose model trains once (model_train_every beyond the run): metrics.csv rows
      # after the first training time planning (PETS) or SAC updates (MBPO) alone.
      per_step() {  # DIR FROM_STEP: wall seconds per env step over the rows after FROM_STEP
        /usr/bin/python3 - "$1" "$2" <<'PYEOF'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1] + "/metrics.csv")) if int(r["global_step"]) >= int(sys.argv[2])]
print((float(rows[-1]["wall_s"]) - float(rows[0]["wall_s"])) / (int(rows[-1]["global_step"]) - int(rows[0]["global_step"])))
PYEOF
      }
      d="$RUNS/speed"
      rm -rf "$d" && mkdir -p "$d"
      $R train recipes/pets-invertedpendulum.cfg --total-steps 1200 --learning_starts 200 --model_train_every 1000000 \
        --log_every 100 --eval-episodes 0 --run-dir "$d/pets" >/dev/null
      echo "PETS planning (pets-invertedpendulum.cfg): $(/usr/bin/python3 -c "print(f'{1000 * $(per_step "$d/pets" 300):.1f}')") ms per env step"
      $R train recipes/mbpo-hopper.cfg --total-steps 7000 --model_train_every 1000000 --log_every 250 \
        --eval-episodes 0 --eval_every 0 --run-dir "$d/mbpo" >/dev/null
      $R train recipes/sac-hopper.cfg --total-steps 7000 --policy_frequency 1 --q_lr 0.0003 --log_every 250 \
        --eval-episodes 0 --run-dir "$d/sac" >/dev/null
      m=$(per_step "$d/mbpo" 5250) q=$(per_step "$d/sac" 5250)
      /usr/bin/python3 -c "m, q = 10 / $m, 1 / $q; print(f'SAC updates/s: MBPO {m:.0f} (10 per env step, minibatches of 5% real and 95% model rows), SAC {q:.0f} (1 per env step, env step and action included): ratio {m / q:.2f}')"
      scripts/bench/ensemble_speed.sh 3 ;;
    *) echo "model_based.sh: unknown part '$part'; give pets-ip, pets-reacher, mbpo-hopper or speed" >&2; exit 2 ;;
  esac
done
