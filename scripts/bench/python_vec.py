#!/usr/bin/python3
"""The Python loop `obs, r, term, trunc, info = vec.step(actions)` over
rlarena.make_vec("CartPole-v1", 64) against a NumPy CartPole vector env doing the
same work in the same process (the batched equations of Gymnasium's CartPole, its
time limit, same-step autoreset with final observations). Rounds alternate
between the two, so load on the shared machine hits both alike.

    PYTHONPATH=build/python scripts/bench/python_vec.py [--envs 64] [--rounds 5] [--seconds 2]
"""
import argparse
import time

import numpy as np

import rlarena
from cartpole_python import CartPole


class NumpyCartPoleVec(CartPole):
    """CartPole's constants (from cartpole_python.py), stepped for n envs at once."""
    theta_threshold = CartPole.theta_threshold_radians
    max_steps = 500

    def __init__(self, n, seed):
        self.n = n
        self.rng = np.random.default_rng(seed)
        self.state = np.zeros((n, 4))
        self.elapsed = np.zeros(n, dtype=np.int64)

    def reset(self):
        self.state = self.rng.uniform(-0.05, 0.05, size=(self.n, 4))
        self.elapsed[:] = 0
        return self.state.astype(np.float32), {}

    def step(self, actions):
        x, x_dot, theta, theta_dot = self.state.T
        force = np.where(actions == 1, self.force_mag, -self.force_mag)
        costheta, sintheta = np.cos(theta), np.sin(theta)
        temp = (force + self.polemass_length * theta_dot ** 2 * sintheta) / self.total_mass
        thetaacc = (self.gravity * sintheta - costheta * temp) / (
            self.length * (4.0 / 3.0 - self.masspole * costheta ** 2 / self.total_mass))
        xacc = temp - self.polemass_length * thetaacc * costheta / self.total_mass
        self.state = np.stack((x + self.tau * x_dot, x_dot + self.tau * xacc,
                               theta + self.tau * theta_dot, theta_dot + self.tau * thetaacc), axis=1)
        self.elapsed += 1
        x, theta = self.state[:, 0], self.state[:, 2]
        terminated = (np.abs(x) > self.x_threshold) | (np.abs(theta) > self.theta_threshold)
        truncated = (self.elapsed >= self.max_steps) & ~terminated
        rewards = np.ones(self.n)
        obs = self.state.astype(np.float32)
        done = terminated | truncated
        info = {}
        if done.any():
            info["final_obs"] = obs.copy()
            info["_final_obs"] = done
            k = int(done.sum())
            self.state[done] = self.rng.uniform(-0.05, 0.05, size=(k, 4))
            self.elapsed[done] = 0
            obs[done] = self.state[done].astype(np.float32)
        return obs, rewards, terminated, truncated, info


def steps_per_second(env, actions, seconds):
    env.reset()
    steps, start = 0, time.perf_counter()
    while True:
        for a in actions:
            obs, r, term, trunc, info = env.step(a)
        steps += len(actions) * len(actions[0])
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return steps / elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--envs", type=int, default=64)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seconds", type=float, default=2.0)
    args = ap.parse_args()
    actions = list(np.random.default_rng(0).integers(0, 2, size=(200, args.envs)))
    ours = rlarena.make_vec("CartPole-v1", args.envs, seed=0)
    theirs = NumpyCartPoleVec(args.envs, 0)
    ratios = []
    print(f"CartPole-v1, {args.envs} envs, Python loop of vec.step(actions), 1 thread")
    print("round  rlarena steps/s  numpy steps/s  ratio")
    for r in range(args.rounds):
        a = steps_per_second(ours, actions, args.seconds)
        b = steps_per_second(theirs, actions, args.seconds)
        ratios.append(a / b)
        print(f"{r + 1:5d}  {a:15.0f}  {b:13.0f}  {a / b:5.1f}")
    print(f"median ratio {sorted(ratios)[len(ratios) // 2]:.1f}")


if __name__ == "__main__":
    main()
