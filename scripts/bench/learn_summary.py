#!/usr/bin/env python3
"""Summarizes learn.sh's runs of one recipe: a line per seed and the row that
docs/results.md's benchmark table takes as it is.
  scripts/bench/learn_summary.py RECIPE RUNS_DIR TARGET SEED [SEED ...]
RUNS_DIR holds seed<N>/ run directories (episodes.csv, metrics.csv, eval.json).
The anchor is the recipe's `# anchor:` comment line."""
import csv
import json
import os
import statistics
import sys


def mean_std(values):
    if not values:
        return "not run"
    if len(values) == 1:
        return f"{values[0]:.1f}"
    return f"{statistics.mean(values):.1f} ± {statistics.stdev(values):.1f}"


def main():
    recipe, runs, target, seeds = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4:]
    anchor = "(none)"
    for line in open(recipe):
        if line.lower().startswith("# anchor:"):
            anchor = line.split(":", 1)[1].strip()
    finals, evals, bests, walls, reached, steps = [], [], [], [], [], 0
    for seed in seeds:
        run = f"{runs}/seed{seed}"
        recent, hit = [], None
        for row in csv.DictReader(open(f"{run}/episodes.csv")):
            recent = (recent + [float(row["return"])])[-20:]
            if hit is None and len(recent) == 20 and sum(recent) / 20 >= target:
                hit = (int(row["global_step"]), float(row["wall_s"]))
        last = list(csv.DictReader(open(f"{run}/metrics.csv")))[-1]
        steps = int(last["global_step"])
        final = sum(recent) / len(recent) if recent else float("nan")
        finals.append(final)
        walls.append(float(last["wall_s"]))
        line = f"seed {seed}: "
        if hit:
            reached.append(hit)
            line += f"last-20 mean >= {target:g} at step {hit[0]} ({hit[1]:.1f} s)"
        else:
            line += f"never reached {target:g}"
        line += f"; final last-20 mean {final:.1f}; {steps} steps in {walls[-1]:.1f} s ({float(last['sps']):.0f} steps/s)"
        if os.path.exists(f"{run}/eval.json"):
            ev = json.load(open(f"{run}/eval.json"))
            evals.append(ev["mean"])
            line += f"; eval {ev['episodes']} ep mean {ev['mean']:.1f} ± {ev['std']:.1f}"
        if os.path.exists(f"{run}/evals.csv"):  # periodic evaluations: the best is checkpoints/best.h5's
            rows = list(csv.DictReader(open(f"{run}/evals.csv")))
            if len(rows) > 1:
                best = max(rows, key=lambda r: float(r["mean"]))
                bests.append(float(best["mean"]))
                line += f"; best eval {bests[-1]:.1f} at step {best['global_step']}"
        print(line)
    per_seed_eval = ", ".join(f"{e:.1f}" for e in evals)
    above = sum(e >= target for e in evals)
    print(f"reached {target:g} by the last-20 mean: {len(reached)}/{len(seeds)} seeds; "
          f"eval >= {target:g}: {above}/{len(evals)} seeds")
    name = os.path.basename(recipe).removesuffix(".cfg")
    digits = 1 if max(walls) < 100 else 0
    wall = f"{min(walls):.{digits}f}" + ("" if len(walls) == 1 else f"-{max(walls):.{digits}f}")
    print(f"| `{name}` | {steps // 1000}k | {len(seeds)} | {mean_std(finals)} | {mean_std(evals)}"
          f"{f' ({per_seed_eval})' if len(evals) > 1 else ''}{f'; best {mean_std(bests)}' if bests else ''} | {above}/{len(evals)} >= {target:g} | {anchor} | {wall} |")


if __name__ == "__main__":
    main()
