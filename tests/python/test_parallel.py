"""rlarena.make_parallel: PettingZoo's parallel API over the C++ multi-agent envs."""
import os
import tempfile
import unittest

import numpy as np

import rlarena
from helpers import run_cli


class ParallelApi(unittest.TestCase):
    def test_spread_follows_pettingzoo_parallel_api(self):
        env = rlarena.make_parallel("simple_spread_v3")
        self.assertEqual(env.possible_agents, ["agent_0", "agent_1", "agent_2"])
        self.assertEqual(env.agents, [])
        obs, infos = env.reset(seed=3)
        self.assertEqual(env.agents, env.possible_agents)
        self.assertEqual(set(obs), set(env.possible_agents))
        self.assertEqual(infos, {a: {} for a in env.agents})
        self.assertEqual(obs["agent_1"].shape, (18,))
        self.assertEqual(obs["agent_1"].dtype, np.float32)
        self.assertEqual(env.action_space("agent_0").n, 5)
        self.assertEqual(env.observation_space("agent_2").shape, (18,))
        self.assertEqual(env.state().shape, (54,))
        for t in range(25):
            obs, rewards, terms, truncs, infos = env.step({a: t % 5 for a in env.agents})
            self.assertTrue(all(isinstance(r, float) for r in rewards.values()))
            self.assertEqual(truncs["agent_0"], t == 24)
            self.assertFalse(any(terms.values()))
        self.assertEqual(env.agents, [])
        with self.assertRaisesRegex(ValueError, "call reset"):
            env.step({"agent_0": 0, "agent_1": 0, "agent_2": 0})

    def test_values_equal_the_cpp_rollout(self):
        actions = [[1, 4, 0, 2], [2, 0, 3, 3], [0, 0, 0, 1], [4, 3, 2, 4]]
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "a.txt")
            with open(path, "w") as f:
                f.write("\n".join(",".join(map(str, a)) for a in actions) + "\n")
            out = run_cli("rollout", "simple_tag_v3", "--seed", "9", "--actions", path, "--out", "-")
        rows = [line.split(",") for line in out.strip().splitlines()[1:]]
        env = rlarena.make_parallel("simple_tag_v3")
        env.reset(seed=9)
        k = 0
        for a in actions:
            obs, rewards, _, _, _ = env.step(dict(zip(env.possible_agents, a)))
            for agent in env.possible_agents:
                row = rows[k]
                k += 1
                self.assertEqual(row[1], agent)
                n = obs[agent].size
                expected = np.array([float(x) for x in row[3:3 + n]], dtype=np.float32)
                np.testing.assert_array_equal(obs[agent], expected)
                self.assertEqual(rewards[agent], float(row[-3]))

    def test_turn_based_games_give_masks_and_refuse_illegal_moves(self):
        env = rlarena.make_parallel("ConnectFour-v0")
        obs, infos = env.reset(seed=0)
        self.assertEqual(obs["player_0"].shape, (6, 7, 2))
        np.testing.assert_array_equal(infos["player_0"]["action_mask"], np.ones(7, dtype=np.int8))
        np.testing.assert_array_equal(infos["player_1"]["action_mask"], np.zeros(7, dtype=np.int8))
        for _ in range(3):
            env.step({"player_0": 0})
            env.step({"player_1": 0})
        with self.assertRaisesRegex(ValueError, "illegal"):
            env.step({"player_0": 0})
        with self.assertRaisesRegex(ValueError, "no agent 'nobody'"):
            env.step({"nobody": 1})
        with self.assertRaisesRegex(KeyError, "ConnectFour-v0"):
            rlarena.make_parallel("ConectFour-v0")
        self.assertIn("Sumo-v0", rlarena.parallel_envs())

    def test_options_reach_the_env(self):
        env = rlarena.make_parallel("simple_spread_v3", N=4, continuous_actions=True, max_cycles=5)
        self.assertEqual(len(env.possible_agents), 4)
        self.assertEqual(env.action_space("agent_3").shape, (5,))
        env.reset(seed=1)
        for _ in range(5):
            _, _, _, truncs, _ = env.step({a: np.full(5, 0.5, dtype=np.float32) for a in env.agents})
        self.assertTrue(all(truncs.values()))


if __name__ == "__main__":
    unittest.main()
