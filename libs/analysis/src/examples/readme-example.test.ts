import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readmeExample } from './readme-example.js';

describe('README example', () => {
  it('runs and gives the numbers the README states', () => {
    const { csv, sessionStrength, trial } = readmeExample();
    expect(csv.split('\n')[0]).toBe('frame,wall_time,episodes,opt_steps,return,return_ma,loss,lr,entropy,explore_var,fps');
    expect(csv.split('\n')[1]).toBe('256,0.256,5.12,4,20,20,0.5,0.0003,0.69,,1000');
    expect(sessionStrength).toBeCloseTo(60 - 22.97, 12);
    expect(trial.frame).toBe(768);
    expect(trial.total_reward_ma).toBeCloseTo((60 + 73.3) / 2, 12);
    // session strengths: mean(20, 60, 100) - 22.97 and mean(30, 50, 140) - 22.97
    expect(trial.strength).toBeCloseTo((60 + 220 / 3) / 2 - 22.97, 12);
    expect(trial.stability).toBe(1); // no drops in session 0; session 1 has none either
  });

  it('is the code the README shows', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8');
    const body = source.slice(source.indexOf('export function'));
    expect(readme).toContain(body.trim());
  });
});
