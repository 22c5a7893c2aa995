"""rlarena.load_dataset and rlarena.Dataset: D4RL files, Minari directories and ids."""
import json
import os
import pathlib
import tempfile
import unittest

import numpy as np

import rlarena
from helpers import run_cli


class Datasets(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.root = os.path.join(cls.tmp.name, "root")
        cls.file = os.path.join(cls.tmp.name, "pendulum.hdf5")
        run_cli("dataset", "collect", "Pendulum-v1", "--steps", "800", "--num-envs", "2", "--seed", "4",
                "--out", cls.file)
        run_cli("dataset", "convert", cls.file, "--to", "minari", "--id", "pendulum/random-v0",
                env={"MINARI_DATASETS_PATH": cls.root})
        cls.info = json.loads(run_cli("dataset", "info", cls.file, "--json"))

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_qlearning_dict(self):
        d = rlarena.load_dataset(self.file)
        n = self.info["steps"]
        self.assertEqual(n, 800)  # four whole 200-step episodes
        self.assertEqual(d["observations"].shape, (n, 3))
        self.assertEqual(d["next_observations"].shape, (n, 3))
        self.assertEqual(d["actions"].shape, (n, 1))
        self.assertEqual(d["rewards"].shape, (n,))
        self.assertEqual(d["observations"].dtype, np.float32)
        self.assertEqual(d["rewards"].dtype, np.float32)
        self.assertEqual(d["terminals"].dtype, np.bool_)
        # Pendulum never terminates; each 200-step episode ends in a timeout.
        self.assertFalse(d["terminals"].any())
        self.assertEqual(int(d["timeouts"].sum()), 4)
        # Within an episode the next observation is the next step's observation.
        inside = ~d["timeouts"][:-1]
        np.testing.assert_array_equal(d["next_observations"][:-1][inside], d["observations"][1:][inside])
        self.assertAlmostEqual(float(d["rewards"].astype(np.float64).sum()) / 4, self.info["return"]["mean"], places=2)

    def test_minari_id_gives_the_same_data(self):
        os.environ["MINARI_DATASETS_PATH"] = self.root
        try:
            self.assertIn("pendulum/random-v0", rlarena.list_datasets())
            by_id = rlarena.load_dataset("pendulum/random-v0")
        finally:
            del os.environ["MINARI_DATASETS_PATH"]
        by_file = rlarena.load_dataset(self.file)
        for key in ("observations", "actions", "next_observations", "rewards", "terminals", "timeouts"):
            np.testing.assert_array_equal(by_id[key], by_file[key], err_msg=key)

    def test_episodes(self):
        ds = rlarena.Dataset(os.path.join(self.root, "pendulum", "random-v0"))
        self.assertEqual(len(ds), 4)
        self.assertEqual(ds.total_steps, 800)
        self.assertEqual(ds.observation_space.shape, (3,))
        flat = rlarena.load_dataset(self.file)
        returns = []
        for i, ep in enumerate(ds):
            self.assertEqual(ep.id, i)
            self.assertEqual(ep.observations.shape, (201, 3))  # T + 1 rows, as Minari's EpisodeData
            self.assertEqual(ep.actions.shape, (200, 1))
            self.assertTrue(ep.truncations[-1])
            self.assertFalse(ep.terminations.any())
            returns.append(float(ep.rewards.astype(np.float64).sum()))
        np.testing.assert_array_equal(ds[0].observations[:200], flat["observations"][:200])
        np.testing.assert_array_equal(ds[0].observations[200], flat["next_observations"][199])
        self.assertAlmostEqual(np.mean(returns), self.info["return"]["mean"], places=2)
        self.assertEqual(ds[-1].id, 3)
        with self.assertRaises(IndexError):
            ds[4]

    def test_cut_off_episodes_end_in_a_timeout(self):
        with tempfile.TemporaryDirectory() as tmp:
            # A training run's buffer holds the episodes still running when it stopped, unflagged.
            run = os.path.join(tmp, "run")
            run_cli("train", "--algo", "ppo", "--env", "CartPole-v1", "--total-steps", "256", "--num-envs", "2",
                    "--num-steps", "128", "--eval-episodes", "0", "--save-buffer", "--run-dir", run)
            path = os.path.join(run, "buffer.hdf5")
            d = rlarena.load_dataset(pathlib.Path(path))  # a Path works as well as a str
            ends = d["terminals"] | d["timeouts"]
            self.assertTrue(ends[-1])
            same = (d["next_observations"][:-1] == d["observations"][1:]).all(1)
            self.assertFalse((~ends[:-1] & ~same).any())  # a row not followed by its next step ends an episode
            self.assertEqual(int(ends.sum()), len(rlarena.Dataset(path)))

    def test_errors(self):
        with self.assertRaisesRegex(KeyError, "Minari root"):
            rlarena.load_dataset("pendulum/nothing-v0")
        with self.assertRaisesRegex(KeyError, "no such file"):
            rlarena.load_dataset(os.path.join(self.tmp.name, "missing.hdf5"))
        bad = os.path.join(self.tmp.name, "bad.hdf5")
        with open(bad, "wb") as f:
            f.write(b"not hdf5 at all")
        with self.assertRaises(ValueError):
            rlarena.load_dataset(bad)


if __name__ == "__main__":
    unittest.main()
