"""rlarena.make_vec: same-step autoreset, views of the C++ buffers, EnvPool's send/recv."""
import unittest

import numpy as np

import rlarena


def single_env_run(env_id, seed, actions):
    """What one env does with `actions` from reset(seed), resetting (unseeded) when an episode ends:
    per step (obs after the step, reward, terminated, truncated, final obs or None)."""
    env = rlarena.make(env_id)
    env.reset(seed=seed)
    out = []
    for a in actions:
        obs, r, term, trunc, _ = env.step(a)
        final = None
        if term or trunc:
            final = obs
            obs, _ = env.reset()
        out.append((obs, r, term, trunc, final))
    return out


class VectorEnv(unittest.TestCase):
    def test_rows_equal_single_envs_with_same_step_autoreset(self):
        n, steps = 4, 60
        vec = rlarena.make_vec("CartPole-v1", n, seed=10)
        obs, _ = vec.reset()
        actions = np.random.default_rng(1).integers(0, 2, size=(steps, n))
        rows = []
        for t in range(steps):
            obs, rew, term, trunc, info = vec.step(actions[t])
            rows.append((obs.copy(), rew.copy(), term.copy(), trunc.copy(), info["final_obs"].copy(),
                         info["_final_obs"].copy()))
        finished = 0
        for i in range(n):
            single = single_env_run("CartPole-v1", 10 + i, actions[:, i])
            for t in range(steps):
                o, r, term, trunc, final = single[t]
                np.testing.assert_array_equal(rows[t][0][i], o, err_msg=f"env {i} step {t}")
                self.assertEqual(rows[t][1][i], r)
                self.assertEqual(bool(rows[t][2][i]), term)
                self.assertEqual(bool(rows[t][3][i]), trunc)
                self.assertEqual(bool(rows[t][5][i]), final is not None)
                if final is not None:
                    np.testing.assert_array_equal(rows[t][4][i], final)
                    finished += 1
        self.assertGreater(finished, 4)  # random CartPole episodes end within 60 steps

    def test_arrays_are_views_overwritten_in_place(self):
        vec = rlarena.make_vec("CartPole-v1", 64, seed=0)
        obs, _ = vec.reset()
        address = obs.__array_interface__["data"][0]
        before = obs.copy()
        obs2, rew, term, trunc, info = vec.step(np.zeros(64, dtype=np.int64))
        self.assertIs(obs2, obs)  # the same array object, same memory: no copy
        self.assertEqual(obs2.__array_interface__["data"][0], address)
        self.assertFalse(np.array_equal(obs, before))  # the step wrote into it
        self.assertFalse(obs.flags.writeable)
        with self.assertRaises(ValueError):
            obs[0, 0] = 1.0
        _, rew2, *_ = vec.step(np.zeros(64, dtype=np.int64))
        self.assertIs(rew2, rew)

    def test_views_outlive_the_vector_env(self):
        vec = rlarena.make_vec("Pendulum-v1", 3, seed=0)
        obs, _ = vec.reset()
        expected = obs.copy()
        del vec
        np.testing.assert_array_equal(obs, expected)

    def test_spaces(self):
        vec = rlarena.make_vec("Hopper-v5", 5, seed=0)
        self.assertEqual(vec.num_envs, 5)
        self.assertEqual(vec.single_observation_space.shape, (11,))
        self.assertEqual(vec.observation_space.shape, (5, 11))
        self.assertEqual(vec.action_space.shape, (5, 3))
        self.assertEqual(vec.spec.id, "Hopper-v5")
        obs, _ = vec.reset(seed=1)
        self.assertEqual(obs.shape, (5, 11))
        self.assertIn(obs[0], vec.single_observation_space)
        cart = rlarena.make_vec("CartPole-v1", 3, seed=0)
        self.assertEqual(list(cart.action_space.nvec), [2, 2, 2])

    def test_thread_count_does_not_change_results(self):
        actions = np.random.default_rng(2).uniform(-1, 1, size=(40, 6, 3)).astype(np.float32)
        runs = []
        for threads in (1, 2):
            vec = rlarena.make_vec("Hopper-v5", 6, threads=threads, seed=3)
            vec.reset()
            runs.append([vec.step(a)[0].copy() for a in actions])
        for a, b in zip(*runs):
            np.testing.assert_array_equal(a, b)

    def test_info_holds_reward_terms_and_episode_stats(self):
        vec = rlarena.make_vec("Hopper-v5", 2, seed=0)
        vec.reset()
        _, rew, _, _, info = vec.step(np.zeros((2, 3), dtype=np.float32))
        np.testing.assert_allclose(info["reward_forward"] + info["reward_ctrl"] + info["reward_survive"], rew)
        np.testing.assert_array_equal(info["episode"]["l"], [1, 1])

    def test_async_send_recv_equals_sync(self):
        n, steps = 4, 30
        actions = np.random.default_rng(3).integers(0, 2, size=(steps, n))
        sync = rlarena.make_vec("CartPole-v1", n, seed=5)
        sync.reset()
        expected = [sync.step(actions[t])[0].copy() for t in range(steps)]
        pool = rlarena.make_vec("CartPole-v1", n, seed=5, threads=2, batch_size=2)
        pool.async_reset()
        step_of = np.zeros(n, dtype=int)  # steps done per env
        seen = 0
        while seen < steps * n:
            obs, rew, term, trunc, info = pool.recv()
            ids = info["env_id"].copy()
            self.assertEqual(len(ids), 2)
            for row, i in enumerate(ids):
                if step_of[i] > 0:
                    np.testing.assert_array_equal(obs[row], expected[step_of[i] - 1][i])
                    seen += 1
            todo = [i for i in ids if step_of[i] < steps]
            if not todo:
                continue
            pool.send(np.array([actions[step_of[i], i] for i in todo]), np.array(todo))
            for i in todo:
                step_of[i] += 1
            if seen >= steps * n:
                break
        self.assertEqual(seen, steps * n)

    def test_masks_outlive_the_vector_env(self):
        vec = rlarena.make_vec("CartPole-v1", 64, seed=0)
        vec.reset()
        info = vec.step(np.ones(64, dtype=np.int64))[4]
        while not info["_final_obs"].any():  # a step in which some episodes end
            info = vec.step(np.ones(64, dtype=np.int64))[4]
        mask = info["_final_obs"]
        kept = mask.copy()
        self.assertTrue(kept.any())
        del vec
        junk = [bytes(range(256)) * (i % 7 + 1) for i in range(20000)]  # reuse freed memory, if any was freed
        np.testing.assert_array_equal(mask, kept)
        del junk

    def test_a_bad_row_steps_no_env(self):
        vec = rlarena.make_vec("CartPole-v1", 3, seed=0)
        vec.reset()
        with self.assertRaisesRegex(ValueError, r"actions row 2 .* Discrete\(2\)"):
            vec.step(np.array([1, 0, 5]))
        info = vec.step(np.array([1, 0, 1]))[4]
        np.testing.assert_array_equal(info["episode"]["l"], [1, 1, 1])
        hopper = rlarena.make_vec("Hopper-v5", 2, seed=0)
        hopper.reset()
        with self.assertRaisesRegex(ValueError, "actions row 1 .*not finite"):
            hopper.step(np.array([[0, 0, 0], [np.nan, 0, 0]], dtype=np.float32))

    def test_errors(self):
        vec = rlarena.make_vec("CartPole-v1", 3, seed=0)
        with self.assertRaisesRegex(ValueError, "before reset"):
            vec.step(np.zeros(3, dtype=np.int64))
        vec.reset()
        with self.assertRaisesRegex(ValueError, r"shape \(2,\) do not fit 3 envs of Discrete\(2\); give shape \(3,\)"):
            vec.step(np.zeros(2, dtype=np.int64))
        with self.assertRaisesRegex(ValueError, "num_envs=0"):
            rlarena.make_vec("CartPole-v1", 0)
        with self.assertRaisesRegex(ValueError, "threads=200"):
            rlarena.make_vec("CartPole-v1", 2, threads=200)
        pool = rlarena.make_vec("CartPole-v1", 3, seed=0, batch_size=2)
        pool.async_reset()
        got = pool.recv()[4]["env_id"].copy()
        with self.assertRaisesRegex(ValueError, "twice in one call"):
            pool.send(np.array([1, 0]), np.array([got[0], got[0]]))
        with self.assertRaisesRegex(ValueError, "whole env indices"):
            pool.send(np.array([1, 0]), np.array([True, True]))
        with self.assertRaises(KeyError):
            rlarena.make_vec("NoSuchEnv-v0", 2)
        with self.assertRaisesRegex(ValueError, "out of range"):
            vec2 = rlarena.make_vec("CartPole-v1", 3, seed=0, batch_size=1)
            vec2.async_reset()
            vec2.recv()
            vec2.send(np.zeros(1, dtype=np.int64), np.array([7]))


if __name__ == "__main__":
    unittest.main()
