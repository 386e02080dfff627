import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '@gymlab/backends';
import type { OptimSpec } from '@gymlab/spec';
import type { Variable } from '@tensorflow/tfjs';
import { makeOptimizer, type Optimizer } from '../optim/optimizers.js';
import { minimize } from '../optim/minimize.js';
import { allocateSharedParams, GlobalOptimizer, PlanRecorder, stopSharedParams, WorkerSharing, type DistributedMode, type SharedParams } from './param-sharing.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await initBackend({ gpu: false, backend: 'cpu' })).tf;
});

/** A worker's net (one variable) and its optimizer; the first is built with the PlanRecorder. */
interface Worker {
  readonly p: Variable;
  readonly opt: Optimizer;
}

/** `workers` workers of one global net with initial parameters `p0` (as the trial plans it: one agent built first). */
function setup(mode: DistributedMode, workers: number, spec: OptimSpec, p0: number[]): { shared: SharedParams; ws: Worker[]; sharings: WorkerSharing[] } {
  const plan = new PlanRecorder();
  const planned = tf.variable(tf.tensor1d(p0));
  plan.share(tf, makeOptimizer(tf, spec, [planned])).dispose();
  const shared = allocateSharedParams(mode, workers, plan.regions);
  const sharings = Array.from({ length: workers }, (_, w) => new WorkerSharing(shared, w));
  // each worker's own init differs from the plan's: worker w starts at p0 + 10 (w + 1)
  const ws = sharings.map((s, w) => {
    const p = tf.variable(tf.tensor1d(p0.map((x) => x + 10 * (w + 1))));
    return { p, opt: s.share(tf, makeOptimizer(tf, spec, [p])) };
  });
  return { shared, ws, sharings };
}

/** One step of worker `w` on loss = sum(g * p) (gradient g). */
function step(w: Worker, g: number[]): void {
  minimize(tf, w.opt, () => tf.sum(tf.mul(w.p, tf.tensor1d(g))), [w.p], null);
}

const global = (shared: SharedParams): number[] => Array.from(new Float32Array(shared.regions[0].data, 0, shared.regions[0].size));
const values = (w: Worker): number[] => Array.from(w.p.dataSync());

describe('shared parameters (meta.distributed)', () => {
  it('the plan records each optimizer: size, slot names, initial parameters', () => {
    const plan = new PlanRecorder();
    const p = tf.variable(tf.tensor1d([1, 2, 3]));
    const opt = makeOptimizer(tf, { name: 'Adam', lr: 0.1 }, [p]);
    expect(plan.share(tf, opt)).toBe(opt);
    expect(plan.regions).toEqual([{ size: 3, slots: ['m', 'v'], init: Float32Array.of(1, 2, 3) }]);
  });

  it('shared: every worker starts from the global initial parameters, also one that starts after others stepped', () => {
    const { shared, ws } = setup('shared', 2, { name: 'SGD', lr: 0.1 }, [1, 2]);
    expect(values(ws[0])).toEqual([1, 2]);
    expect(values(ws[1])).toEqual([1, 2]);
    step(ws[0], [1, 1]);
    const late = tf.variable(tf.tensor1d([5, 5]));
    new WorkerSharing(shared, 1).share(tf, makeOptimizer(tf, { name: 'SGD', lr: 0.1 }, [late]));
    expect(Array.from(late.dataSync())).toEqual([1, 2]);
  });

  it('synced (SLM Lab): a worker keeps its own initial parameters until its first push, takes that gradient there, then pulls', () => {
    const { shared, ws } = setup('synced', 2, { name: 'SGD', lr: 0.1 }, [1, 2]);
    expect(values(ws[0])).toEqual([11, 12]);
    expect(values(ws[1])).toEqual([21, 22]);
    expect(global(shared)).toEqual([1, 2]);
    // loss = sum(p^2 / 2): the gradient is p itself, so it shows where it was taken
    const halfSquare = (w: Worker): void => void minimize(tf, w.opt, () => tf.div(tf.sum(tf.square(w.p)), 2), [w.p], null);
    halfSquare(ws[0]); // at worker 0's own [11, 12]: global [1 - 1.1, 2 - 1.2]
    expect(global(shared)[0]).toBeCloseTo(-0.1, 5);
    expect(global(shared)[1]).toBeCloseTo(0.8, 5);
    expect(values(ws[0])[0]).toBeCloseTo(-0.1, 5); // pulled after the push
    expect(values(ws[1])).toEqual([21, 22]); // worker 1 has not pushed: still its own
    halfSquare(ws[1]); // at worker 1's own [21, 22]: global [-0.1 - 2.1, 0.8 - 2.2]
    expect(global(shared)[0]).toBeCloseTo(-2.2, 5);
    expect(global(shared)[1]).toBeCloseTo(-1.4, 5);
    expect(values(ws[1])[1]).toBeCloseTo(-1.4, 5);
  });

  it('synced SGD, hand-computed: each push steps the global net at the pusher\'s gradient, then the pusher pulls', () => {
    const { shared, ws } = setup('synced', 2, { name: 'SGD', lr: 0.1 }, [1, 2]);
    step(ws[0], [1, 1]); // global [0.9, 1.9]
    expect(global(shared)[0]).toBeCloseTo(0.9, 6);
    expect(values(ws[0])[1]).toBeCloseTo(1.9, 6);
    step(ws[1], [2, 0]); // worker 1's gradient, taken at its stale parameters, steps the global net: [0.7, 1.9]
    expect(global(shared)[0]).toBeCloseTo(0.7, 6);
    expect(global(shared)[1]).toBeCloseTo(1.9, 6);
    expect(values(ws[1])[0]).toBeCloseTo(0.7, 6);
    expect(values(ws[0])[0]).toBeCloseTo(0.9, 6); // worker 0 keeps what it pulled until its next step
  });

  it('the optimizer state is global: Adam over two workers equals one Adam over their gradients in turn', () => {
    const spec: OptimSpec = { name: 'Adam', lr: 0.05 };
    const grads = [[1, -2], [0.5, 3], [-1, 1], [2, 2]];
    const { shared, ws } = setup('synced', 2, spec, [1, 2]);
    grads.forEach((g, i) => step(ws[i % 2], g));
    const p = tf.variable(tf.tensor1d([1, 2]));
    const one = makeOptimizer(tf, spec, [p]);
    for (const g of grads) minimize(tf, one, () => tf.sum(tf.mul(p, tf.tensor1d(g))), [p], null);
    const want = Array.from(p.dataSync());
    global(shared).forEach((x, i) => expect(x).toBeCloseTo(want[i], 6));
    expect(new Int32Array(shared.control)[2]).toBe(4); // the shared step count
  });

  it('synced: the turn goes round the workers and skips those that finished', () => {
    const { shared, ws, sharings } = setup('synced', 3, { name: 'SGD', lr: 1 }, [0]);
    const turn = (): number => new Int32Array(shared.control)[0];
    step(ws[0], [1]);
    expect(turn()).toBe(1);
    sharings[1].finish();
    expect(turn()).toBe(2);
    step(ws[2], [1]);
    expect(turn()).toBe(0);
    sharings[2].finish();
    step(ws[0], [1]);
    expect(turn()).toBe(0);
    expect(global(shared)[0]).toBeCloseTo(-3, 6);
  });

  it('shared (Hogwild): a gradient is taken at the global parameters as they are at that moment, with no turns', () => {
    const { shared, ws } = setup('shared', 2, { name: 'SGD', lr: 0.1 }, [1]);
    step(ws[1], [1]); // worker 1 first: no turn to wait for; global 0.9
    // loss = p^2 at worker 0: its gradient 2p must be taken at 0.9 (pulled), not at its stale 1.0
    minimize(tf, ws[0].opt, () => tf.sum(tf.square(ws[0].p)), [ws[0].p], null);
    expect(global(shared)[0]).toBeCloseTo(0.9 - 0.1 * 1.8, 6);
  });

  it('after a stop, a step changes nothing', () => {
    const { shared, ws } = setup('synced', 2, { name: 'SGD', lr: 0.1 }, [1]);
    stopSharedParams(shared);
    step(ws[1], [1]); // not its turn, but stopped: returns at once
    step(ws[0], [1]);
    expect(global(shared)[0]).toBe(1);
    expect(ws[0].opt).toBeInstanceOf(GlobalOptimizer);
  });
});
