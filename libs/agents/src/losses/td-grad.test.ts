import type { Scalar, Tensor2D } from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import type { LossSpec } from '@gymlab/spec';
import { tdLossGrad } from './td-grad.js';
import { makeTdLoss, selectQ } from './td.js';

const { tf } = await initBackend({ gpu: false, backend: 'cpu' });

/** max |got - want| / max |want|. */
const relErr = (got: ArrayLike<number>, want: ArrayLike<number>): number =>
  Array.from(want).reduce((m, w, i) => Math.max(m, Math.abs(got[i] - w)), 0) / Array.from(want).reduce((m, w) => Math.max(m, Math.abs(w)), 0);

const cases: { lossSpec: LossSpec; batch: number; numActions: number }[] = [
  { lossSpec: { name: 'MSELoss' }, batch: 64, numActions: 2 },
  { lossSpec: { name: 'SmoothL1Loss' }, batch: 64, numActions: 2 },
  { lossSpec: { name: 'SmoothL1Loss', beta: 0.5 }, batch: 37, numActions: 5 },
  { lossSpec: { name: 'HuberLoss', delta: 0.7 }, batch: 21, numActions: 3 },
  { lossSpec: { name: 'L1Loss' }, batch: 9, numActions: 4 },
];

describe('tdLossGrad against makeTdLoss(selectQ(q), y) through tfjs autodiff', () => {
  for (const c of cases) {
    it(`${JSON.stringify(c.lossSpec)}, ${c.numActions} actions, batch ${c.batch}: loss and d loss / d q within 1e-5; |td| per row`, () => {
      const { batch: B, numActions: A } = c;
      const rng = new Rng(B * 7 + A);
      const q = Float32Array.from({ length: B * A }, () => rng.uniform(-3, 3));
      const actions = Int32Array.from({ length: B }, () => rng.int(A));
      // targets near the taken Q so residuals fall on both sides of the Huber/SmoothL1 knee
      const targets = Float32Array.from({ length: B }, (_, b) => q[b * A + actions[b]] + rng.uniform(-2.5, 2.5));
      const mask = new Float32Array(B * A);
      actions.forEach((a, b) => (mask[b * A + a] = 1));
      const loss = makeTdLoss(tf, c.lossSpec);
      const { value, grad } = tf.tidy(() => {
        const qT = tf.tensor2d(q, [B, A]);
        const g = tf.valueAndGrad((x: Tensor2D) => loss(selectQ(tf, x, tf.tensor2d(mask, [B, A])), tf.tensor1d(targets)) as Scalar);
        const r = g(qT);
        return { value: r.value.dataSync()[0], grad: r.grad.dataSync() };
      });
      const dq = new Float32Array(B * A).fill(7);
      const absTd = new Float32Array(B);
      const got = tdLossGrad({ q, actions, targets, batch: B, numActions: A, lossSpec: c.lossSpec }, dq, absTd);
      expect(Math.abs(got - value)).toBeLessThanOrEqual(1e-5 * Math.abs(value));
      expect(relErr(dq, grad)).toBeLessThanOrEqual(1e-5);
      for (let b = 0; b < B; b++) {
        expect(absTd[b]).toBeCloseTo(Math.abs(q[b * A + actions[b]] - targets[b]), 5);
        for (let a = 0; a < A; a++) if (a !== actions[b]) expect(dq[b * A + a]).toBe(0);
      }
    });
  }

  it('hand-computed: SmoothL1 (beta 1) of residuals 0.5 and -3 over 2 rows is (0.125 + 2.5) / 2, gradients 0.25 and -0.5', () => {
    const dq = new Float32Array(4);
    const loss = tdLossGrad({ q: [1, 0.5, 0, -3], actions: [1, 1], targets: [0, 0], batch: 2, numActions: 2, lossSpec: { name: 'SmoothL1Loss' } }, dq);
    expect(loss).toBeCloseTo(1.3125, 12);
    expect(Array.from(dq)).toEqual([0, 0.25, 0, -0.5]);
  });
});
