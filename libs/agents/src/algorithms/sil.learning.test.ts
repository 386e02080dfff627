import { describe, expect, it } from 'vitest';
import { initBackend } from '@gymlab/backends';
import { makeVectorEnv } from '@gymlab/envs';
import { loadSpec } from '@gymlab/spec';
import { fileURLToPath } from 'node:url';
import { createAgent } from '../registry.js';
import { trainUntil } from '../test-utils/train.js';

const FILE = fileURLToPath(new URL('../../../../../shared/slm_lab_specs_next/benchmark/sil/ppo_sil_cartpole.json', import.meta.url));

describe('PPOSIL learns CartPole-v1 (SLM Lab ppo_sil_cartpole as it is, wasm)', () => {
  // about 12k frames and 10 s of cpu alone (seed 1); the timeout's margin is for a loaded machine
  it('reaches a mean return >= 150 over the last 20 episodes within 40k frames', async () => {
    const spec = loadSpec(FILE, 'ppo_sil_cartpole');
    const env = makeVectorEnv(spec.env.name, spec.env.num_envs);
    const { singleObservationSpace: observationSpace, singleActionSpace: actionSpace, numEnvs } = env;
    const agent = createAgent({ spec, observationSpace, actionSpace, numEnvs, seed: 1, backend: await initBackend({ gpu: false, backend: 'wasm' }), devChecks: false });
    const r = trainUntil(agent, env, { maxFrames: 40_000, seed: 1, target: 150 });
    agent.dispose();
    expect(r.best, `best 20-episode mean ${r.best.toFixed(1)} after ${r.frames} frames, ${r.episodes} episodes`).toBeGreaterThanOrEqual(150);
  }, 120_000);
});
