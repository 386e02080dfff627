import { describe, expect, it } from 'vitest';
import { SpecError } from '@gymlab/spec';
import type { SearchDimension, SearchDistribution } from '@gymlab/spec';
import { searchStream } from './rng.js';
import { drawRandom, edgeValues, gridPoints, toParams } from './space.js';
import type { OptionsParam, Param } from './space.js';

const ctx = { file: 'f.json', specName: 's' };
const one = (dist: SearchDistribution, args: unknown[]): Param => toParams([{ path: ['a', 'k'], dist, args }], ctx)[0];
const draws = (p: Param, n = 4000, stream: [number, number, number] = [1, 0, 0]): unknown[] => {
  const rng = searchStream(...stream);
  return Array.from({ length: n }, () => drawRandom(p, rng));
};
const nums = (xs: unknown[]): number[] => xs as number[];

describe('random draws of each distribution', () => {
  it('uniform and loguniform stay in [low, high]; loguniform is uniform in log space', () => {
    const u = nums(draws(one('uniform', [0.9, 0.999])));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0.9);
    expect(Math.max(...u)).toBeLessThanOrEqual(0.999);
    const l = nums(draws(one('loguniform', [1e-5, 1e-1])));
    expect(Math.min(...l)).toBeGreaterThanOrEqual(1e-5);
    expect(Math.max(...l)).toBeLessThanOrEqual(1e-1);
    // a quarter of the log range each: [1e-5, 1e-4) holds about 1/4 of the draws
    expect(l.filter((x) => x < 1e-4).length / l.length).toBeCloseTo(0.25, 1);
  });

  it('randint is low..high-1 (high exclusive), every value drawn', () => {
    const r = nums(draws(one('randint', [3, 7])));
    expect([...new Set(r)].sort()).toEqual([3, 4, 5, 6]);
    const lr = nums(draws(one('lograndint', [1, 100])));
    expect(lr.every((x) => Number.isInteger(x) && x >= 1 && x <= 99)).toBe(true);
    expect(lr.filter((x) => x < 10).length / lr.length).toBeCloseTo(0.5, 1);
  });

  it('qrandint and qlograndint: multiples of q with high inclusive', () => {
    const q = nums(draws(one('qrandint', [50, 150, 25])));
    expect([...new Set(q)].sort((a, b) => a - b)).toEqual([50, 75, 100, 125, 150]);
    const ql = nums(draws(one('qlograndint', [8, 512, 8])));
    expect(ql.every((x) => x % 8 === 0 && x >= 8 && x <= 512)).toBe(true);
    expect(ql).toContain(512);
  });

  it('quniform and qloguniform round to the nearest multiple of q inside [low, high], without binary noise', () => {
    const q = nums(draws(one('quniform', [0.05, 0.35, 0.1])));
    // multiples of 0.1 in [0.05, 0.35]: 0.1, 0.2, 0.3 (0 and 0.4 are outside and clamp in)
    expect([...new Set(q)].sort()).toEqual([0.1, 0.2, 0.3]);
    const ql = nums(draws(one('qloguniform', [1e-4, 1e-2, 5e-5])));
    expect(ql.every((x) => x >= 1e-4 && x <= 1e-2 && Math.abs(x / 5e-5 - Math.round(x / 5e-5)) < 1e-9)).toBe(true);
  });

  it('randn and qrandn: mean and sd as given', () => {
    const r = nums(draws(one('randn', [10, 2]), 20000));
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const sd = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1));
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeCloseTo(2, 1);
    const q = nums(draws(one('qrandn', [10, 2, 0.5])));
    expect(q.every((x) => Number.isInteger(x * 2))).toBe(true);
  });

  it('choice draws every option (options may be lists), uniformly', () => {
    const c = draws(one('choice', [[64], [64, 64], [128]]), 3000);
    for (const opt of [[64], [64, 64], [128]]) expect(c.filter((x) => JSON.stringify(x) === JSON.stringify(opt)).length / 3000).toBeCloseTo(1 / 3, 1);
  });

  it('the same stream gives the same values; another stream other values', () => {
    const p = one('uniform', [0, 1]);
    expect(draws(p, 5, [7, 1, 3])).toEqual(draws(p, 5, [7, 1, 3]));
    expect(draws(p, 5, [7, 1, 3])).not.toEqual(draws(p, 5, [7, 1, 4]));
    expect(draws(p, 5, [7, 1, 3])).not.toEqual(draws(p, 5, [8, 1, 3]));
    expect(draws(p, 5, [7, 1, 3])).not.toEqual(draws(p, 5, [7, 2, 3]));
  });
});

describe('param checks and edges', () => {
  const err = (dist: SearchDistribution, args: unknown[]): SpecError => {
    try {
      one(dist, args);
    } catch (e) {
      if (e instanceof SpecError) return e;
    }
    throw new Error('expected a SpecError');
  };

  it('refuses an integer distribution with a fractional q, and a lattice with no value', () => {
    expect(err('qrandint', [1, 10, 2.5]).message).toBe('f.json: s.search.a.k__qrandint: qrandint: q must be an integer, got 2.5');
    expect(err('quniform', [0.12, 0.13, 0.1]).message).toMatch(/no multiple of q = 0.1 lies in \[0.12, 0.13\]/);
  });

  it('edges: the extreme values a param can take', () => {
    expect(edgeValues(one('uniform', [0.9, 0.99]))).toEqual([0.9, 0.99]);
    expect(edgeValues(one('randint', [3, 7]))).toEqual([3, 6]);
    expect(edgeValues(one('quniform', [0.05, 0.35, 0.1]))).toEqual([0.1, 0.3]);
    expect(edgeValues(one('choice', ['a', 'b']))).toEqual(['a', 'b']);
  });
});

describe('gridPoints', () => {
  it('crosses the lists, the first varying slowest', () => {
    const dims: SearchDimension[] = [
      { path: ['a'], dist: 'grid_search', args: [1, 2] },
      { path: ['b'], dist: 'grid_search', args: ['x', 'y', 'z'] },
    ];
    const grid = gridPoints(toParams(dims, ctx) as OptionsParam[]);
    expect(grid).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 1, b: 'z' },
      { a: 2, b: 'x' },
      { a: 2, b: 'y' },
      { a: 2, b: 'z' },
    ]);
    expect(gridPoints([])).toEqual([{}]);
  });
});
