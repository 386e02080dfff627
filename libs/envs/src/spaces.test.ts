import { describe, expect, it } from 'vitest';
import { Box, Discrete, MultiBinary, MultiDiscrete, toFloat32 } from '@gymlab/envs';
import { Rng } from '@gymlab/random';

describe('Discrete', () => {
  it('samples every value in [start, start + n) and nothing else', () => {
    const space = new Discrete(3, -1);
    const rng = new Rng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const x = space.sample(rng);
      expect(space.contains(x)).toBe(true);
      seen.add(x);
    }
    expect([...seen].sort()).toEqual([-1, 0, 1]);
  });

  it('contains only integers in range', () => {
    const space = new Discrete(2);
    expect(space.contains(0)).toBe(true);
    expect(space.contains(1)).toBe(true);
    expect(space.contains(2)).toBe(false);
    expect(space.contains(-1)).toBe(false);
    expect(space.contains(0.5)).toBe(false);
    expect(space.contains(Number.NaN)).toBe(false);
  });

  it('rejects a non-positive n', () => {
    expect(() => new Discrete(0)).toThrow(/positive integer/);
  });
});

describe('Box', () => {
  it('broadcasts scalar bounds over the shape and stores them as float32', () => {
    const box = new Box(-2, 2, [2, 3]);
    expect(box.size).toBe(6);
    expect(box.shape).toEqual([2, 3]);
    expect(Array.from(box.low)).toEqual([-2, -2, -2, -2, -2, -2]);
    const b = new Box([-0.1], [0.1]);
    expect(b.high[0]).toBe(Math.fround(0.1));
  });

  it('samples inside bounded boxes, with the same draws for the same seed', () => {
    const box = new Box([-1, 0], [1, 10]);
    const a = new Rng(7);
    const b = new Rng(7);
    for (let i = 0; i < 100; i++) {
      const x = box.sample(a);
      expect(box.contains(x)).toBe(true);
      expect(Array.from(box.sample(b))).toEqual(Array.from(x));
    }
  });

  it('samples unbounded and half-bounded elements on the right side', () => {
    const box = new Box([-Infinity, 0, -Infinity], [Infinity, Infinity, 5]);
    const rng = new Rng(3);
    let neg = 0;
    for (let i = 0; i < 200; i++) {
      const x = box.sample(rng);
      expect(x[1]).toBeGreaterThanOrEqual(0);
      expect(x[2]).toBeLessThanOrEqual(5);
      if (x[0] < 0) neg++;
    }
    expect(neg).toBeGreaterThan(50);
    expect(neg).toBeLessThan(150);
  });

  it('contains checks size, bounds and NaN', () => {
    const box = new Box(-1, 1, [2]);
    expect(box.contains(Float32Array.of(0, 1))).toBe(true);
    expect(box.contains(Float32Array.of(0, 1.5))).toBe(false);
    expect(box.contains(Float32Array.of(0))).toBe(false);
    expect(box.contains(Float32Array.of(0, Number.NaN))).toBe(false);
  });

  it('rejects bad bounds with one line', () => {
    expect(() => new Box(1, -1, [1])).toThrow(/low\[0\] = 1 must be <= high\[0\] = -1/);
    expect(() => new Box([0, 0], [1], [2])).toThrow(/high has 1 elements/);
    expect(() => new Box(0, 1)).toThrow(/shape is required/);
  });
});

describe('Box dtype and toFloat32', () => {
  it('is float32 unless built float64 (MuJoCo observations), which its name shows', () => {
    expect(new Box(-1, 1, [2]).dtype).toBe('float32');
    expect(String(new Box(-1, 1, [2]))).toBe('Box([2])');
    const b64 = new Box(-Infinity, Infinity, [3], 'float64');
    expect(b64.dtype).toBe('float64');
    expect(String(b64)).toBe('Box([3], float64)');
    expect(b64.contains(Float64Array.of(0.1, 1e300, -2))).toBe(true);
  });

  it('toFloat32 passes a float32 observation through and rounds a float64 one to nearest', () => {
    const f32 = Float32Array.of(0.5, 1);
    expect(toFloat32(f32)).toBe(f32);
    const f64 = Float64Array.of(0.1, 1 + 2 ** -30, -1 / 3);
    expect(Array.from(toFloat32(f64))).toEqual([Math.fround(0.1), 1, Math.fround(-1 / 3)]);
    expect(toFloat32(f64)[0]).not.toBe(0.1);
  });
});

describe('space sampling equals Gymnasium 1.4 (space.seed(3); space.sample())', () => {
  it('Discrete(3) draws integers(n) as Gymnasium does', () => {
    const rng = new Rng(3);
    const d = new Discrete(3);
    expect(Array.from({ length: 8 }, () => d.sample(rng))).toEqual([2, 0, 0, 0, 0, 2, 2, 1]);
  });
  it('a bounded Box(-2, 2, (2,)) draws uniform(low, high) as Gymnasium does', () => {
    const rng = new Rng(3);
    const b = new Box(-2, 2, [2]);
    expect([Array.from(b.sample(rng)), Array.from(b.sample(rng))]).toEqual([
      [-1.6574033498764038, -1.052757978439331],
      [1.2050979137420654, 0.3286481499671936],
    ]);
  });
});

describe('MultiDiscrete and MultiBinary', () => {
  it('MultiDiscrete samples each element in [0, nvec[i]) and contains only those', () => {
    const space = new MultiDiscrete([2, 3, 1]);
    const rng = new Rng(3);
    const seen = [new Set<number>(), new Set<number>(), new Set<number>()];
    for (let i = 0; i < 200; i++) {
      const x = space.sample(rng);
      expect(space.contains(x)).toBe(true);
      x.forEach((v, j) => seen[j].add(v));
    }
    expect(seen.map((s) => [...s].sort())).toEqual([[0, 1], [0, 1, 2], [0]]);
    expect(space.contains([1, 3, 0])).toBe(false);
    expect(space.contains([1, 2])).toBe(false);
    expect(String(space)).toBe('MultiDiscrete([2, 3, 1])');
    expect(() => new MultiDiscrete([2, 0])).toThrow(/positive integers/);
  });

  it('MultiBinary holds 0/1 per element of its shape', () => {
    const space = new MultiBinary([2, 2]);
    expect(space.size).toBe(4);
    const x = space.sample(new Rng(0));
    expect(space.contains(x)).toBe(true);
    expect(space.contains([0, 1, 2, 0])).toBe(false);
    expect(String(space)).toBe('MultiBinary([2, 2])');
  });
});
