import { describe, expect, it } from 'vitest';
import { initBackend } from '@gymlab/backends';
import { makeVectorEnv } from '@gymlab/envs';
import { loadSpec } from '@gymlab/spec';
import { fileURLToPath } from 'node:url';
import { createAgent } from '../registry.js';
import { trainUntil } from '../test-utils/train.js';

const SPEC = fileURLToPath(new URL('../../../../../shared/slm_lab_specs_next/benchmark/sil/ppo_sil_cartpole.json', import.meta.url));

describe('PPOSIL learns CartPole-v1 (SLM Lab ppo_sil_cartpole hyperparameters, wasm)', () => {
  it('reaches a mean return >= 150 over the last 20 episodes within 40k frames', async () => {
    const backend = await initBackend({ gpu: false, backend: 'wasm' });
    const spec = loadSpec(SPEC, 'ppo_sil_cartpole');
    const env = makeVectorEnv('CartPole-v1', spec.env.num_envs);
    const agent = createAgent({
      spec, observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace,
      numEnvs: env.numEnvs, seed: 1, backend, devChecks: false,
    });
    const { best, frames, episodes } = trainUntil(agent, env, { maxFrames: 40_000, seed: 1, target: 150 });
    agent.dispose();
    expect(best, `best 20-episode mean ${best.toFixed(1)} after ${frames} frames, ${episodes} episodes`).toBeGreaterThanOrEqual(150);
  }, 120_000); // about 12k frames and 10 s of cpu alone (seed 1); the margin is for a loaded machine
});
