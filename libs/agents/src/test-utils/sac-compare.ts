/** The SAC-family compute tests' comparison of two computes (fast vs tfjs): random batches, rounds of steps, tensors within 1e-5. */
import { expect } from 'vitest';
import type { Rng } from '@gymlab/random';
import type { SacBatch, SacCompute } from '../algorithms/sac-compute.js';
import { targetUpdateOf } from '../net/target.js';
import type { TensorData } from '../net/types.js';

/** Per tensor: max |got - want| <= 1e-5 max |want|. */
export function expectSameTensors(got: Readonly<Record<string, Float32Array>>, want: Readonly<Record<string, Float32Array>>): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const [k, w] of Object.entries(want)) {
    let scale = 0;
    let diff = 0;
    w.forEach((x, i) => {
      scale = Math.max(scale, Math.abs(x));
      diff = Math.max(diff, Math.abs(got[k][i] - x));
    });
    expect(diff, k).toBeLessThanOrEqual(1e-5 * scale);
  }
}

/** Checkpoint states within 1e-5 per tensor, the same keys in the same order; Adam's v compared as sqrt(v), the scale Adam divides by. */
export function expectSameState(got: Readonly<Record<string, TensorData>>, want: Readonly<Record<string, TensorData>>): void {
  expect(Object.keys(got)).toEqual(Object.keys(want));
  const data = (s: typeof got): Record<string, Float32Array> => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, k.endsWith('/v') ? v.data.map(Math.sqrt) : v.data]));
  expectSameTensors(data(got), data(want));
}

/** A batch of B random transitions: observations of `obsSize` in [-1, 1], discrete actions of 2, rewards in [-10, 0], every 9th terminated. */
export function randomSacBatch(B: number, rng: Rng, discrete: boolean, obsSize = discrete ? 4 : 3): SacBatch {
  const u = (n: number, lo: number, hi: number): Float32Array => Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
  const action = discrete ? Int32Array.from({ length: B }, () => rng.int(2)) : u(B, -1, 1);
  return { size: B, idx: new Int32Array(B), obs: u(B * obsSize, -1, 1), action, reward: u(B, -10, 0), nextObs: u(B * obsSize, -1, 1), terminated: Float32Array.from({ length: B }, (_, i) => (i % 9 === 0 ? 1 : 0)) } as SacBatch;
}

/**
 * `rounds` rounds on both computes from the same random batches and noise: a critic step, and every
 * `policyEvery` rounds a policy and an alpha step; then target updates (polyak 0.005). Losses,
 * gradient norms, TD errors and every weight agree within 1e-5 after each round.
 */
export function expectSameRounds(f: SacCompute, t: SacCompute, o: { B: number; rounds: number; discrete: boolean; policyEvery?: number; rng: Rng; afterCritic?: (round: number) => void }): void {
  const { B, rng, discrete } = o;
  const close = (got: number, want: number, what: string): void => expect(Math.abs(got - want), what).toBeLessThanOrEqual(1e-5 * Math.max(Math.abs(want), 1e-3));
  expectSameTensors(f.netWeights(), t.netWeights());
  for (let round = 0; round < o.rounds; round++) {
    const batch = randomSacBatch(B, rng, discrete);
    // discrete: no noise (expectations over the actions)
    const normal = (): Float32Array | null => (discrete ? null : Float32Array.from({ length: B }, () => rng.normal()));
    const nextNoise = normal();
    const noise = normal();
    const [cf, ct] = [f, t].map((c) => c.criticStep(batch, nextNoise, 0.8, true));
    close(cf.loss, ct.loss, `round ${round} critic loss`);
    if (o.afterCritic !== undefined) o.afterCritic(round);
    cf.gradNorms.forEach((g, i) => close(g, ct.gradNorms[i], `round ${round} critic ${i} grad norm`));
    expectSameTensors({ absTd: cf.absTd as Float32Array }, { absTd: ct.absTd as Float32Array });
    if (round % (o.policyEvery ?? 1) === 0) {
      const [pf, pt] = [f, t].map((c) => c.policyStep(batch, noise, 0.8));
      close(pf.loss, pt.loss, `round ${round} policy loss`);
      close(pf.gradNorms[0], pt.gradNorms[0], `round ${round} policy grad norm`);
      expect(pf.entropy).toBeCloseTo(pt.entropy, 5);
      const [af, at] = [f, t].map((c) => c.alphaStep(pf.logProb, pf.entropy));
      expect(af.logAlpha).toBeCloseTo(at.logAlpha, 7);
    }
    for (const c of [f, t]) {
      c.updateTargets(targetUpdateOf({ update_type: 'polyak', update_frequency: 1, polyak_coef: 0.005 }, 2), 0);
      c.endStep();
    }
    expectSameTensors(f.netWeights(), t.netWeights());
  }
}
