#!/usr/bin/env bash
# Tournaments of issue [4/8]: ConnectFour-v0 with GAMES games per pair (default 400)
# between random, greedy, mcts:50 and mcts:500 (the Elo order and its 95% intervals),
# then tournament speed in games/s at 1 and 2 threads on the same games.
#   scripts/bench/tournament.sh [GAMES] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
GAMES=${1:-400}
OUT=${2:-runs/bench-tournament}
[ -x build/rlarena ] || scripts/setup.sh
rm -rf "$OUT"
mkdir -p "$OUT"
echo "== ConnectFour-v0, $GAMES games per pair, 1 thread"
build/rlarena tournament --env ConnectFour-v0 --players random greedy mcts:50 mcts:500 \
  --games-per-pair "$GAMES" --seed 0 --threads 1 --out "$OUT/c4"
echo
cat "$OUT/c4/matrix.csv"
echo
echo "== speed: the same games at 2 threads (ratings must be the same)"
build/rlarena tournament --env ConnectFour-v0 --players random greedy mcts:50 mcts:500 \
  --games-per-pair "$GAMES" --seed 0 --threads 2 --out "$OUT/c4-2threads"
if cmp -s "$OUT/c4/ratings.csv" "$OUT/c4-2threads/ratings.csv"; then echo "ratings.csv at 1 and 2 threads: identical"
else echo "ratings.csv at 1 and 2 threads DIFFER"; exit 1; fi
