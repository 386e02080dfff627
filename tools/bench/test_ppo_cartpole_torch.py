"""Checks of the PyTorch side of the PPO benchmark: /usr/bin/python3 -B tools/bench/test_ppo_cartpole_torch.py"""
import json
import os
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
import torch  # noqa: E402
import ppo_cartpole_torch as bench  # noqa: E402

SPEC = '/work/shared/slm_lab_specs/benchmark/ppo/ppo_cartpole.json'


class CartPoleTest(unittest.TestCase):
    def test_one_step_from_rest_matches_hand_computed_dynamics(self):
        env = bench.CartPole(np.random.default_rng(0))
        env.state = (0.0, 0.0, 0.0, 0.0)
        state, reward, term, trunc = env.step(1)
        # temp = 100/11, thetaacc = -600/41, xacc = 400/41; euler with tau 0.02
        self.assertEqual(state[0], 0.0)
        self.assertAlmostEqual(state[1], 8 / 41, places=15)
        self.assertEqual(state[2], 0.0)
        self.assertAlmostEqual(state[3], -12 / 41, places=15)
        self.assertEqual((reward, term, trunc), (1.0, False, False))

    def test_terminates_past_the_angle_limit_and_truncates_at_500(self):
        env = bench.CartPole(np.random.default_rng(0))
        env.state = (0.0, 0.0, 0.21, 0.0)
        self.assertTrue(env.step(0)[2])
        env.reset()
        env.t = 499
        env.state = (0.0, 0.0, 0.0, 0.0)
        _, _, term, trunc = env.step(0)
        self.assertEqual((term, trunc), (False, True))

    def test_reset_draws_within_0_05(self):
        env = bench.CartPole(np.random.default_rng(3))
        s = env.reset()
        self.assertTrue(all(-0.05 <= v <= 0.05 for v in s))


class GaeTest(unittest.TestCase):
    def gae(self, terms, truncs):
        # gamma = lam = 0.5; rewards 1, 1, 1; V(s) = 0.5, 0.25, 1; V(s') = 0.25, 9, 2
        col = lambda xs: np.array(xs, dtype=np.float64).reshape(3, 1)
        return bench.gae(col([1, 1, 1]), col([0.5, 0.25, 1]), col([0.25, 9, 2]), col(terms), col(truncs), 0.5, 0.5).reshape(-1).tolist()

    def test_termination_drops_the_bootstrap_and_cuts_the_trace(self):
        # A_2 = 1 + 0.5*2 - 1 = 1 (batch end: bootstrapped, no trace); A_1 = 1 - 0.25 (terminated);
        # A_0 = (1 + 0.5*0.25 - 0.5) + 0.25 * 0.75
        self.assertEqual(self.gae([0, 1, 0], [0, 0, 0]), [0.8125, 0.75, 1.0])

    def test_truncation_bootstraps_but_cuts_the_trace(self):
        # A_1 = 1 + 0.5*9 - 0.25 + 0.25 * A_2 = 5.5; A_0 = 0.625 (truncated: no trace from A_1)
        self.assertEqual(self.gae([0, 0, 0], [1, 0, 0]), [0.625, 5.5, 1.0])


class SpecAndRunTest(unittest.TestCase):
    def test_reads_the_hyperparameters_of_ppo_cartpole(self):
        hp = bench.load_ppo_spec(SPEC, 'ppo_cartpole')
        self.assertEqual((hp['num_envs'], hp['time_horizon'], hp['minibatch_size'], hp['training_epoch']), (4, 256, 128, 15))
        self.assertEqual((hp['hid_layers'], hp['activation']), ([64, 64], 'tanh'))
        self.assertEqual((hp['actor_lr'], hp['critic_lr'], hp['clip_grad_val']), (0.0005909, 0.0006352, 0.5))

    def test_rejects_a_spec_it_cannot_run(self):
        with open(SPEC) as f:
            spec = json.load(f)
        spec['ppo_cartpole']['agent']['algorithm']['name'] = 'A2C'
        with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as f:
            json.dump(spec, f)
        try:
            with self.assertRaises(SystemExit) as cm:
                bench.load_ppo_spec(f.name, 'ppo_cartpole')
            self.assertIn('agent.algorithm.name is A2C', str(cm.exception))
        finally:
            os.unlink(f.name)

    def test_one_batch_runs_120_minibatch_updates_and_is_deterministic(self):
        torch.set_num_threads(1)
        hp = bench.load_ppo_spec(SPEC, 'ppo_cartpole')
        a = bench.run(hp, 1024, 7)
        b = bench.run(hp, 1024, 7)
        self.assertEqual(a['frames'], 1024)
        self.assertEqual(a['minibatch_updates'], 15 * (1024 // 128))
        self.assertEqual(a['opt_steps'], 2 * a['minibatch_updates'])
        self.assertEqual((a['episodes'], a['return_ma']), (b['episodes'], b['return_ma']))


if __name__ == '__main__':
    unittest.main()
