/**
 * Learning threshold: REINFORCE with SLM Lab's reinforce_cartpole hyperparameters (128-128 tanh,
 * orthogonal init, Adam 0.002, clip 0.5, centred returns, gamma 0.99, entropy 0.001 -> 0 over 200k
 * frames, batches of 512 x 4 steps) on CartPole-v1 (4 envs, wasm) must reach a mean return of 100
 * over 20 consecutive episodes within 40k frames (seed 1 reaches it at 9.3k frames; seeds 2-6
 * between 11k and 34k).
 */
import { describe, expect, it } from 'vitest';
import { learnCartPole, reinforceSpec } from '../test-utils/value-based-specs.js';

describe('Reinforce learns CartPole-v1', () => {
  it('reaches a 20-episode mean return >= 100 within 40k frames', async () => {
    const r = await learnCartPole(reinforceSpec({ net: { backend: 'wasm' } }), 1, 40000, 100);
    expect(r.best, `best 20-episode mean ${r.best.toFixed(1)} after ${r.frames} frames, ${r.episodes} episodes`).toBeGreaterThanOrEqual(100);
  });
});
