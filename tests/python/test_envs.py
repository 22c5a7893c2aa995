"""rlarena.make: Gymnasium's Env API over the C++ envs."""
import math
import tempfile
import unittest

import numpy as np

import rlarena
from helpers import rollout


class EnvValues(unittest.TestCase):
    def check_equal_to_cli(self, env_id, seed, actions):
        with tempfile.TemporaryDirectory() as tmp:
            rows = rollout(env_id, seed, actions, tmp)
        env = rlarena.make(env_id)
        obs, info = env.reset(seed=seed)
        self.assertEqual(info, {})
        for t, a in enumerate(actions):
            obs, reward, terminated, truncated, info = env.step(np.asarray(a))
            row = rows[t]
            n = obs.size
            expected = np.array([float(row[f"obs_{i}"]) for i in range(n)], dtype=np.float32)
            np.testing.assert_array_equal(obs.ravel(), expected, err_msg=f"{env_id} step {t + 1}")
            self.assertEqual(reward, float(row["reward"]))
            self.assertEqual(terminated, row["terminated"] == "1")
            self.assertEqual(truncated, row["truncated"] == "1")
            if terminated or truncated:
                break

    def test_values_equal_the_cpp_rollout(self):
        self.check_equal_to_cli("CartPole-v1", 7, [1, 0, 1, 1, 0, 0, 1, 0] * 3)
        self.check_equal_to_cli("Pendulum-v1", 3, [[0.5], [-1.0], [2.0], [0.0], [1.25]])
        rng = np.random.default_rng(0)
        self.check_equal_to_cli("Hopper-v5", 11, [list(np.round(rng.uniform(-1, 1, 3), 3)) for _ in range(20)])

    def test_step_returns_gymnasium_types(self):
        env = rlarena.make("Hopper-v5")
        obs, _ = env.reset(seed=0)
        self.assertEqual(obs.dtype, np.float32)
        self.assertEqual(obs.shape, (11,))
        obs, reward, terminated, truncated, info = env.step(np.zeros(3, dtype=np.float32))
        self.assertIsInstance(reward, float)
        self.assertIsInstance(terminated, bool)
        self.assertIsInstance(truncated, bool)
        # Hopper reports its reward terms; they add up to the reward.
        self.assertAlmostEqual(info["reward_forward"] + info["reward_ctrl"] + info["reward_survive"], reward)

    def test_reset_without_seed_continues_the_stream(self):
        a, b = rlarena.make("CartPole-v1"), rlarena.make("CartPole-v1")
        a.reset(seed=5)
        b.reset(seed=5)
        np.testing.assert_array_equal(a.reset()[0], b.reset()[0])

    def test_time_limit_truncates(self):
        env = rlarena.make("Pendulum-v1", max_episode_steps=3)
        self.assertEqual(env.spec.max_episode_steps, 3)
        env.reset(seed=0)
        flags = [env.step([0.0])[3] for _ in range(3)]
        self.assertEqual(flags, [False, False, True])

    def test_spec_and_kwargs(self):
        env = rlarena.make("CartPole-v1")
        self.assertEqual(env.spec.id, "CartPole-v1")
        self.assertEqual(env.spec.max_episode_steps, 500)
        self.assertEqual(env.spec.reward_threshold, 475.0)
        heavy = rlarena.make("Pendulum-v1", g=20.0)
        self.assertIs(heavy.unwrapped, heavy)
        self.assertIn("CartPole-v1", rlarena.envs())

    def test_render_gives_rgb_frames(self):
        env = rlarena.make("CartPole-v1", render_mode="rgb_array")
        env.reset(seed=0)
        frame = env.render()
        self.assertEqual(frame.dtype, np.uint8)
        self.assertEqual(frame.ndim, 3)
        self.assertEqual(frame.shape[2], 3)
        self.assertGreater(frame.std(), 0)


class Spaces(unittest.TestCase):
    def test_box(self):
        space = rlarena.make("Pendulum-v1").observation_space
        self.assertEqual(space.shape, (3,))
        self.assertEqual(space.dtype, np.float32)
        np.testing.assert_array_equal(space.high, np.array([1, 1, 8], dtype=np.float32))
        np.testing.assert_array_equal(space.low, -space.high)
        self.assertEqual(space.low.dtype, np.float32)
        self.assertTrue(space.contains(np.array([0.5, -0.5, 7.0], dtype=np.float32)))
        self.assertFalse(space.contains(np.array([0.5, -0.5, 9.0], dtype=np.float32)))
        self.assertFalse(space.contains(np.zeros(4, dtype=np.float32)))
        self.assertEqual(repr(space), "Box([-1 -1 -8], [1 1 8], (3,), float32)")
        infinite = rlarena.make("CartPole-v1").observation_space
        self.assertTrue(math.isinf(infinite.high[1]))

    def test_missing_properties_are_attribute_errors(self):
        box = rlarena.make("Pendulum-v1").action_space
        self.assertFalse(hasattr(box, "n"))
        self.assertIsNone(getattr(box, "n", None))
        self.assertFalse(hasattr(rlarena.make("CartPole-v1").action_space, "low"))
        self.assertNotEqual(box, 3)

    def test_uint8_values_are_not_wrapped(self):
        pixels = rlarena.make("CarRacing-v3").observation_space
        self.assertFalse(pixels.contains(np.full((96, 96, 3), 300)))
        self.assertFalse(pixels.contains(np.full((96, 96, 3), -1)))
        self.assertTrue(pixels.contains(np.full((96, 96, 3), 255, dtype=np.uint8)))

    def test_discrete(self):
        space = rlarena.make("CartPole-v1").action_space
        self.assertEqual(space.n, 2)
        self.assertEqual(space.shape, ())
        self.assertEqual(space.dtype, np.int64)
        self.assertTrue(space.contains(1))
        self.assertFalse(space.contains(2))
        self.assertFalse(space.contains(0.5))

    def test_sample_is_seeded_and_contained(self):
        a, b = rlarena.make("Hopper-v5").action_space, rlarena.make("Hopper-v5").action_space
        a.seed(3)
        b.seed(3)
        for _ in range(50):
            x, y = a.sample(), b.sample()
            np.testing.assert_array_equal(x, y)
            self.assertIn(x, a)
            self.assertEqual(x.dtype, np.float32)
        d = rlarena.make("CartPole-v1").action_space
        self.assertEqual({int(d.sample()) for _ in range(100)}, {0, 1})


class Errors(unittest.TestCase):
    def test_unknown_id_is_a_key_error_naming_the_closest(self):
        with self.assertRaisesRegex(KeyError, "CartPole-v1"):
            rlarena.make("CartPol-v1")

    def test_bad_option(self):
        with self.assertRaisesRegex(ValueError, "has no option 'gravity'"):
            rlarena.make("Pendulum-v1", gravity=3.0)
        with self.assertRaisesRegex(ValueError, "is not a number"):
            rlarena.make("Pendulum-v1", g="heavy")
        with self.assertRaisesRegex(ValueError, "render_mode='human'"):
            rlarena.make("CartPole-v1", render_mode="human")

    def test_bad_actions(self):
        env = rlarena.make("Pendulum-v1")
        env.reset(seed=0)
        with self.assertRaisesRegex(ValueError, "shape"):
            env.step(np.zeros(2))
        with self.assertRaisesRegex(ValueError, "NaN|finite|nan"):
            env.step([float("nan")])
        cart = rlarena.make("CartPole-v1")
        cart.reset(seed=0)
        with self.assertRaisesRegex(ValueError, "whole numbers"):
            cart.step(0.5)
        with self.assertRaises(ValueError):
            cart.step(2)

    def test_reset_options_and_seeds(self):
        env = rlarena.make("CartPole-v1")
        with self.assertRaisesRegex(ValueError, "options"):
            env.reset(options={"low": -0.1})
        with self.assertRaisesRegex(ValueError, "out of range"):
            env.reset(seed=-1)
        with self.assertRaisesRegex(ValueError, "not a whole number"):
            env.reset(seed=1.0)
        env.reset(seed=2**64 - 1)  # the whole uint64 range, as numpy's generators take
        env.reset(seed=np.uint64(7))
        big = rlarena.make("Pendulum-v1", g=10**20)
        self.assertEqual(big.spec.id, "Pendulum-v1")


if __name__ == "__main__":
    unittest.main()
