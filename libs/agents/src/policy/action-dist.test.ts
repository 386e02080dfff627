import { beforeAll, describe, expect, it } from 'vitest';
import type { Tensor2D } from '@tensorflow/tfjs';
import { initBackend, type Tf } from '@gymlab/backends';
import { Box, Discrete } from '@gymlab/envs';
import { Rng } from '@gymlab/random';
import { AgentConfigError, NotBuiltError } from '../types.js';
import { Categorical, checkActionPdtype, DiagGaussian, GumbelSoftmax, makeActionDist, SquashedGaussian } from './action-dist.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await initBackend({ gpu: false, backend: 'wasm' })).tf;
});

const LOG_2PI = Math.log(2 * Math.PI);
const moments = (xs: ArrayLike<number>): [number, number] => {
  const a = Array.from(xs);
  const m = a.reduce((s, x) => s + x, 0) / a.length;
  return [m, Math.sqrt(a.reduce((s, x) => s + (x - m) ** 2, 0) / a.length)];
};

describe('Categorical', () => {
  it('log-prob at encoded actions and entropy match closed forms', () => {
    const dist = new Categorical(2);
    // logits [0, ln 3] -> p = [0.25, 0.75]; [0, 0] -> [0.5, 0.5]
    const params = dist.params(tf, tf.tensor2d([[0, Math.log(3)], [0, 0]]));
    const enc = dist.encode(Int32Array.of(1, 0), 2);
    expect(Array.from(enc)).toEqual([0, 1, 1, 0]);
    const lp = dist.logProb(tf, params, tf.tensor2d(enc, [2, 2])).dataSync();
    expect(lp[0]).toBeCloseTo(Math.log(0.75), 5);
    expect(lp[1]).toBeCloseTo(Math.log(0.5), 5);
    const h = dist.entropy(tf, params).dataSync();
    expect(h[0]).toBeCloseTo(-(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)), 5);
    expect(h[1]).toBeCloseTo(Math.log(2), 5);
    expect(() => dist.encode([0], 2)).toThrow(RangeError);
  });
  it('samples in proportion to the probabilities with a fixed seed; mode is the argmax', () => {
    const dist = new Categorical(3);
    const rows = 30000;
    const params = new Float32Array(rows * 3);
    for (let r = 0; r < rows; r++) params.set([0, Math.log(2), Math.log(5)], r * 3); // p = [1, 2, 5] / 8
    const a = dist.sample(params, rows, new Rng(3));
    expect(a).toBeInstanceOf(Int32Array);
    const counts = [0, 0, 0];
    for (const x of a) counts[x]++;
    expect(counts[0] / rows).toBeCloseTo(1 / 8, 2);
    expect(counts[2] / rows).toBeCloseTo(5 / 8, 2);
    expect(Array.from(dist.sample(params.subarray(0, 30), 10, new Rng(3)))).toEqual(Array.from(a.subarray(0, 10)));
    expect(Array.from(dist.mode(Float32Array.of(3, 1, 5, 5, 9, 9), 2))).toEqual([2, 1]);
  });
});

describe('GumbelSoftmax', () => {
  it('draws argmax_a (logit_a - log(-log(1 - U_a))) with the uniforms taken row by row, action by action', () => {
    const logits = Float32Array.of(0.5, -1, 2, 0, 0, 0);
    const u = new Rng(9);
    const draws = Array.from({ length: 6 }, () => u.random());
    const gumbel = draws.map((x) => -Math.log(-Math.log(1 - x)));
    const expected = [0, 1].map((r) => {
      const v = [0, 1, 2].map((a) => logits[r * 3 + a] + gumbel[r * 3 + a]);
      return v.indexOf(Math.max(...v));
    });
    expect(Array.from(new GumbelSoftmax(3).sample(logits, 2, new Rng(9)))).toEqual(expected);
  });

  it('is the Categorical of its logits: sample frequencies, log-prob, entropy and mode', () => {
    const dist = makeActionDist('GumbelSoftmax', new Discrete(3));
    expect(dist).toBeInstanceOf(GumbelSoftmax);
    expect(dist.name).toBe('GumbelSoftmax');
    const rows = 30000;
    const params = new Float32Array(rows * 3);
    for (let r = 0; r < rows; r++) params.set([0, Math.log(2), Math.log(5)], r * 3); // p = [1, 2, 5] / 8
    const counts = [0, 0, 0];
    for (const x of dist.sample(params, rows, new Rng(4)) as Int32Array) counts[x]++;
    // within 4 standard errors of the Categorical's probabilities (sqrt(p(1-p)/n) <= 0.0029)
    [1 / 8, 2 / 8, 5 / 8].forEach((q, a) => expect(Math.abs(counts[a] / rows - q)).toBeLessThan(0.0116));
    const cat = new Categorical(3);
    const p = tf.tensor2d([[0, Math.log(2), Math.log(5)]]);
    const enc = tf.tensor2d(dist.encode(Int32Array.of(2), 1), [1, 3]);
    expect(dist.logProb(tf, p, enc).dataSync()[0]).toBeCloseTo(Math.log(5 / 8), 5);
    expect(dist.entropy(tf, p).dataSync()[0]).toBeCloseTo(cat.entropy(tf, p).dataSync()[0], 6);
    expect(Array.from(dist.mode(Float32Array.of(3, 1, 5), 1))).toEqual([2]);
  });
});

describe('DiagGaussian', () => {
  it('a state-dependent head: params are [means, log-scales clamped to [-20, 2]]; log-prob and entropy by hand', () => {
    const dist = new DiagGaussian({ d: 2, logStd: null });
    expect([dist.netOutputSize, dist.paramSize, dist.actionSize, dist.encodedSize]).toEqual([4, 4, 2, 2]);
    const params = dist.params(tf, tf.tensor2d([[0, 1, 0, Math.log(2)], [0, 0, 5, -30]]));
    const p = params.dataSync();
    expect(p[6]).toBeCloseTo(2, 6);
    expect(p[7]).toBeCloseTo(-20, 6);
    // row 0: mu = [0, 1], sigma = [1, 2], a = [1, 1] -> (-0.5 - 0.5 ln 2pi) + (0 - ln 2 - 0.5 ln 2pi)
    const lp = dist.logProb(tf, params, tf.tensor2d([[1, 1], [0, 0]])).dataSync();
    expect(lp[0]).toBeCloseTo(-0.5 - Math.log(2) - LOG_2PI, 5);
    expect(lp[1]).toBeCloseTo(-2 + 20 - LOG_2PI, 4); // a = mu: -sum log sigma - d/2 ln 2pi
    const h = dist.entropy(tf, params).dataSync();
    expect(h[0]).toBeCloseTo(1 + LOG_2PI + Math.log(2), 5);
  });
  it('a learnable state-independent log-std: tiled into every row, gradient reaches it', () => {
    const logStd = tf.variable(tf.tensor1d([0]));
    const dist = new DiagGaussian({ d: 1, logStd });
    expect(dist.netOutputSize).toBe(1);
    const netOut = tf.tensor2d([[0], [0]]);
    expect(Array.from(dist.params(tf, netOut).dataSync())).toEqual([0, 0, 0, 0]);
    // d logp / d log sigma = z^2 - 1 per row; a = 2, mu = 0, sigma = 1 -> 3 per row, 6 over two rows
    const g = tf.variableGrads(() => tf.sum(dist.logProb(tf, dist.params(tf, netOut), tf.tensor2d([[2], [2]]))) as never, [logStd]);
    expect(g.grads[logStd.name].dataSync()[0]).toBeCloseTo(6, 5);
    logStd.dispose();
  });
  it('samples with a fixed seed have the right moments; mode is the mean; rsample is mean + std * noise', () => {
    const dist = new DiagGaussian({ d: 1, logStd: null });
    const rows = 20000;
    const params = new Float32Array(rows * 2);
    for (let r = 0; r < rows; r++) params.set([1, Math.log(2)], 2 * r);
    const [m, s] = moments(dist.sample(params, rows, new Rng(2)));
    expect(m).toBeCloseTo(1, 1);
    expect(s).toBeCloseTo(2, 1);
    expect(Array.from(dist.mode(Float32Array.of(0.25, 3, -1, 0), 2))).toEqual([0.25, -1]);
    const r = dist.rsample(tf, tf.tensor2d([[1, Math.log(2)]]), tf.tensor2d([[0.5]]));
    expect(r.action.dataSync()[0]).toBeCloseTo(2, 6);
    expect(r.logProb.dataSync()[0]).toBeCloseTo(-0.125 - Math.log(2) - 0.5 * LOG_2PI, 5);
  });
});

describe('SquashedGaussian', () => {
  const u = 0.5;
  const handLogp = -0.5 * u * u - 0.5 * LOG_2PI - Math.log(1 - Math.tanh(u) ** 2); // mu 0, sigma 1
  it('rsample: tanh(u) with the log(1 - tanh(u)^2) correction, by hand; logProb of the stored action agrees', () => {
    const dist = new SquashedGaussian({ d: 1, logStd: null });
    const params = tf.tensor2d([[0, 0]]);
    const r = dist.rsample(tf, params, tf.tensor2d([[u]]));
    expect(r.action.dataSync()[0]).toBeCloseTo(Math.tanh(u), 6);
    expect(r.logProb.dataSync()[0]).toBeCloseTo(handLogp, 5);
    const lp = dist.logProb(tf, params, tf.tensor2d([[Math.tanh(u)]])).dataSync()[0];
    expect(lp).toBeCloseTo(handLogp, 4);
  });
  it('the stable form stays finite where 1 - tanh(u)^2 underflows; the action is differentiable in the mean', () => {
    const dist = new SquashedGaussian({ d: 1, logStd: null });
    const r = dist.rsample(tf, tf.tensor2d([[0, 0]]), tf.tensor2d([[20]]));
    // log(1 - tanh(20)^2) = 2 (ln 2 - 20 - softplus(-40))
    expect(r.logProb.dataSync()[0]).toBeCloseTo(-200 - 0.5 * LOG_2PI - 2 * (Math.LN2 - 20), 3);
    const mean = tf.tensor2d([[0.3]]);
    const g = tf.grad((m) => tf.sum(dist.rsample(tf, tf.concat([m as Tensor2D, tf.zeros([1, 1])], 1) as Tensor2D, tf.tensor2d([[0.2]])).action))(mean);
    expect(g.dataSync()[0]).toBeCloseTo(1 - Math.tanh(0.5) ** 2, 5);
  });
  it('samples lie in (-1, 1) with the moments of tanh(N(mu, sigma)); mode is tanh(mean)', () => {
    const dist = new SquashedGaussian({ d: 1, logStd: null });
    const rows = 20000;
    const params = new Float32Array(rows * 2);
    for (let r = 0; r < rows; r++) params.set([0.5, Math.log(0.1)], 2 * r);
    const a = dist.sample(params, rows, new Rng(9));
    expect(a.every((x) => x > -1 && x < 1)).toBe(true);
    const [m] = moments(a);
    expect(m).toBeCloseTo(Math.tanh(0.5) * (1 - 0.01 * (1 - Math.tanh(0.5) ** 2)), 2); // second-order delta method
    expect(dist.mode(Float32Array.of(0.5, 0), 1)[0]).toBeCloseTo(Math.tanh(0.5), 6);
  });
});

describe('action_pdtype selects the distribution', () => {
  const discrete = new Discrete(3);
  const box = new Box(-2, 2, [2]);
  it('default: Categorical for Discrete, DiagGaussian for Box; SLM Lab names of the same', () => {
    expect(makeActionDist('default', discrete).name).toBe('Categorical');
    expect(makeActionDist('Categorical', discrete).netOutputSize).toBe(3);
    const g = makeActionDist('Normal', box);
    expect([g.name, g.netOutputSize]).toEqual(['DiagGaussian', 4]);
    const v = tf.variable(tf.zeros([2]));
    expect(makeActionDist('default', box, { logStd: v }).netOutputSize).toBe(2);
    v.dispose();
  });
  it('SLM Lab distributions gymlab has not built: NotBuiltError naming them; misfits and unknown names: AgentConfigError', () => {
    let err: unknown;
    try {
      checkActionPdtype('Beta', box, 'PPO');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NotBuiltError);
    expect((err as NotBuiltError).what).toBe('action_pdtype Beta: not built yet');
    expect(() => checkActionPdtype('GumbelCategorical', discrete)).toThrow(NotBuiltError);
    expect(() => checkActionPdtype('GumbelSoftmax', discrete)).not.toThrow(); // SLM Lab v5.3's async_sac specs
    expect(() => checkActionPdtype('GumbelSoftmax', box)).toThrow(AgentConfigError);
    const misfit = (): void => checkActionPdtype('Normal', discrete, 'PPO');
    expect(misfit).toThrow(AgentConfigError);
    expect(misfit).not.toThrow(NotBuiltError);
    expect(misfit).toThrow("PPO: agent.algorithm.action_pdtype 'Normal' does not fit a Discrete action space; use default or one of Categorical,");
    expect(() => checkActionPdtype('Gauss', box)).toThrow(/'Gauss' is unknown/);
    expect(() => checkActionPdtype('default', new Box(-1, 1, [2, 2]))).toThrow(/must be flat/);
  });
});
