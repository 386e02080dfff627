import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '@gymlab/backends';
import type { OptimSpec } from '@gymlab/spec';
import type { Variable } from '@tensorflow/tfjs';
import { makeOptimizer } from './optimizers.js';
import { appliedGradNorm, clipByGlobalNorm, minimize, minimizeGroups } from './minimize.js';
import { LrSchedule } from './lr-schedule.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await initBackend({ gpu: false, backend: 'cpu' })).tf;
});

/** Two steps on loss = sum(g0 * p) (constant gradient g0) from p0; returns p after each step. */
function run(spec: OptimSpec, p0: number[], g0: number[], steps = 2): number[][] {
  const p = tf.variable(tf.tensor1d(p0));
  const opt = makeOptimizer(tf, spec, [p]);
  const out: number[][] = [];
  for (let s = 0; s < steps; s++) {
    minimize(tf, opt, () => tf.sum(tf.mul(p, tf.tensor1d(g0))), [p], null);
    out.push(Array.from(p.dataSync()));
  }
  opt.dispose();
  p.dispose();
  return out;
}

describe('optimizers (torch semantics, hand-computed)', () => {
  it('Adam: first step moves each weight by lr*g/(|g|+eps); second step too for constant g', () => {
    // m1 = 0.1 g, v1 = 0.001 g^2 -> m_hat = g, v_hat = g^2 -> delta = lr * g / (|g| + 1e-8)
    const [s1, s2] = run({ name: 'Adam', lr: 0.1 }, [1, -2], [2, -0.5]);
    expect(s1[0]).toBeCloseTo(0.9, 6);
    expect(s1[1]).toBeCloseTo(-1.9, 6);
    expect(s2[0]).toBeCloseTo(0.8, 6);
    expect(s2[1]).toBeCloseTo(-1.8, 6);
  });
  it('Adam with L2 weight_decay adds wd*p to the gradient; AdamW decays the weight (default wd 0.01)', () => {
    // Adam, wd 0.5: g' = 2 + 0.5*1 = 2.5 -> step lr*sign = 0.1 -> 0.9
    expect(run({ name: 'Adam', lr: 0.1, weight_decay: 0.5 }, [1], [2], 1)[0][0]).toBeCloseTo(0.9, 6);
    // AdamW, wd 0.01: p = 1*(1 - 0.1*0.01) - 0.1 = 0.899
    expect(run({ name: 'AdamW', lr: 0.1 }, [1], [2], 1)[0][0]).toBeCloseTo(0.899, 6);
  });
  it('RMSprop: alpha 0.99, eps outside the sqrt', () => {
    // sq = 0.01 * 4 = 0.04 -> sqrt 0.2 -> p = 1 - 0.01 * 2 / 0.2 = 0.9
    const [s1, s2] = run({ name: 'RMSprop', lr: 0.01 }, [1], [2]);
    expect(s1[0]).toBeCloseTo(0.9, 5);
    // sq = 0.99*0.04 + 0.04 = 0.0796 -> p = 0.9 - 0.02/sqrt(0.0796)
    expect(s2[0]).toBeCloseTo(0.9 - 0.02 / Math.sqrt(0.0796), 5);
  });
  it('SGD with momentum: buf = g, then 0.9 buf + g', () => {
    const [s1, s2] = run({ name: 'SGD', lr: 0.1, momentum: 0.9 }, [1], [2]);
    expect(s1[0]).toBeCloseTo(0.8, 6);
    expect(s2[0]).toBeCloseTo(0.8 - 0.1 * 3.8, 6);
  });
  it('several variables update exactly as each would alone (flat update, AdamW decay per variable)', () => {
    const spec = { name: 'AdamW', lr: 0.1, weight_decay: 0.1 } as const;
    const a = tf.variable(tf.tensor2d([[1, -2], [3, 4]]));
    const b = tf.variable(tf.tensor1d([0.5]));
    const opt = makeOptimizer(tf, spec, [a, b]);
    for (let i = 0; i < 3; i++) minimize(tf, opt, () => tf.add(tf.sum(tf.square(a)), tf.sum(tf.mul(b, 3))), [a, b], null);
    const alone = run(spec, [0.5], [3], 3)[2];
    expect(b.dataSync()[0]).toBeCloseTo(alone[0], 6);
    expect(a.shape).toEqual([2, 2]);
    const a1 = tf.variable(tf.tensor1d([1, -2, 3, 4]));
    const o1 = makeOptimizer(tf, spec, [a1]);
    for (let i = 0; i < 3; i++) minimize(tf, o1, () => tf.sum(tf.square(a1)), [a1], null);
    Array.from(a.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(a1.dataSync()[i], 6));
    [opt, o1].forEach((o) => o.dispose());
    tf.dispose([a, b, a1]);
  });
  it('state round trip restores moments and step count', () => {
    const p = tf.variable(tf.tensor1d([1, 2]));
    const a = makeOptimizer(tf, { name: 'Adam', lr: 0.01 }, [p]);
    minimize(tf, a, () => tf.sum(tf.square(p)), [p], null);
    const q = tf.variable(tf.tensor1d([1, 2]));
    const b = makeOptimizer(tf, { name: 'Adam', lr: 0.01 }, [q]);
    b.setState('o', a.getState('o'));
    expect(b.stepCount).toBe(1);
    expect(b.getState('o')).toEqual(a.getState('o'));
    [a, b].forEach((o) => o.dispose());
    tf.dispose([p, q]);
  });
  it('refuses unknown optimizers in one line', () => {
    const p = tf.variable(tf.scalar(1));
    expect(() => makeOptimizer(tf, { name: 'Lion' } as unknown as OptimSpec, [p])).toThrow(/not supported; use one of Adam/);
    p.dispose();
  });
});

describe('gradient clipping and minimize', () => {
  it('clips by global norm like torch clip_grad_norm_', () => {
    const { norm, clipped } = clipByGlobalNorm(tf, [tf.tensor1d([3]), tf.tensor1d([4])], 1);
    expect(norm.dataSync()[0]).toBeCloseTo(5, 6);
    expect(clipped[0].dataSync()[0]).toBeCloseTo(0.6, 5);
    expect(clipped[1].dataSync()[0]).toBeCloseTo(0.8, 5);
    const big = clipByGlobalNorm(tf, [tf.tensor1d([3, 4])], 10);
    expect(big.clipped[0].dataSync()[1]).toBeCloseTo(4, 6);
  });
  it('returns loss and pre-clip norm, keeps the tensor count flat, groups step independently', () => {
    const a = tf.variable(tf.tensor1d([3]));
    const b = tf.variable(tf.tensor1d([4]));
    const oa = makeOptimizer(tf, { name: 'SGD', lr: 1 }, [a]);
    const ob = makeOptimizer(tf, { name: 'SGD', lr: 1 }, [b]);
    const before = tf.memory().numTensors;
    // loss = 0.5 a^2 + 0.5 b^2 -> grads 3 and 4; group a clipped to norm 1, group b unclipped
    const r = minimizeGroups(tf, () => tf.sum(tf.add(tf.mul(tf.square(a), 0.5), tf.mul(tf.square(b), 0.5))), [
      { optimizer: oa, clipGradVal: 1 },
      { optimizer: ob, clipGradVal: null },
    ]);
    expect(r.loss).toBeCloseTo(12.5, 5);
    expect(r.gradNorms[0]).toBeCloseTo(3, 5);
    expect(r.gradNorms[1]).toBeCloseTo(4, 5);
    expect(a.dataSync()[0]).toBeCloseTo(2, 5);
    expect(b.dataSync()[0]).toBeCloseTo(0, 5);
    expect(tf.memory().numTensors).toBe(before);
    const vs: Variable[] = [a];
    expect(() => minimize(tf, ob, () => tf.sum(a), vs, null)).toThrow(/optimizer's variables/);
    [oa, ob].forEach((o) => o.dispose());
    tf.dispose([a, b]);
  });
});

describe('appliedGradNorm', () => {
  it('is the norm after each group\'s clip_grad_val, combined over groups', () => {
    const v = tf.variable(tf.zeros([1]));
    const opt = makeOptimizer(tf, { name: 'SGD', lr: 0.1 }, [v]);
    // group 0: 30 clipped to 0.5 (x 0.5 / (30 + 1e-6)); group 1: 3 unclipped (no clip) -> sqrt(0.25 + 9)
    const n = appliedGradNorm([30, 3], [{ optimizer: opt, clipGradVal: 0.5 }, { optimizer: opt, clipGradVal: null }]);
    expect(n).toBeCloseTo(Math.sqrt((30 * 0.5 / (30 + 1e-6)) ** 2 + 9), 9);
    expect(appliedGradNorm([0.2], [{ optimizer: opt, clipGradVal: 0.5 }])).toBeCloseTo(0.2, 12);
    expect(Number.isFinite(appliedGradNorm([Number.NaN], [{ optimizer: opt, clipGradVal: 0.5 }]))).toBe(false);
    opt.dispose();
    v.dispose();
  });
});

describe('LrSchedule', () => {
  it('computes SLM Lab / torch schedules at (frame, optimizer step)', () => {
    expect(new LrSchedule(null, 0.1).lrAt(1e6, 1e3)).toBe(0.1);
    expect(new LrSchedule({ name: 'LinearToZero', frame: 1000 }, 0.1).lrAt(250, 7)).toBeCloseTo(0.075, 12);
    expect(new LrSchedule({ name: 'LinearToZero', frame: 1000 }, 0.1).lrAt(2000, 7)).toBe(0);
    expect(new LrSchedule({ name: 'StepLR', step_size: 100, gamma: 0.5 }, 0.1).lrAt(0, 250)).toBeCloseTo(0.025, 12);
    expect(new LrSchedule({ name: 'MultiStepLR', milestones: [10, 20], gamma: 0.1 }, 1).lrAt(0, 15)).toBeCloseTo(0.1, 12);
    expect(new LrSchedule({ name: 'ExponentialLR', gamma: 0.9 }, 1).lrAt(0, 2)).toBeCloseTo(0.81, 12);
    expect(new LrSchedule({ name: 'CosineAnnealingLR', T_max: 100 }, 1).lrAt(0, 50)).toBeCloseTo(0.5, 12);
    expect(new LrSchedule({ name: 'ConstantLR', factor: 0.5, total_iters: 3 }, 1).lrAt(0, 2)).toBe(0.5);
    expect(new LrSchedule({ name: 'ConstantLR', factor: 0.5, total_iters: 3 }, 1).lrAt(0, 3)).toBe(1);
    expect(new LrSchedule({ name: 'LinearLR', start_factor: 0.5, end_factor: 1, total_iters: 4 }, 1).lrAt(0, 2)).toBeCloseTo(0.75, 12);
  });
  it('apply sets each optimizer by its own step count', () => {
    const p = tf.variable(tf.scalar(1));
    const o = makeOptimizer(tf, { name: 'SGD', lr: 1 }, [p]);
    const sched = new LrSchedule({ name: 'ExponentialLR', gamma: 0.5 }, 1);
    expect(sched.apply([o], 0)).toBe(1);
    minimize(tf, o, () => tf.sum(p), [p], null);
    expect(sched.apply([o], 0)).toBe(0.5);
    o.dispose();
    p.dispose();
  });
  it('refuses a scheduler missing its key, in one line', () => {
    expect(() => new LrSchedule({ name: 'StepLR' }, 0.1)).toThrow("lr_scheduler_spec StepLR needs a number 'step_size'");
  });
});
