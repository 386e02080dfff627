import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '@gymlab/backends';
import { DuelingMlp, duelingQ } from './dueling.js';

let tf: Tf;
beforeAll(async () => {
  tf = (await initBackend({ gpu: false, backend: 'cpu' })).tf;
});

describe('DuelingMLPNet', () => {
  it('duelingQ: Q = V + A - mean_a A, by hand', () => {
    const q = tf.tidy(() => duelingQ(tf, tf.tensor2d([[1], [-2]]), tf.tensor2d([[1, 2, 6], [0, 0, 3]])).arraySync());
    expect(q).toEqual([[1 + 1 - 3, 1 + 2 - 3, 1 + 6 - 3], [-2 - 1, -2 - 1, -2 + 3 - 1]]);
  });
  it('forward equals the hand-computed body, value and advantage streams', () => {
    const net = new DuelingMlp(tf, { inputSize: 2, hidden: [3], activation: 'relu', numActions: 2, initFn: 'xavier_uniform_', seed: 4, name: 'q' });
    expect(net.variableNames()).toEqual(['q/l0/kernel', 'q/l0/bias', 'q/v/kernel', 'q/v/bias', 'q/adv/kernel', 'q/adv/bias']);
    const w = net.namedWeights();
    const x = [1.5, -0.5];
    const h = [0, 1, 2].map((o) => Math.max(0, x.reduce((s, xi, i) => s + xi * w['q/l0/kernel'][i * 3 + o], 0) + w['q/l0/bias'][o]));
    const v = h.reduce((s, hi, i) => s + hi * w['q/v/kernel'][i], 0) + w['q/v/bias'][0];
    const a = [0, 1].map((o) => h.reduce((s, hi, i) => s + hi * w['q/adv/kernel'][i * 2 + o], 0) + w['q/adv/bias'][o]);
    const meanA = (a[0] + a[1]) / 2;
    const out = tf.tidy(() => net.forward(tf.tensor2d([x])).dataSync());
    expect(out[0]).toBeCloseTo(v + a[0] - meanA, 5);
    expect(out[1]).toBeCloseTo(v + a[1] - meanA, 5);
    net.dispose();
  });
  it('save/load round trip, polyak and same-seed determinism', () => {
    const cfg = { inputSize: 4, hidden: [8], activation: 'selu', numActions: 3, initFn: null, name: 'd' } as const;
    const a = new DuelingMlp(tf, { ...cfg, seed: 1 });
    expect(new DuelingMlp(tf, { ...cfg, seed: 1 }).namedWeights()).toEqual(a.namedWeights());
    const b = new DuelingMlp(tf, { ...cfg, seed: 2 });
    const wb = b.namedWeights()['d/adv/kernel'];
    b.polyakFrom(a, 0.5);
    b.namedWeights()['d/adv/kernel'].forEach((v, i) => expect(v).toBeCloseTo(0.5 * a.namedWeights()['d/adv/kernel'][i] + 0.5 * wb[i], 6));
    b.setState(a.getState());
    expect(b.namedWeights()).toEqual(a.namedWeights());
    a.dispose();
    b.dispose();
  });
});
