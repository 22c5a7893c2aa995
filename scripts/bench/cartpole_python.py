#!/usr/bin/python3
"""Baseline for scripts/bench/envs.sh: CartPole-v1 stepped one env at a time in
Python the way Gymnasium's CartPoleEnv does it (numpy state and generator, the
same equations, a time-limit counter). It has none of gym.make's wrappers, so it
is faster than real Gymnasium: the ratio we report against it is conservative."""
import argparse
import math
import time

import numpy as np


class CartPole:
    gravity, masscart, masspole, length, force_mag, tau = 9.8, 1.0, 0.1, 0.5, 10.0, 0.02
    total_mass = masspole + masscart
    polemass_length = masspole * length
    theta_threshold_radians = 12 * 2 * math.pi / 360
    x_threshold = 2.4

    def __init__(self, seed):
        self.np_random = np.random.default_rng(seed)
        self.state = None
        self.elapsed = 0

    def reset(self):
        self.state = self.np_random.uniform(low=-0.05, high=0.05, size=(4,))
        self.elapsed = 0
        return np.array(self.state, dtype=np.float32)

    def step(self, action):
        x, x_dot, theta, theta_dot = self.state
        force = self.force_mag if action == 1 else -self.force_mag
        costheta, sintheta = np.cos(theta), np.sin(theta)
        temp = (force + self.polemass_length * np.square(theta_dot) * sintheta) / self.total_mass
        thetaacc = (self.gravity * sintheta - costheta * temp) / (
            self.length * (4.0 / 3.0 - self.masspole * np.square(costheta) / self.total_mass))
        xacc = temp - self.polemass_length * thetaacc * costheta / self.total_mass
        x, x_dot = x + self.tau * x_dot, x_dot + self.tau * xacc
        theta, theta_dot = theta + self.tau * theta_dot, theta_dot + self.tau * thetaacc
        self.state = np.array((x, x_dot, theta, theta_dot), dtype=np.float64)
        terminated = bool(x < -self.x_threshold or x > self.x_threshold
                          or theta < -self.theta_threshold_radians or theta > self.theta_threshold_radians)
        self.elapsed += 1
        truncated = self.elapsed >= 500
        return np.array(self.state, dtype=np.float32), 1.0, terminated, truncated, {}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=3.0)
    args = ap.parse_args()
    env = CartPole(0)
    rng = np.random.default_rng(1)
    actions = rng.integers(0, 2, size=4096).tolist()
    env.reset()
    steps = 0
    start = time.perf_counter()
    while True:
        for a in actions[:256]:
            _, _, terminated, truncated, _ = env.step(a)
            if terminated or truncated:
                env.reset()
        steps += 256
        actions = actions[256:] + actions[:256]
        elapsed = time.perf_counter() - start
        if elapsed >= args.seconds:
            break
    print(f"{steps / elapsed:.1f}")


if __name__ == "__main__":
    main()
