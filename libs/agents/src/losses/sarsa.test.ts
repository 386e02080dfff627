import { describe, expect, it } from 'vitest';
import { initBackend } from '@gymlab/backends';
import { sarsaLoss, sarsaTargets } from './sarsa.js';
import { makeTdLoss } from './td.js';

const { tf } = await initBackend({ gpu: false, backend: 'cpu' });

describe('sarsaTargets', () => {
  // 3 transitions, 2 actions. Row 0 continues, row 1 terminated, row 2 truncated (terminated = 0: bootstraps).
  const nextQ = [0.5, 2.0, 10, 20, 3.0, -1.0];
  it('y = r + gamma (1 - terminated) Q(s\', a\') with the a\' given, not the max', () => {
    const y = sarsaTargets({ reward: [1, 2, -1], terminated: [0, 1, 0], nextQ, nextAction: [0, 1, 1], numActions: 2, gamma: 0.9 });
    // row 0: 1 + 0.9 * Q(s', 0) = 1 + 0.45 (Q-learning would take max = 2.0: 2.8)
    // row 1: terminated: 2
    // row 2: -1 + 0.9 * Q(s', 1) = -1 - 0.9
    expect(Array.from(y)).toEqual([Math.fround(1.45), 2, Math.fround(-1.9)]);
  });
  it('gamma 0 gives the rewards', () => {
    expect(Array.from(sarsaTargets({ reward: [1, 2, -1], terminated: [0, 1, 0], nextQ, nextAction: [1, 0, 0], numActions: 2, gamma: 0 }))).toEqual([1, 2, -1]);
  });
});

describe('sarsaLoss', () => {
  it('MSE of Q(s, a) selected by the action mask against the targets', () => {
    const q = tf.tensor2d([[1, 3], [0.5, -2]]);
    const mask = tf.tensor2d([[0, 1], [1, 0]]);
    const y = tf.tensor1d([2, 0.5]);
    // Q(s, a) = [3, 0.5]; errors [1, 0]; mean square 0.5
    const l = sarsaLoss(tf, q, mask, y, makeTdLoss(tf, { name: 'MSELoss' }));
    expect(l.dataSync()[0]).toBeCloseTo(0.5, 6);
    // SmoothL1 (beta 1): errors [3 - 0, ...] with y = [0, 0.5]: 3 - 0.5 = 2.5 and 0: mean 1.25
    const l2 = sarsaLoss(tf, q, mask, tf.tensor1d([0, 0.5]), makeTdLoss(tf, { name: 'SmoothL1Loss' }));
    expect(l2.dataSync()[0]).toBeCloseTo(1.25, 6);
  });
});
