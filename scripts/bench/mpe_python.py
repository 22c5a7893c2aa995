#!/usr/bin/python3
"""Baseline for scripts/bench/mpe.sh: simple_spread_v3 (3 agents, 3 landmarks) stepped
one env at a time in Python with numpy, the way an MPE user's env does it: per-entity
float64 vectors, the softplus contact force for every agent pair, v3 integration, the
spread reward and 18-float observations per agent, a reset every 25 steps. It has no
PettingZoo wrappers (AEC order enforcing, action checks, the parallel conversion), so it
is faster than PettingZoo's own env: the ratio we report against it is conservative."""
import argparse
import time

import numpy as np

DT, DAMPING, CONTACT_FORCE, MARGIN = 0.1, 0.25, 100.0, 1e-3
MOVES = np.array([[0, 0], [-1, 0], [1, 0], [0, -1], [0, 1]], dtype=np.float64)


class Spread:
    def __init__(self, seed, n=3):
        self.rng = np.random.default_rng(seed)
        self.n = n
        self.size = 0.15
        self.reset()

    def reset(self):
        self.pos = [self.rng.uniform(-1, 1, 2) for _ in range(self.n)]
        self.vel = [np.zeros(2) for _ in range(self.n)]
        self.marks = [self.rng.uniform(-1, 1, 2) for _ in range(self.n)]
        self.t = 0
        return [self.observe(i) for i in range(self.n)]

    def step(self, actions):
        force = [MOVES[a] * 5.0 for a in actions]
        for a in range(self.n):
            for b in range(a + 1, self.n):
                delta = self.pos[a] - self.pos[b]
                dist = np.sqrt(np.sum(np.square(delta)))
                pen = np.logaddexp(0, -(dist - 2 * self.size) / MARGIN) * MARGIN
                f = CONTACT_FORCE * delta / dist * pen
                force[a] = f + force[a]
                force[b] = -f + force[b]
        for i in range(self.n):
            self.pos[i] = self.pos[i] + self.vel[i] * DT
            self.vel[i] = self.vel[i] * (1 - DAMPING) + force[i] * DT
        glob = 0.0
        for m in self.marks:
            glob -= min(np.sqrt(np.sum(np.square(p - m))) for p in self.pos)
        rewards = []
        for i in range(self.n):
            local = -sum(1.0 for j in range(self.n)
                         if j != i and np.sqrt(np.sum(np.square(self.pos[j] - self.pos[i]))) < 2 * self.size)
            rewards.append(glob * 0.5 + local * 0.5)
        self.t += 1
        obs = [self.observe(i) for i in range(self.n)]
        return obs, rewards, self.t >= 25

    def observe(self, i):
        me = self.pos[i]
        parts = [self.vel[i], me] + [m - me for m in self.marks]
        parts += [self.pos[j] - me for j in range(self.n) if j != i]
        parts += [np.zeros(2) for j in range(self.n) if j != i]
        return np.concatenate(parts).astype(np.float32)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0)
    args = ap.parse_args()
    env = Spread(0)
    actions = np.random.default_rng(1).integers(0, 5, size=(512, 3)).tolist()
    steps, k = 0, 0
    start = time.perf_counter()
    while True:
        for _ in range(64):
            _, _, done = env.step(actions[k % 512])
            k += 1
            if done:
                env.reset()
        steps += 64
        elapsed = time.perf_counter() - start
        if elapsed >= args.seconds:
            break
    print(f"{steps / elapsed:.1f}")


if __name__ == "__main__":
    main()
