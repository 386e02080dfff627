import { describe, expect, it } from 'vitest';
import { categoryScale, decimalsFor, formatLogTick, formatTick, makeScale, niceStep } from './scale.js';

describe('niceStep', () => {
  it('rounds the raw step to 1, 2, 5 or 10 times a power of ten at the geometric midpoints', () => {
    expect(niceStep(101.6)).toBe(100); // f = 1.016 < sqrt 2
    expect(niceStep(150)).toBe(200); // f = 1.5 >= 1.414
    expect(niceStep(3.5)).toBe(5); // f = 3.5 >= 3.162
    expect(niceStep(0.3)).toBe(0.2); // p = 0.1, f = 3 < 3.162
    expect(niceStep(8e4)).toBe(1e5); // f = 8 >= 7.07
  });
  it('decimalsFor gives the decimals of a step', () => {
    expect(decimalsFor(100)).toBe(0);
    expect(decimalsFor(0.2)).toBe(1);
    expect(decimalsFor(0.05)).toBe(2);
    expect(decimalsFor(1e-4)).toBe(4);
  });
});

describe('makeScale (linear)', () => {
  it('widens the domain to whole steps and maps it onto the range', () => {
    // span 508 / 5 = 101.6 -> step 100; -8 -> -100, 500 -> 500
    const s = makeScale([-8, 500, NaN], [300, 0]);
    expect(s.ticks).toEqual([-100, 0, 100, 200, 300, 400, 500]);
    expect(s.domain).toEqual([-100, 500]);
    expect(s.labels).toEqual(['-100', '0', '100', '200', '300', '400', '500']);
    expect(s.map(-100)).toBe(300);
    expect(s.map(500)).toBe(0);
    expect(s.map(200)).toBe(150);
  });
  it('labels large values in k/M and small ones with the step decimals', () => {
    const frames = makeScale([0, 120000], [0, 100]);
    expect(frames.labels).toEqual(['0', '20k', '40k', '60k', '80k', '100k', '120k']);
    const m = makeScale([0, 2.5e6], [0, 100]);
    expect(m.labels).toEqual(['0', '0.5M', '1.0M', '1.5M', '2.0M', '2.5M']);
    const small = makeScale([0.1, 0.9], [0, 100]);
    expect(small.labels).toEqual(['0.0', '0.2', '0.4', '0.6', '0.8', '1.0']);
  });
  it('a single value gets a domain around it; no value gives [0, 1]', () => {
    expect(makeScale([5], [0, 1]).domain[0]).toBeLessThan(5);
    expect(makeScale([5], [0, 1]).domain[1]).toBeGreaterThan(5);
    expect(makeScale([], [0, 1]).domain).toEqual([0, 1]);
  });
  it('never shows "-0"', () => {
    expect(formatTick(-0, 0.5, 1)).toBe('0.0');
    expect(formatTick(-1e-17, 0.5, 1)).toBe('0.0');
  });
});

describe('makeScale (log)', () => {
  it('widens to powers of ten and maps log10 linearly', () => {
    const s = makeScale([1.3e-5, 7e-3], [0, 300], { log: true });
    expect(s.domain[0]).toBeCloseTo(1e-5, 20);
    expect(s.domain[1]).toBeCloseTo(1e-2, 15);
    expect(s.labels).toEqual(['1e-5', '1e-4', '0.001', '0.01']);
    expect(s.map(1e-4)).toBeCloseTo(100, 9);
  });
  it('adds 2x and 5x ticks when the domain spans at most two decades', () => {
    const s = makeScale([1, 50], [0, 1], { log: true });
    expect(s.ticks).toEqual([1, 2, 5, 10, 20, 50, 100]);
  });
  it('rejects values <= 0 and formats extreme ticks with an exponent', () => {
    expect(() => makeScale([0, 1], [0, 1], { log: true })).toThrow('makeScale: log scale needs values > 0, got 0');
    expect(formatLogTick(2e6)).toBe('2e6');
    expect(formatLogTick(1e-5)).toBe('1e-5');
  });
});

describe('categoryScale', () => {
  it('puts category i at the centre of slot i', () => {
    const s = categoryScale(['a', 'b'], [0, 100]);
    expect(s.map(0)).toBe(25);
    expect(s.map(1)).toBe(75);
    expect(s.labels).toEqual(['a', 'b']);
  });
});
