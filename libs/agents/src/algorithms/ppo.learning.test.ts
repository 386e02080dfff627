import { describe, expect, it } from 'vitest';
import { initBackend } from '@gymlab/backends';
import { makeVectorEnv } from '@gymlab/envs';
import { loadSpec } from '@gymlab/spec';
import { fileURLToPath } from 'node:url';
import { createAgent } from '../registry.js';
import { trainUntil } from '../test-utils/train.js';

const SPEC = fileURLToPath(new URL('../../../../../shared/slm_lab_specs/benchmark/ppo/ppo_cartpole.json', import.meta.url));

// fast: PpoAgent on the fast CPU compute (about 2 s); wasm: PpoAgent on the tfjs compute.
for (const name of ['wasm', 'fast'] as const) {
  describe(`PPO learns CartPole-v1 (SLM Lab ppo_cartpole hyperparameters, ${name})`, () => {
    it('reaches a mean return >= 150 over the last 20 episodes within 80k frames', async () => {
      const backend = await initBackend({ gpu: false, backend: name });
      const base = loadSpec(SPEC, 'ppo_cartpole');
      const spec = { ...base, agent: { ...base.agent, net: { ...base.agent.net, backend: name } } };
      const env = makeVectorEnv('CartPole-v1', spec.env.num_envs);
      const agent = createAgent({
        spec, observationSpace: env.singleObservationSpace, actionSpace: env.singleActionSpace,
        numEnvs: env.numEnvs, seed: 1, backend, devChecks: false,
      });
      const { best, frames, episodes } = trainUntil(agent, env, { maxFrames: 80_000, seed: 1, target: 150 });
      agent.dispose();
      expect(best, `best 20-episode mean ${best.toFixed(1)} after ${frames} frames, ${episodes} episodes`).toBeGreaterThanOrEqual(150);
    }, 90_000);
  });
}
