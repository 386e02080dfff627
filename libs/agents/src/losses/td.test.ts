import { describe, expect, it } from 'vitest';
import { initBackend } from '@gymlab/backends';
import { huberLoss, l1Loss, makeTdLoss, mseLoss, qTargets, selectQ, smoothL1Loss } from './td.js';

const { tf } = await initBackend({ gpu: false, backend: 'cpu' });

describe('qTargets on wasm', () => {
  it('Double DQN target selection gives the same numbers as on cpu (wasm float one-hot bug guarded)', async () => {
    const wasm = (await initBackend({ gpu: false, backend: 'wasm' })).tf;
    try {
      const y = qTargets(wasm, {
        reward: wasm.tensor1d([1, 2, -1]),
        terminated: wasm.tensor1d([0, 1, 0]),
        nextQEval: wasm.tensor2d([[0.5, 2.0], [10, 20], [3.0, -1.0]]),
        nextQSelect: wasm.tensor2d([[1, 0], [0, 1], [-5, 4]]),
        gamma: 0.9,
      });
      const v = Array.from(y.dataSync());
      expect(v[0]).toBeCloseTo(1.45, 5);
      expect(v[1]).toBeCloseTo(2, 5);
      expect(v[2]).toBeCloseTo(-1.9, 5);
    } finally {
      await initBackend({ gpu: false, backend: 'cpu' });
    }
  });
});

const vals = (t: { dataSync(): ArrayLike<number> }): number[] => Array.from(t.dataSync());

describe('qTargets', () => {
  // 3 transitions, 2 actions. Row 0 continues, row 1 terminated, row 2 truncated (terminated = 0).
  const reward = [1, 2, -1];
  const terminated = [0, 1, 0];
  const nextQTarget = [
    [0.5, 2.0],
    [10, 20],
    [3.0, -1.0],
  ];

  it('DQN: r + gamma * (1 - terminated) * max_a Q_target(s\', a); truncation still bootstraps', () => {
    const y = qTargets(tf, {
      reward: tf.tensor1d(reward),
      terminated: tf.tensor1d(terminated),
      nextQEval: tf.tensor2d(nextQTarget),
      nextQSelect: null,
      gamma: 0.9,
    });
    // row0: 1 + 0.9*2 = 2.8; row1: 2 (terminated); row2: -1 + 0.9*3 = 1.7
    const v = vals(y);
    expect(v[0]).toBeCloseTo(2.8, 6);
    expect(v[1]).toBeCloseTo(2, 6);
    expect(v[2]).toBeCloseTo(1.7, 6);
  });

  it('Double DQN: the online net picks a\', the target net values it', () => {
    const nextQOnline = [
      [1.0, 0.0], // picks a'=0 -> target 0.5
      [0, 1], // terminated anyway
      [-5, 4], // picks a'=1 -> target -1
    ];
    const y = qTargets(tf, {
      reward: tf.tensor1d(reward),
      terminated: tf.tensor1d(terminated),
      nextQEval: tf.tensor2d(nextQTarget),
      nextQSelect: tf.tensor2d(nextQOnline),
      gamma: 0.9,
    });
    const v = vals(y);
    expect(v[0]).toBeCloseTo(1 + 0.9 * 0.5, 6);
    expect(v[1]).toBeCloseTo(2, 6);
    expect(v[2]).toBeCloseTo(-1 + 0.9 * -1, 6);
  });

  it('selectQ picks Q(s, a) with a one-hot mask', () => {
    const q = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const mask = tf.oneHot(tf.tensor1d([2, 0], 'int32'), 3).toFloat() as ReturnType<typeof tf.tensor2d>;
    expect(vals(selectQ(tf, q, mask))).toEqual([3, 4]);
  });
});

describe('regression losses (hand-computed)', () => {
  // d = pred - target = [0.5, -2, 0, 3]
  const pred = [1.5, 0, 2, 4];
  const target = [1, 2, 2, 1];

  it('MSELoss = mean(d^2) = (0.25 + 4 + 0 + 9) / 4', () => {
    expect(mseLoss(tf, tf.tensor1d(pred), tf.tensor1d(target)).dataSync()[0]).toBeCloseTo(13.25 / 4, 6);
  });

  it('SmoothL1Loss (beta 1) = mean(0.125, 1.5, 0, 2.5)', () => {
    expect(smoothL1Loss(tf, tf.tensor1d(pred), tf.tensor1d(target)).dataSync()[0]).toBeCloseTo(4.125 / 4, 6);
  });

  it('SmoothL1Loss beta 2: 0.5 d^2 / 2 inside, |d| - 1 outside = mean(0.0625, 1, 0, 2)', () => {
    expect(smoothL1Loss(tf, tf.tensor1d(pred), tf.tensor1d(target), 2).dataSync()[0]).toBeCloseTo(3.0625 / 4, 6);
  });

  it('HuberLoss delta 2 = 2 * SmoothL1(beta 2) = mean(0.125, 2, 0, 4)', () => {
    expect(huberLoss(tf, tf.tensor1d(pred), tf.tensor1d(target), 2).dataSync()[0]).toBeCloseTo(6.125 / 4, 6);
  });

  it('L1Loss = mean(|d|) = 5.5 / 4', () => {
    expect(l1Loss(tf, tf.tensor1d(pred), tf.tensor1d(target)).dataSync()[0]).toBeCloseTo(5.5 / 4, 6);
  });

  it('makeTdLoss maps loss_spec names', () => {
    const p = tf.tensor1d(pred);
    const t = tf.tensor1d(target);
    expect(makeTdLoss(tf, { name: 'SmoothL1Loss' })(p, t).dataSync()[0]).toBeCloseTo(4.125 / 4, 6);
    expect(makeTdLoss(tf, { name: 'MSELoss' })(p, t).dataSync()[0]).toBeCloseTo(13.25 / 4, 6);
  });

  it('SmoothL1Loss gradient is d inside the threshold and sign(d) outside (divided by B)', () => {
    const p = tf.tensor1d(pred);
    const t = tf.tensor1d(target);
    const g = tf.grad((x) => smoothL1Loss(tf, x as typeof p, t))(p);
    const v = vals(g);
    [0.5, -1, 0, 1].forEach((e, i) => expect(v[i]).toBeCloseTo(e / 4, 6));
  });
});
