import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readmeExample } from './readme-example.js';

describe('README example', () => {
  it('runs: two PPO updates on CartPole and a greedy action', async () => {
    const { updates, evalAction, evalReturns } = await readmeExample();
    expect(updates).toHaveLength(2); // 256 frames / (64 steps x 2 envs)
    expect(updates[0].optSteps).toBe(16); // 4 epochs x 128/32
    expect(Number.isFinite(updates[1].loss)).toBe(true);
    expect([0, 1]).toContain(evalAction);
    expect(evalReturns).toHaveLength(4);
    for (const r of evalReturns) expect(r >= 1 && r <= 500).toBe(true); // CartPole: 1 per step, at most 500 steps
  });
  it('is the code the README shows', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const src = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8');
    const body = src.slice(src.indexOf('  // 1.'), src.indexOf('  return { updates'));
    expect(readme.replace(/\r/g, '')).toContain(body.replace(/^ {2}/gm, '').trim());
  });
});
