"""Checks of the PyTorch side of the DQN benchmark: /usr/bin/python3 -B tools/bench/test_dqn_cartpole_torch.py"""
import os
import sys
import unittest

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import numpy as np  # noqa: E402
import torch  # noqa: E402
import dqn_cartpole_torch as bench  # noqa: E402

SPEC = os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../../shared/slm_lab_specs/benchmark/dqn/dqn_cartpole.json')


class DqnBenchTest(unittest.TestCase):
    def test_linear_decay_holds_before_start_interpolates_and_holds_the_end(self):
        self.assertEqual(bench.linear_decay(1.0, 0.08, 0, 12000, 0), 1.0)
        self.assertAlmostEqual(bench.linear_decay(1.0, 0.08, 0, 12000, 6000), 0.54, places=12)
        self.assertEqual(bench.linear_decay(1.0, 0.08, 0, 12000, 50000), 0.08)

    def test_replay_ring_counts_and_cer_puts_the_newest_row_last(self):
        m = bench.Replay(3, 5, True, np.random.default_rng(0))
        for i in range(4):
            m.add([i] * 4, i % 2, float(i), [i + 1] * 4, 0.0)
        self.assertEqual((m.size, m.seen, m.head), (3, 4, 0))
        s, a, r, ns, t = m.sample()
        self.assertEqual(r[-1].item(), 3.0)
        self.assertTrue(set(r.tolist()) <= {1.0, 2.0, 3.0})

    def test_reads_dqn_boltzmann_cartpole_and_counts_one_optimizer_step_per_frame(self):
        hp = bench.load_dqn_spec(SPEC, 'dqn_boltzmann_cartpole')
        self.assertEqual((hp['algo'], hp['policy'], hp['batch_size'], hp['hid_layers'], hp['activation']), ('DQN', 'boltzmann', 64, [256, 128], 'selu'))
        torch.set_num_threads(1)
        out = bench.run(hp, 80, 0)
        # training from the 9th vector step (seen 36 > 32): 12 rounds x 2 batches x 2 steps
        self.assertEqual((out['frames'], out['opt_steps']), (80, 48))
        self.assertEqual(out, {**out, **bench.run(hp, 80, 0), 'seconds': out['seconds'], 'fps': out['fps'], 'cpu_seconds': out['cpu_seconds']})

    def test_refuses_a_prioritized_replay_spec(self):
        with self.assertRaises(SystemExit) as e:
            bench.load_dqn_spec(SPEC, 'ddqn_per_boltzmann_cartpole')
        self.assertIn('agent.memory.name is PrioritizedReplay', str(e.exception))


if __name__ == '__main__':
    unittest.main()
