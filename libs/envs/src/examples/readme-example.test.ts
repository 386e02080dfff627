import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { randomCartPoleReturns } from './readme-example.js';

describe('README example', () => {
  it('runs and returns plausible, reproducible CartPole returns', () => {
    const returns = randomCartPoleReturns(5, 1);
    expect(returns).toHaveLength(5);
    for (const r of returns) {
      expect(Number.isInteger(r)).toBe(true);
      expect(r).toBeGreaterThanOrEqual(8); // the pole cannot fall in fewer steps from a near-upright start
      expect(r).toBeLessThanOrEqual(500);
    }
    expect(randomCartPoleReturns(5, 1)).toEqual(returns);
  });

  it('is quoted verbatim in the README', () => {
    const code = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8').trim();
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(code);
  });
});
