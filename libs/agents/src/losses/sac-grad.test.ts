import { beforeAll, describe, expect, it } from 'vitest';
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import { initBackend, type Tf } from '@gymlab/backends';
import { Rng } from '@gymlab/random';
import { SquashedGaussian } from '../policy/action-dist.js';
import { mseLoss, smoothL1Loss } from './td.js';
import { sacContinuousAlphaLoss, sacContinuousPolicyLoss, sacContinuousTarget, sacDiscreteAlphaLoss, sacDiscretePolicyLoss, sacDiscreteTarget } from './sac.js';
import { criticLossGrad, sacAlphaLossGrad, sacContinuousTargetValues, sacDiscreteAlphaLossGrad, sacDiscretePolicyLossGrad, sacDiscreteTargetValues, sacPolicyLossGrad, squashedSample, squashedSampleBackward } from './sac-grad.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await initBackend({ gpu: false, backend: 'cpu' })).tf;
});

const B = 7;
const d = 2;

function randoms(rng: Rng, n: number, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => scale * rng.normal());
}

/** Relative to the array's scale: max |got - want| <= 1e-5 max |want| (f32 sums of canceling terms have no tighter per-element bound). */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i] - want[i]), `${what}[${i}]: ${got[i]} vs ${want[i]}`).toBeLessThanOrEqual(1e-5 * scale);
}

describe('SAC continuous losses on arrays equal tfjs autodiff', () => {
  it('squashed sample and log-prob (a raw log-scale above 2 is clamped) equal SquashedGaussian.rsample', () => {
    const rng = new Rng(1);
    const out = randoms(rng, B * 2 * d);
    out[d] = 3; // clamped to 2
    const noise = randoms(rng, B * d);
    const action = new Float32Array(B * d);
    const logProb = new Float32Array(B);
    squashedSample(out, noise, B, d, action, logProb);
    const dist = new SquashedGaussian({ d, logStd: null });
    const want = tf.tidy(() => {
      const r = dist.rsample(tf, dist.params(tf, tf.tensor2d(out, [B, 2 * d])), tf.tensor2d(noise, [B, d]));
      return [r.action.dataSync(), r.logProb.dataSync()];
    });
    expectClose(action, want[0], 'action');
    expectClose(logProb, want[1], 'logProb');
  });

  it('the policy loss and its gradient w.r.t. the policy outputs, through critics linear in the action', () => {
    const rng = new Rng(2);
    const out = randoms(rng, B * 2 * d, 0.7);
    out[2 * d + d] = 2.5; // a clamped log-scale: no gradient
    const noise = randoms(rng, B * d);
    // Q_k(s_i, a) = w_k . a + c_ki: dQ_k/da = w_k
    const w = [randoms(rng, d), randoms(rng, d)];
    const c = [randoms(rng, B), randoms(rng, B)];
    c[1][0] = c[0][0] + 5; // twin 1 is the min on this row whatever the action
    const alpha = 0.37;
    const dist = new SquashedGaussian({ d, logStd: null });
    const lossOf = (o: Tensor2D): Tensor1D => {
      const { action, logProb } = dist.rsample(tf, dist.params(tf, o), tf.tensor2d(noise, [B, d]));
      const q = (k: number): Tensor1D => tf.add(tf.sum(tf.mul(action, tf.tensor1d(w[k])), 1), tf.tensor1d(c[k])) as Tensor1D;
      return sacContinuousPolicyLoss(tf, logProb, q(0), q(1), alpha) as unknown as Tensor1D;
    };
    const [wantLoss, wantGrad] = tf.tidy(() => {
      const x = tf.tensor2d(out, [B, 2 * d]);
      const { value, grad } = tf.valueAndGrad(lossOf)(x);
      return [value.dataSync()[0], grad.dataSync()];
    });

    const action = new Float32Array(B * d);
    const logProb = new Float32Array(B);
    squashedSample(out, noise, B, d, action, logProb);
    const q = [0, 1].map((k) => Float32Array.from({ length: B }, (_, i) => w[k][0] * action[i * d] + w[k][1] * action[i * d + 1] + c[k][i]));
    const dq = [new Float32Array(B), new Float32Array(B)];
    const loss = sacPolicyLossGrad(logProb, q[0], q[1], alpha, B, dq[0], dq[1]);
    const dAction = Float32Array.from({ length: B * d }, (_, k) => dq[0][Math.floor(k / d)] * w[0][k % d] + dq[1][Math.floor(k / d)] * w[1][k % d]);
    const dOut = new Float32Array(B * 2 * d);
    squashedSampleBackward(out, noise, action, dAction, alpha / B, B, d, dOut);
    expectClose([loss], [wantLoss], 'loss');
    expectClose(dOut, wantGrad, 'dL/dout');
    expect(dOut[2 * d + d]).toBe(0);
  });

  it('the critic target, the critic losses (MSE, SmoothL1) with dL/dq, and the alpha loss with dL/dlog_alpha', () => {
    const rng = new Rng(3);
    const [reward, q1, q2, logProb, q] = [0, 1, 2, 3, 4].map(() => randoms(rng, B, 2));
    const terminated = Float32Array.from({ length: B }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const y = new Float32Array(B);
    sacContinuousTargetValues(reward, terminated, q1, q2, logProb, 0.2, 0.99, B, y);
    const t = (x: Float32Array): Tensor1D => tf.tensor1d(x);
    const wantY = tf.tidy(() => sacContinuousTarget(tf, { reward: t(reward), terminated: t(terminated), nextQ1: t(q1), nextQ2: t(q2), nextLogProb: t(logProb), alpha: 0.2, gamma: 0.99 }).dataSync());
    expectClose(y, wantY, 'y');

    for (const [spec, fn] of [[{ name: 'MSELoss' }, (p: Tensor1D) => mseLoss(tf, p, t(y))], [{ name: 'SmoothL1Loss' }, (p: Tensor1D) => smoothL1Loss(tf, p, t(y), 1)]] as const) {
      const dq = new Float32Array(B);
      const loss = criticLossGrad(q, y, B, spec, dq);
      const [wl, wg] = tf.tidy(() => {
        const r = tf.valueAndGrad(fn)(t(q));
        return [r.value.dataSync()[0], r.grad.dataSync()];
      });
      expectClose([loss], [wl], `${spec.name} loss`);
      expectClose(dq, wg, `${spec.name} dL/dq`);
    }

    const la = -0.3;
    const a = sacAlphaLossGrad(la, logProb, -1);
    const [wl, wg] = tf.tidy(() => {
      const r = tf.valueAndGrad((x: Tensor1D) => sacContinuousAlphaLoss(tf, x, t(logProb), -1))(tf.tensor1d([la]));
      return [r.value.dataSync()[0], r.grad.dataSync()[0]];
    });
    expectClose([a.loss, a.grad], [wl, wg], 'alpha loss, dL/dlog_alpha');
  });

  it('discrete: the target (expectation over actions), the policy loss with dL/d logits and the entropy, the alpha loss', () => {
    const rng = new Rng(4);
    const n = 3;
    const [logits, q1, q2] = [0, 1, 2].map(() => randoms(rng, B * n, 2));
    const [reward] = [randoms(rng, B)];
    const terminated = Float32Array.from({ length: B }, (_, i) => (i === 2 ? 1 : 0));
    const t2 = (x: Float32Array): Tensor2D => tf.tensor2d(x, [B, n]);
    const y = new Float32Array(B);
    sacDiscreteTargetValues(reward, terminated, logits, q1, q2, 0.3, 0.99, B, n, y);
    const wantY = tf.tidy(() => sacDiscreteTarget(tf, { reward: tf.tensor1d(reward), terminated: tf.tensor1d(terminated), nextLogits: t2(logits), nextQ1: t2(q1), nextQ2: t2(q2), alpha: 0.3, gamma: 0.99 }).dataSync());
    expectClose(y, wantY, 'y');

    const dLogits = new Float32Array(B * n);
    const got = sacDiscretePolicyLossGrad(logits, q1, q2, 0.3, B, n, dLogits);
    const [wl, wg, we] = tf.tidy(() => {
      const r = tf.valueAndGrad((z: Tensor2D) => sacDiscretePolicyLoss(tf, z, t2(q1), t2(q2), 0.3).loss)(t2(logits));
      return [r.value.dataSync()[0], r.grad.dataSync(), sacDiscretePolicyLoss(tf, t2(logits), t2(q1), t2(q2), 0.3).entropy.dataSync()[0]];
    }) as [number, Float32Array, number];
    expectClose([got.loss, got.entropy], [wl, we], 'loss, entropy');
    expectClose(dLogits, wg, 'dL/dlogits');

    const a = sacDiscreteAlphaLossGrad(0.2, got.entropy, 0.6 * Math.log(n));
    const [al, ag] = tf.tidy(() => {
      const r = tf.valueAndGrad((x: Tensor1D) => sacDiscreteAlphaLoss(tf, x, got.entropy, 0.6 * Math.log(n)))(tf.tensor1d([0.2]));
      return [r.value.dataSync()[0], r.grad.dataSync()[0]];
    });
    expectClose([a.loss, a.grad], [al, ag], 'alpha loss, dL/dlog_alpha');
  });
});
