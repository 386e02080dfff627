/**
 * Learning threshold: SARSA with SLM Lab's sarsa_epsilon_greedy_cartpole hyperparameters (128 tanh,
 * RMSprop 0.0087, clip 0.344, epsilon 1 -> 0.055 over 10k frames, batches of 32 x 4 steps) on
 * CartPole-v1 (4 envs, wasm) must reach a mean return of 150 over 20 consecutive episodes within
 * 40k frames (seeds 1-6 reach it by 18.3k frames; SLM Lab runs 200k frames).
 */
import { describe, expect, it } from 'vitest';
import { learnCartPole, sarsaSpec } from '../test-utils/value-based-specs.js';

describe('SARSA learns CartPole-v1', () => {
  it('reaches a 20-episode mean return >= 150 within 40k frames', async () => {
    const r = await learnCartPole(sarsaSpec({ net: { backend: 'wasm' } }), 1, 40000, 150);
    expect(r.best, `best 20-episode mean ${r.best.toFixed(1)} after ${r.frames} frames, ${r.episodes} episodes`).toBeGreaterThanOrEqual(150);
  });
});
