import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '@gymlab/backends';
import type { Scalar, Tensor, Tensor2D } from '@tensorflow/tfjs';
import { crossQCriticValues, crossQJointInput } from './crossq.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await initBackend({ gpu: false, backend: 'cpu' })).tf;
});

const vals = (t: { dataSync(): ArrayLike<number> }): number[] => Array.from(t.dataSync());
const close = (got: readonly number[], want: readonly number[], digits = 5): void => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(got[i], `[${i}]`).toBeCloseTo(w, digits));
};

/** A stand-in critic: batch norm (no eps) of the first input column over the whole (joint) batch, [N, 1]. */
const bnCritic = (x: Tensor2D, scale: number): Tensor2D => {
  const col = tf.slice(x, [0, 0], [-1, 1]);
  const centred = tf.sub(col, tf.mean(col));
  return tf.mul(tf.div(centred, tf.sqrt(tf.mean(tf.square(centred)))), scale) as Tensor2D;
};

describe('CrossQ critic values (no target net; joint batch)', () => {
  it('continuous: statistics over [(s, a); (s\', a\')], y = r + gamma (1 - done) (min Q_i(s\', a\') - alpha log pi)', () => {
    const obs = tf.tensor2d([[1], [3]]);
    const nextObs = tf.tensor2d([[5], [7]]);
    const action = tf.tensor2d([[0.5], [-0.5]]);
    const next = { action: tf.tensor2d([[0.25], [0]]), logProb: tf.tensor1d([-1, -2]) };
    const joint = crossQJointInput(tf, obs, action, nextObs, next);
    expect(joint.arraySync()).toEqual([[1, 0.5], [3, -0.5], [5, 0.25], [7, 0]]);
    const inp = { reward: tf.tensor1d([1, 0]), terminated: tf.tensor1d([0, 1]), actionMask: action, next, alpha: 0.5, gamma: 0.9 };
    // joint column [1, 3, 5, 7]: mean 4, variance 5, so Q1 = [-3, -1, 1, 3] / sqrt 5 (each half alone would give [-1, 1]); Q2 = 2 Q1
    const r5 = Math.sqrt(5);
    const out = crossQCriticValues(tf, bnCritic(joint, 1), bnCritic(joint, 2), inp);
    close(vals(out.qa[0]), [-3 / r5, -1 / r5]);
    close(vals(out.qa[1]), [-6 / r5, -2 / r5]);
    expect(out.all).toBeNull();
    // row 0: min(1, 2) / sqrt 5 - 0.5 * -1; row 1 terminated: r
    close(vals(out.y), [1 + 0.9 * (1 / r5 + 0.5), 0]);
    // d/dx of sum Q1(s, a) + sum y: the target is a constant, yet the next rows get a gradient through
    // the shared statistics: (1 / sigma) (g - mean g - xhat mean(g xhat)), g = [1, 1, 0, 0]
    const g = tf.grad((t: Tensor) => {
      const x = t as Tensor2D;
      const o = crossQCriticValues(tf, bnCritic(x, 1), bnCritic(x, 2), inp);
      return tf.add(tf.sum(o.qa[0]), tf.sum(o.y)) as Scalar;
    })(joint);
    close(vals(g), [-0.1 / r5, 0, 0.3 / r5, 0, -0.3 / r5, 0, 0.1 / r5, 0]);
  });

  it('discrete: [s; s\'] in one batch, Q_i(s, a) by the action mask, y from pi-weighted average twins minus alpha log pi', () => {
    const obs = tf.tensor2d([[1, 1], [2, 2]]);
    const nextObs = tf.tensor2d([[3, 3], [4, 4]]);
    const logits = tf.tensor2d([[0, 0], [Math.log(3), 0]]); // pi(s'_0) = [1/2, 1/2], pi(s'_1) = [3/4, 1/4]
    const mask = tf.tensor2d([[1, 0], [0, 1]]);
    expect(crossQJointInput(tf, obs, mask, nextObs, { logits }).arraySync()).toEqual([[1, 1], [2, 2], [3, 3], [4, 4]]);
    const q1 = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    const q2 = tf.tensor2d([[1, 4], [3, 2], [5, 8], [9, 6]]);
    const out = crossQCriticValues(tf, q1, q2, { reward: tf.tensor1d([1, -1]), terminated: tf.tensor1d([0, 0]), actionMask: mask, next: { logits }, alpha: 0.2, gamma: 0.99 });
    close(vals(out.qa[0]), [1, 4]);
    close(vals(out.qa[1]), [1, 2]);
    expect(out.all?.map((t) => t.arraySync())).toEqual([[[1, 2], [3, 4]], [[1, 4], [3, 2]]]);
    // average twins at s': row 0 [5, 7], row 1 [8, 7]; V0 = 6 + alpha ln 2, V1 = 0.75 * 8 + 0.25 * 7 + alpha H(3/4, 1/4)
    const h = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
    close(vals(out.y), [1 + 0.99 * (6 + 0.2 * Math.LN2), -1 + 0.99 * (7.75 + 0.2 * h)], 4);
  });
});
