import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { readmeExample } from './readme-example.js';

describe('README example', () => {
  it('runs and gives the commented results', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(readmeExample()).toEqual({ frames: 2000, gamma: 0.98, seed: 42, error: 'ppo_cartpole.agent.algorithm.gama -> gamma', dims: 2 });
    expect(log).toHaveBeenCalledWith('PPO', 'CartPole-v1', null);
    log.mockRestore();
  });

  it('is the code shown in the README', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const code = readFileSync(new URL('./readme-example.ts', import.meta.url), 'utf8');
    const body = code.slice(code.indexOf('export function readmeExample'));
    expect(readme).toContain(body.trim());
  });
});
