"""Shared by the Python tests: the rlarena binary (RLARENA_BIN) and its CSV rollouts."""
import csv
import io
import os
import subprocess

RLARENA = os.environ.get("RLARENA_BIN", "rlarena")


def run_cli(*args, env=None):
    """Runs the rlarena binary; returns its stdout, raising with its stderr on failure."""
    full_env = dict(os.environ, **(env or {}))
    p = subprocess.run([RLARENA, *args], capture_output=True, text=True, env=full_env)
    if p.returncode != 0:
        raise AssertionError(f"rlarena {' '.join(args)} failed: {p.stderr}")
    return p.stdout


def rollout(env_id, seed, actions, tmp):
    """The C++ rollout of `actions` from reset(seed): a list of dict rows."""
    path = os.path.join(tmp, "actions.txt")
    with open(path, "w") as f:
        for a in actions:
            f.write(",".join(str(x) for x in (a if hasattr(a, "__len__") else [a])) + "\n")
    out = run_cli("rollout", env_id, "--seed", str(seed), "--actions", path, "--out", "-")
    return list(csv.DictReader(io.StringIO(out)))
