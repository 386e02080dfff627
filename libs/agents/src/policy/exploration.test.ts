import { describe, expect, it } from 'vitest';
import { Rng } from '@gymlab/random';
import { argmaxRow, boltzmannProbs, sampleCategorical, selectActions } from './exploration.js';

describe('boltzmannProbs', () => {
  it('is softmax(Q / tau) (hand-computed)', () => {
    // q = [1, 2], tau = 0.5 -> logits [2, 4] -> [1/(1+e^2), e^2/(1+e^2)]
    const p = boltzmannProbs([1, 2], 0, 2, 0.5, new Float64Array(2));
    const e2 = Math.exp(2);
    expect(p[0]).toBeCloseTo(1 / (1 + e2), 12);
    expect(p[1]).toBeCloseTo(e2 / (1 + e2), 12);
  });

  it('reads the row at the offset and stays finite for large Q', () => {
    const p = boltzmannProbs([0, 0, 1000, 1001, 1002], 2, 3, 1, new Float64Array(3));
    const z = 1 + Math.E + Math.E ** 2;
    expect(p[0]).toBeCloseTo(1 / z, 12);
    expect(p[2]).toBeCloseTo(Math.E ** 2 / z, 12);
  });

  it('rejects a non-positive temperature', () => {
    expect(() => boltzmannProbs([1, 2], 0, 2, 0, new Float64Array(2))).toThrow(RangeError);
  });
});

describe('action selection', () => {
  it('argmax takes the first maximum', () => {
    expect(argmaxRow([3, 5, 5, 1], 0, 4)).toBe(1);
    expect(argmaxRow([9, 9, 0, 2, 7], 2, 3)).toBe(2);
  });

  it('boltzmann sampling frequencies match the probabilities', () => {
    const rng = new Rng(1);
    const q = new Float32Array([0, Math.log(3)]); // tau 1 -> [0.25, 0.75]
    const out = new Int32Array(1);
    const scratch = new Float64Array(2);
    let ones = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) ones += selectActions('boltzmann', q, 1, 2, 1, rng, out, scratch)[0];
    expect(ones / n).toBeCloseTo(0.75, 1.5);
  });

  it('epsilon-greedy explores with probability epsilon per row', () => {
    const rng = new Rng(2);
    const rows = 4;
    const q = new Float32Array([0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0].slice(0, rows * 3));
    // greedy action of each row
    const greedy = [1, 0, 0, 2].map((_, r) => argmaxRow(q, r * 3, 3));
    const out = new Int32Array(rows);
    const scratch = new Float64Array(3);
    let nonGreedy = 0;
    const n = 5000;
    for (let i = 0; i < n; i++) {
      selectActions('epsilon_greedy', q, rows, 3, 0.3, rng, out, scratch);
      for (let r = 0; r < rows; r++) if (out[r] !== greedy[r]) nonGreedy++;
    }
    // explore 0.3, and 2 of 3 random actions differ from the greedy one: 0.2
    expect(nonGreedy / (n * rows)).toBeCloseTo(0.2, 1.5);
  });

  it('greedy ignores the explore variable and epsilon 0 is greedy', () => {
    const q = new Float32Array([0.1, 0.9, 0.8, 0.2]);
    const scratch = new Float64Array(2);
    expect(Array.from(selectActions('greedy', q, 2, 2, 1, new Rng(0), new Int32Array(2), scratch))).toEqual([1, 0]);
    expect(Array.from(selectActions('epsilon_greedy', q, 2, 2, 0, new Rng(0), new Int32Array(2), scratch))).toEqual([1, 0]);
  });

  it('sampleCategorical returns the last positive action when rounding leaves u beyond the sum', () => {
    const fake = { random: () => 0.999999 } as unknown as Rng;
    expect(sampleCategorical([0.5, 0.4999, 0], 3, fake)).toBe(1);
  });
});
