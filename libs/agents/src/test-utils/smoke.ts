/** The smoke checks the agents' tests share (vitest expectations). */
import { expect } from 'vitest';
import type { ComputeBackend } from '@gymlab/backends';
import type { VectorEnv } from '@gymlab/envs';
import type { Agent, TrainStats } from '../types.js';
import { trainFor } from './train.js';

/**
 * Trains `agent` `steps` vector steps, then `steps` more with the backend's tensor count flat (no
 * leak per update); every update's loss and gradient norm is finite. Returns all the updates' stats.
 */
export function trainWithoutLeaks(agent: Agent, env: VectorEnv, b: ComputeBackend, steps: number): TrainStats[] {
  const stats = trainFor(agent, env, steps);
  const tensors = b.tf.memory().numTensors;
  stats.push(...trainFor(agent, env, steps));
  expect(b.tf.memory().numTensors).toBe(tensors);
  for (const s of stats) {
    expect(Number.isFinite(s.loss)).toBe(true);
    expect(Number.isFinite(s.gradNorm)).toBe(true);
  }
  return stats;
}
