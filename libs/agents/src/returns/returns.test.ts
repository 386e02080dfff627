import { describe, expect, it } from 'vitest';
import { discountedReturns, gae, nStepReturns } from './index.js';

const f = (...x: number[]) => Float64Array.from(x);
const u = (...x: number[]) => Uint8Array.from(x);

describe('gae', () => {
  it('one column, terminated at the end: hand-computed', () => {
    // gamma 0.9, lam 0.5; r = [1, 1, 1], V = [0.5, 0.4, 0.3], V' = [0.4, 0.3, 9 (ignored: terminal)]
    // delta = [1 + .36 - .5, 1 + .27 - .4, 1 - .3] = [0.86, 0.87, 0.7]
    // A2 = 0.7; A1 = 0.87 + 0.45 * 0.7 = 1.185; A0 = 0.86 + 0.45 * 1.185 = 1.39325
    const { advantages, vTargets } = gae({
      rewards: f(1, 1, 1), values: f(0.5, 0.4, 0.3), nextValues: f(0.4, 0.3, 9),
      terminated: u(0, 0, 1), truncated: u(0, 0, 0), numEnvs: 1, gamma: 0.9, lam: 0.5,
    });
    [1.39325, 1.185, 0.7].forEach((a, i) => expect(advantages[i]).toBeCloseTo(a, 12));
    [1.89325, 1.585, 1.0].forEach((v, i) => expect(vTargets[i]).toBeCloseTo(v, 12));
  });
  it('truncation bootstraps from V(next) of that step and stops propagation; the cut row bootstraps too', () => {
    // gamma 0.5, lam 1; r = [1, 2, 3]; V = 0; V' = [10, 20, 30]; step 1 truncated.
    // A2 = 3 + 0.5*30 = 18 (cut, bootstrap); A1 = 2 + 0.5*20 = 12 (truncated); A0 = 1 + 0.5*10 - 0 + 0.5*12 = 12
    const { advantages } = gae({
      rewards: f(1, 2, 3), values: f(0, 0, 0), nextValues: f(10, 20, 30),
      terminated: u(0, 0, 0), truncated: u(0, 1, 0), numEnvs: 1, gamma: 0.5, lam: 1,
    });
    expect(Array.from(advantages)).toEqual([12, 12, 18]);
  });
  it('columns are independent in the time-major layout', () => {
    // two envs, T = 2: env0 r = [1, 1] not done; env1 r = [5, 7], terminated at t=0
    // gamma 1, lam 1, V = 0, V' = 1: env0: A1 = 1 + 1 = 2, A0 = 1 + 1 + 2 = 4 ... (delta0 = 1 + 1 - 0 = 2; A0 = 2 + 2 = 4)
    // env1: A0 = 5 (terminated), A1 = 7 + 1 = 8 (cut)
    const { advantages } = gae({
      rewards: f(1, 5, 1, 7), values: f(0, 0, 0, 0), nextValues: f(1, 1, 1, 1),
      terminated: u(0, 1, 0, 0), truncated: u(0, 0, 0, 0), numEnvs: 2, gamma: 1, lam: 1,
    });
    expect(Array.from(advantages)).toEqual([4, 5, 2, 8]);
  });
  it('rejects mismatched lengths', () => {
    expect(() => gae({ rewards: f(1, 2), values: f(1), nextValues: f(1, 2), terminated: u(0, 0), truncated: u(0, 0), numEnvs: 1, gamma: 1, lam: 1 })).toThrow(/length 1/);
  });
});

describe('discountedReturns', () => {
  it('Monte Carlo with episode boundaries (gamma 0.5)', () => {
    // r = [1, 2, 4, 8], terminated at t=1; no bootstrap values
    // G1 = 2; G0 = 1 + 0.5*2 = 2; G3 = 8 (cut, bootstrap 0); G2 = 4 + 0.5*8 = 8
    const g = discountedReturns({ rewards: f(1, 2, 4, 8), terminated: u(0, 1, 0, 0), truncated: u(0, 0, 0, 0), numEnvs: 1, gamma: 0.5, nextValues: null });
    expect(Array.from(g)).toEqual([2, 2, 8, 8]);
  });
  it('bootstraps truncated and cut steps from nextValues', () => {
    // r = [1, 1], truncated at t=0 with V'=4, cut at t=1 with V'=6; gamma 0.5 -> [1 + 2, 1 + 3]
    const g = discountedReturns({ rewards: f(1, 1), terminated: u(0, 0), truncated: u(1, 0), numEnvs: 1, gamma: 0.5, nextValues: f(4, 6) });
    expect(Array.from(g)).toEqual([3, 4]);
  });
});

describe('nStepReturns', () => {
  it('n = 2 with a terminal inside the window and a cut at the end (gamma 0.5)', () => {
    // r = [1, 2, 3, 4], V' = [10, 20, 30, 40], terminated at t=1
    // R0 = 1 + 0.5*2 + (terminal: 0) = 2; R1 = 2 (terminal); R2 = 3 + 0.5*4 + 0.25*40 = 15; R3 = 4 + 0.5*40 = 24
    const r = nStepReturns({ rewards: f(1, 2, 3, 4), nextValues: f(10, 20, 30, 40), terminated: u(0, 1, 0, 0), truncated: u(0, 0, 0, 0), numEnvs: 1, gamma: 0.5, n: 2 });
    expect(Array.from(r)).toEqual([2, 2, 15, 24]);
  });
  it('n = 1 is the one-step TD target', () => {
    const r = nStepReturns({ rewards: f(1, 2), nextValues: f(10, 20), terminated: u(0, 0), truncated: u(0, 0), numEnvs: 1, gamma: 0.5, n: 1 });
    expect(Array.from(r)).toEqual([6, 12]);
  });
});
