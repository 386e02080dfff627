import { describe, expect, it } from 'vitest';
import { randomIndex, seededUniform } from './rng.js';

const draw = (seed: number, k: number): number[] => {
  const u = seededUniform(seed);
  return Array.from({ length: k }, () => u());
};

describe('seededUniform', () => {
  it('repeats its sequence for the same seed and differs for another seed', () => {
    expect(draw(42, 20)).toEqual(draw(42, 20));
    expect(draw(43, 20)).not.toEqual(draw(42, 20));
  });
  it('gives numbers in [0, 1) with mean near 1/2 and variance near 1/12', () => {
    const xs = draw(7, 20000);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const v = xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length;
    expect(Math.abs(m - 0.5)).toBeLessThan(0.01); // sd of the mean is 0.002
    expect(Math.abs(v - 1 / 12)).toBeLessThan(0.003);
  });
  it('two generators with the same seed do not share state', () => {
    const a = seededUniform(1);
    const b = seededUniform(1);
    a();
    a();
    expect(b()).toBe(seededUniform(1)());
  });
  it('randomIndex covers 0..n-1 evenly', () => {
    const u = seededUniform(3);
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < 10000; i++) counts[randomIndex(u, 5)]++;
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(150); // sd 40
  });
  it('rejects a non-integer seed', () => {
    expect(() => seededUniform(0.5)).toThrow('seededUniform: seed 0.5 (allowed: an integer)');
  });
});

describe('seededUniform is numpy default_rng(seed).random()', () => {
  it('first draws of seed 0 and 12345 equal numpy 2.4.6', () => {
    expect(draw(0, 3)).toEqual([0.6369616873214543, 0.2697867137638703, 0.04097352393619469]);
    expect(draw(12345, 2)).toEqual([0.22733602246716966, 0.31675833970975287]);
  });
  it("a negative seed is its 64-bit two's complement: -1 is default_rng(2**64 - 1)", () => {
    // numpy 2.4.6: default_rng(2**64 - 1).random(2)
    expect(draw(-1, 2)).toEqual([0.6800266789616931, 0.8453117585624743]);
  });
});
