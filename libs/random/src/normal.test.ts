import { describe, expect, it } from 'vitest';
import { Rng } from '@gymlab/random';
import { FI, KI, WI, ZIGGURAT_NOR_R } from './ziggurat-tables.js';

/** numpy 2.4.6: `[repr(x) for x in np.random.default_rng(seed).standard_normal(20)]` (tools/numpy-random-reference.py). */
const NUMPY_STANDARD_NORMAL: [seed: number | bigint, draws: number[]][] = [
  [
    0,
    [
      0.1257302210933933, -0.1321048632913019, 0.6404226504432821, 0.10490011715303971, -0.535669373161111, 0.36159505490948474,
      1.3040000451301372, 0.9470809631292422, -0.7037352358069926, -1.2654214710460525, -0.6232744625373522, 0.0413259793472436,
      -2.3250307746388343, -0.21879166393254573, -1.2459109472530652, -0.7322673547034516, -0.5442589828573099, -0.31630015636915454,
      0.4116305363741328, 1.0425133694426776,
    ],
  ],
  [
    12345,
    [
      -1.4238250364546312, 1.2637284581291104, -0.8706617379590857, -0.2591732349343976, -0.07534330701052097, -0.740884652085609,
      -1.3677927017829434, 0.6488928021930399, 0.361058113054895, -1.95286306301219, 2.347409654378852, 0.9684969057519236,
      -0.7593871804245066, 0.9021982742122517, -0.46695317332055025, -0.06068951873702798, 0.7888443445192008, -1.2566681331396765,
      0.5758575143959287, 1.3989789947237192,
    ],
  ],
  [
    2n ** 63n,
    [
      1.629426797845334, -1.5075699421794106, -3.141192621359472, 0.22021335222348798, 0.8697632204566724, -1.2619023447011792,
      -0.00851035054905172, -1.4260109676517325, -1.2835468871899889, 1.4496864179212399, -1.7120905340947725, 2.637498989328266,
      1.2875266288328762, -0.4241680707000609, 0.6627549468856625, 0.870360146495492, 0.20985341551137934, 0.7791184222626849,
      -1.7273701471510368, 0.38403346232846175,
    ],
  ],
];

describe('standardNormal = numpy Generator.standard_normal (ziggurat)', () => {
  for (const [seed, want] of NUMPY_STANDARD_NORMAL) {
    it(`the first 20 draws of default_rng(${String(seed)})`, () => {
      const r = new Rng(seed);
      expect(Array.from({ length: 20 }, () => r.standardNormal())).toEqual(want);
    });
  }

  it('normal(loc, scale) is loc + scale * standard_normal, and the stream continues as numpy (default_rng(7))', () => {
    const r = new Rng(7);
    // numpy: [g.normal(1.5, 0.1) for _ in range(3)], then g.random()
    expect([r.normal(1.5, 0.1), r.normal(1.5, 0.1), r.normal(1.5, 0.1)]).toEqual([1.5001230153357483, 1.529874553750847, 1.4725862144637782]);
    expect(r.random()).toBe(0.22520718999059186);
  });

  it('200000 draws of default_rng(3), tail and rejection paths included, equal numpy\'s', () => {
    // numpy: x = default_rng(3).standard_normal(200000).tolist(); left-to-right sum, count beyond r, largest |x|
    const r = new Rng(3);
    let sum = 0;
    let tail = 0;
    let extreme = 0;
    for (let i = 0; i < 200000; i++) {
      const x = r.standardNormal();
      sum += x;
      if (Math.abs(x) > ZIGGURAT_NOR_R) tail++;
      if (Math.abs(x) > Math.abs(extreme)) extreme = x;
    }
    expect(sum).toBe(86.87702005581681);
    expect(tail).toBe(45);
    expect(extreme).toBe(-4.574671029819804);
  });

  it('the tables describe the ziggurat: widths and densities follow the layer edges', () => {
    // Layer edges x_i = WI[i] * 2^52 increase to r; FI[i] = exp(-x_i^2 / 2); KI[i] = floor(2^52 x_{i-1} / x_i).
    expect(WI[255] * 2 ** 52).toBeCloseTo(ZIGGURAT_NOR_R, 12);
    expect(FI[0]).toBe(1);
    expect(KI[1]).toBe(0);
    for (let i = 1; i < 256; i++) {
      const x = WI[i] * 2 ** 52;
      expect(FI[i]).toBeCloseTo(Math.exp(-0.5 * x * x), 14);
      if (i >= 2) expect(Math.abs(KI[i] - Math.floor(2 ** 52 * (WI[i - 1] / WI[i])))).toBeLessThan(4096);
    }
  });
});
